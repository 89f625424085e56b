/**
 * The roots the artifact browser shows: the run's own artifacts and, for MLflow 3, each logged model of the run
 * (whose files live under the model, not the run). Each root lists directories and gives download URLs.
 */
import type { FileInfo, LoggedModel, Run } from "@tracklite/schemas";
import { client } from "../api.js";
import { serverBase } from "../lib/server-base.js";
import type { RegisterTarget } from "./register.js";

export interface ArtifactRoot {
  /** "" for the run's artifacts, the model id for a logged model. */
  id: string;
  label: string;
  list(path: string): Promise<FileInfo[]>;
  /** A URL the browser can GET (download, `<img src>`, fetch for previews). */
  url(path: string): string;
  /** What "Register model" registers for the model directory at `path`. */
  registerTarget(path: string): RegisterTarget;
}

const withQuery = (path: string, query: Record<string, string>) =>
  `${client.transport.url(path)}?${new URLSearchParams(query)}`;

/** The run's artifacts: `artifacts/list`, and the proxied download URL (or `get-artifact` when not proxied). */
export function runRoot(run: Run): ArtifactRoot {
  const runId = run.info.run_id;
  const uri = run.info.artifact_uri ?? "";
  return {
    id: "",
    label: "Run artifacts",
    list: (path) => client.listArtifacts(runId, path || undefined),
    url: (path) => {
      try {
        return client.artifactUrl(uri, path);
      } catch {
        return `${serverBase()}/get-artifact?${new URLSearchParams({ path, run_uuid: runId })}`;
      }
    },
    registerTarget: (path) => ({ source: `runs:/${runId}/${path}`, runId }),
  };
}

/** A logged model's artifacts: its directory listing and file routes. */
export function modelRoot(model: LoggedModel, runId: string): ArtifactRoot {
  const id = model.info.model_id;
  return {
    id,
    label: model.info.name,
    list: (path) => client.listLoggedModelArtifacts(id, path || undefined),
    url: (path) => {
      try {
        return client.artifactUrl(model.info.artifact_uri, path);
      } catch {
        return withQuery(`/2.0/mlflow/logged-models/${encodeURIComponent(id)}/artifacts/files`, {
          artifact_file_path: path,
        });
      }
    },
    registerTarget: () => ({ source: `models:/${id}`, runId, modelId: id }),
  };
}
