import type { MlflowClient } from "@tracklite/client";
import type { FileInfo, ListArtifactsResponse } from "@tracklite/schemas";
import type { ArtifactFile, ArtifactReader } from "@tracklite/server/import";
import { UnreadableArtifactLocation } from "../../artifacts/source-roots.js";

/**
 * Reads a live server's artifacts through the server itself, whatever storage sits behind it:
 * - `mlflow-artifacts:` locations through the artifact proxy (`/api/2.0/mlflow-artifacts/artifacts`);
 * - a run's location (`…/<run_id>/artifacts…`) through list-artifacts and `/get-artifact`, which the server serves
 *   from its own storage (S3, a local root) when it does not proxy;
 * - a logged model's location (`…/models/m-…/artifacts…`) through the logged-model artifact routes.
 * Any other location (a model version's source outside a run, say) cannot be reached: it throws
 * UnreadableArtifactLocation, which the importer reports as skipped and goes on.
 */
export function restArtifactReader(client: MlflowClient): ArtifactReader {
  return {
    async *list(uri) {
      const target = resolve(uri);
      yield* walk(client, target, "");
    },
    async open(uri, path) {
      const target = resolve(uri);
      const res = await client.transport.requestUrl("GET", fileUrl(client, target, path));
      return res.body ?? new ReadableStream({ start: (c) => c.close() });
    },
  };
}

type Target =
  | { kind: "proxy"; root: string }
  | { kind: "run"; runId: string; root: string }
  | { kind: "model"; modelId: string; root: string };

const PROXY = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/;
const RUN = /\/([0-9a-f]{32})\/artifacts(?:\/(.*))?$/;
const MODEL = /\/models\/(m-[0-9a-f]{32})\/artifacts(?:\/(.*))?$/;

/** Which of the server's routes reach `uri`. */
export function resolve(uri: string): Target {
  const proxied = PROXY.exec(uri);
  if (proxied) return { kind: "proxy", root: trim(proxied[1] ?? "") };
  const model = MODEL.exec(uri);
  if (model) return { kind: "model", modelId: model[1] as string, root: trim(model[2] ?? "") };
  const run = RUN.exec(uri);
  if (run) return { kind: "run", runId: run[1] as string, root: trim(run[2] ?? "") };
  throw new UnreadableArtifactLocation(
    `${uri} is neither proxied by the server (mlflow-artifacts:) nor a run's or logged model's artifacts`,
  );
}

async function* walk(client: MlflowClient, target: Target, dir: string): AsyncGenerator<ArtifactFile> {
  for (const f of await listDir(client, target, dir)) {
    // The proxy answers base names; the run and model routes answer paths from the artifact root.
    const name = f.path.split("/").pop() ?? f.path;
    const rel = join(dir, name);
    if (f.is_dir) yield* walk(client, target, rel);
    else yield f.file_size === undefined ? { path: rel } : { path: rel, size: Number(f.file_size) };
  }
}

async function listDir(client: MlflowClient, target: Target, dir: string): Promise<FileInfo[]> {
  const path = join(target.root, dir) || undefined;
  const r =
    target.kind === "proxy"
      ? await client.transport.json<ListArtifactsResponse>("GET", "/2.0/mlflow-artifacts/artifacts", {
          query: { path },
        })
      : target.kind === "run"
        ? await client.transport.json<ListArtifactsResponse>("GET", "/2.0/mlflow/artifacts/list", {
            query: { run_id: target.runId, path },
          })
        : await client.transport.json<ListArtifactsResponse>(
            "GET",
            `/2.0/mlflow/logged-models/${encodeURIComponent(target.modelId)}/artifacts/directories`,
            { query: { artifact_directory_path: path } },
          );
  return r.files ?? [];
}

function fileUrl(client: MlflowClient, target: Target, path: string): string {
  const full = join(target.root, path);
  const base = client.transport.baseUrl;
  const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();
  switch (target.kind) {
    case "proxy":
      return client.transport.url(
        `/2.0/mlflow-artifacts/artifacts/${full.split("/").map(encodeURIComponent).join("/")}`,
      );
    case "run":
      // Served at the root, not under /api (as MLflow's UI fetches it).
      return `${base}/get-artifact?${qs({ run_id: target.runId, path: full })}`;
    case "model":
      return `${base}/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(target.modelId)}/artifacts/files?${qs({ artifact_file_path: full })}`;
  }
}

function join(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split("/"))
    .filter((p) => p !== "" && p !== ".")
    .join("/");
}

function trim(path: string): string {
  return join(path);
}
