import type { LoggedModel, ModelVersion, Run } from "@tracklite/schemas";

/**
 * Where a model version's files live, read from its `source`: a logged model (`models:/m-…`, MLflow 3), a path in a
 * run's artifacts (`runs:/<run>/<path>`), a proxied artifact location (`mlflow-artifacts:/…`), another registered
 * version (`models:/<name>/<version>`), or a location the server does not serve (s3:, file:, a prompt's dummy).
 */
export type ModelSource =
  | { kind: "logged-model"; modelId: string }
  | { kind: "run"; runId: string; path: string }
  | { kind: "artifacts"; uri: string }
  | { kind: "registered"; name: string; version: string }
  | { kind: "other"; uri: string };

/** Reads a version's `source` URI. */
export function parseModelSource(source: string): ModelSource {
  const s = source.trim();
  let m = /^models:\/+(m-[0-9a-zA-Z]+)\/?$/.exec(s);
  if (m) return { kind: "logged-model", modelId: m[1] ?? "" };
  m = /^models:\/+([^/@]+)\/(\d+)\/?$/.exec(s);
  if (m) return { kind: "registered", name: m[1] ?? "", version: m[2] ?? "" };
  m = /^runs:\/+([^/]+)\/?(.*)$/.exec(s);
  if (m) return { kind: "run", runId: m[1] ?? "", path: (m[2] ?? "").replace(/\/+$/, "") };
  if (s.startsWith("mlflow-artifacts:")) return { kind: "artifacts", uri: s.replace(/\/+$/, "") };
  return { kind: "other", uri: s };
}

/** The run a source points into, if it names one. */
export function sourceRunId(source: string | undefined): string | undefined {
  const parsed = parseModelSource(source ?? "");
  return parsed.kind === "run" ? parsed.runId : undefined;
}

/** The client calls that resolving a source needs (the app's client, or a fake in tests). */
export interface SourceResolver {
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  getRun(runId: string): Promise<Run>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  artifactUrl(artifactUri: string, path: string): string;
}

/** Thrown when a source's files cannot be read through this server; the message says why. */
export class UnreadableSourceError extends Error {
  override readonly name = "UnreadableSourceError";
}

const join = (...parts: string[]) => parts.filter(Boolean).join("/");

/**
 * The artifact location (URI) of the model directory behind a source. Follows `models:/<name>/<version>` to that
 * version's own source, at most a few hops.
 */
export async function modelArtifactUri(source: string, api: SourceResolver, hops = 3): Promise<string> {
  const parsed = parseModelSource(source);
  switch (parsed.kind) {
    case "logged-model":
      return (await api.getLoggedModel(parsed.modelId)).info.artifact_uri;
    case "run": {
      const run = await api.getRun(parsed.runId);
      return join((run.info.artifact_uri ?? "").replace(/\/+$/, ""), parsed.path);
    }
    case "artifacts":
      return parsed.uri;
    case "registered": {
      if (hops <= 0) throw new UnreadableSourceError(`Too many registry hops to resolve ${source}.`);
      const mv = await api.getModelVersion(parsed.name, parsed.version);
      return modelArtifactUri(mv.source ?? "", api, hops - 1);
    }
    default:
      throw new UnreadableSourceError(
        parsed.uri
          ? `The model files at ${parsed.uri} are not served by this server.`
          : "This version has no source to read its files from.",
      );
  }
}

/** The URL of the MLmodel file behind a source (only proxied `mlflow-artifacts:` locations are reachable). */
export async function mlmodelUrl(source: string, api: SourceResolver): Promise<string> {
  const uri = await modelArtifactUri(source, api);
  if (!uri.startsWith("mlflow-artifacts:")) {
    throw new UnreadableSourceError(`The model files at ${uri} are not served by this server.`);
  }
  return api.artifactUrl(uri, "MLmodel");
}
