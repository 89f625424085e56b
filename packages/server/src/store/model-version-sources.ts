import { invalidParameter, MlflowError } from "../errors.js";
import { normpath } from "../validation/posix-path.js";
import { isLocalUri } from "./local-uri.js";

/**
 * The checks the reference's create-model-version handler makes on a version's `source` before anything is stored:
 * no host it would connect to, no path tricks (`..`, NUL, relative paths, also percent-encoded any number of times),
 * and a source inside the run (or logged model) the request names.
 * @see mlflow/server/handlers.py _validate_source_run, _validate_source_model,
 *   _validate_non_local_source_contains_relative_paths, and mlflow/store/artifact/host_policy.py
 */

/** The parts of a URI as Python's `urllib.parse.urlparse` gives them. */
export interface ParsedUri {
  scheme: string;
  netloc: string;
  path: string;
}

export function urlparse(uri: string, allowFragments = true): ParsedUri {
  let rest = uri;
  let scheme = "";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = (m[1] as string).toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let netloc = "";
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? "" : rest.slice(end + 2);
  }
  const cut = rest.search(allowFragments ? /[?#]/ : /\?/);
  return { scheme, netloc, path: cut < 0 ? rest : rest.slice(0, cut) };
}

/** Python's `unquote` (or `unquote_plus`): %XX sequences decoded as UTF-8, malformed ones left alone. */
function unquote(text: string, plus: boolean): string {
  const spaced = plus ? text.replaceAll("+", " ") : text;
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.match(/%[0-9A-Fa-f]{2}/g) ?? [], (b) => Number.parseInt(b.slice(1), 16));
    return new TextDecoder().decode(bytes);
  });
}

function unquoteFully(text: string, plus: boolean): string {
  let current = text;
  for (let i = 0; i < 100; i++) {
    const next = unquote(current, plus);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The reference's answer to a source that its run or logged model does not contain. */
export const invalidSource = (source: string, idName: "run_id" | "model_id") =>
  invalidParameter(
    `Invalid model version source: '${source}'. The ${idName} request parameter must identify the resource that contains the source.`,
  );

/** Schemes whose artifact repositories connect to the host in the URI; `mlflow-artifacts` only with a host. */
const HOST_ADDRESSED = new Set([
  "ftp",
  "sftp",
  "hdfs",
  "viewfs",
  "http",
  "https",
  "mlflow-artifacts",
  "r2",
  "b2",
  "abfss",
]);

/** A source naming a host the server would connect to is refused: tracklite only serves its own artifact store. */
export function rejectHostAddressed(source: string): void {
  const { scheme, netloc } = urlparse(source);
  if (!HOST_ADDRESSED.has(scheme) || (scheme === "mlflow-artifacts" && !netloc)) return;
  const reason = `the '${scheme}' scheme addresses a host other than the tracking server's configured artifact storage, so the server would connect to the host named in the URI`;
  throw invalidParameter(
    `'source' cannot use the '${scheme}' scheme: ${reason}. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on the server to allow it.`,
  );
}

/**
 * No `..` segment or NUL, and a path that is absolute and already normal, after percent-decoding until nothing
 * changes. The reference resolves the path on its own disk (following symlinks); this compares it lexically.
 */
export function checkNoRelativePaths(source: string): void {
  const decoded = unquoteFully(source, true);
  const path = urlparse(decoded).path.replace(/\/+$/, "").replace(/\/+/g, "/");
  const normal = path.startsWith("/") && normpath(path) === path;
  if (path.includes("\0") || decoded.split("/").includes("..") || !normal) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
    );
  }
}

/** A local source's path, as `local_file_uri_to_path` then `Path.resolve` give it (lexically, for absolute paths). */
function localPath(uri: string): string {
  const path = uri.startsWith("file:") ? unquote(urlparse(uri).path, false) : uri;
  return path.startsWith("/") ? normpath(path) : path;
}

function uriParts(uri: string): { scheme: string; netloc: string; parts: string[] } {
  const { scheme, netloc, path } = urlparse(uri);
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map((p) => unquoteFully(p, false));
  return { scheme, netloc: netloc.toLowerCase(), parts };
}

/** Whether the source is in the server's own artifact store (`mlflow-artifacts:` or its HTTP route). */
function isArtifactProxySource(source: string): boolean {
  const { scheme, parts } = uriParts(source);
  if (scheme === "mlflow-artifacts") return true;
  const route = ["api", "2.0", "mlflow-artifacts", "artifacts"];
  return (
    (scheme === "http" || scheme === "https") &&
    parts.some((_, i) => route.every((segment, j) => parts[i + j] === segment))
  );
}

function isWithinRoot(source: string, root: string): boolean {
  const s = uriParts(source);
  const r = uriParts(root);
  return (
    s.scheme === r.scheme &&
    s.netloc === r.netloc &&
    r.parts.length > 0 &&
    r.parts.every((part, i) => s.parts[i] === part)
  );
}

function isWithinLocalDir(source: string, root: string): boolean {
  if (!isLocalUri(root)) return false;
  const dir = localPath(root);
  const path = localPath(source);
  return dir.startsWith("/") && (path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`));
}

/** What the checks need to know about the run or logged model a request names (undefined when there is none). */
export interface SourceOwner {
  artifactUri: string;
}

const localSourceError = (source: string, idName: "run_id" | "model_id", what: string) =>
  invalidParameter(
    `Invalid model version source: '${source}'. To use a local path as a model version source, the ${idName} request parameter has to be specified and the local path has to be contained within the artifact directory of the ${what}.`,
  );

/** `runs:/<run_id>/path`'s run id. */
function runIdOf(source: string): string {
  const path = urlparse(source).path;
  const runId = path.startsWith("/") ? (path.slice(1).split("/")[0] ?? "") : "";
  if (!runId) {
    throw new MlflowError(
      `Not a proper runs:/ URI: ${source}. Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'`,
      "INTERNAL_ERROR",
      400,
    );
  }
  return runId;
}

/** The model id of a `models:/<id>` source, undefined for `models:/<name>/<version>` and other forms. */
export type ModelUriId = (source: string) => string | undefined;

/** A source registered from a run: it must lie in the artifacts of the run named by `run_id`. */
export async function validateRunSource(
  source: string,
  runId: string,
  run: (id: string) => Promise<SourceOwner | undefined>,
  modelIdOf: ModelUriId,
): Promise<void> {
  if (isLocalUri(source)) {
    const owner = runId ? await run(runId) : undefined;
    if (runId && !owner) throw invalidSource(source, "run_id");
    if (owner && isWithinLocalDir(source, owner.artifactUri)) return;
    throw localSourceError(owner ? localPath(source) : source, "run_id", "run specified by the run_id");
  }
  checkNoRelativePaths(source);
  const { scheme, netloc } = urlparse(source);
  if (scheme === "runs") {
    if (netloc || !runId || runIdOf(source) !== runId) throw invalidSource(source, "run_id");
    return;
  }
  if (scheme === "models") {
    if (netloc || modelIdOf(source) !== undefined) throw invalidSource(source, "model_id");
  }
  if (isArtifactProxySource(source)) {
    const owner = runId ? await run(runId) : undefined;
    if (owner && isWithinRoot(source, owner.artifactUri)) return;
    throw invalidSource(source, "run_id");
  }
}

/** A source registered from a logged model: it must lie in the artifacts of the model named by `model_id`. */
export async function validateModelSource(
  source: string,
  modelId: string,
  model: (id: string) => Promise<SourceOwner | undefined>,
  modelIdOf: ModelUriId,
): Promise<void> {
  if (isLocalUri(source)) {
    const owner = await model(modelId);
    if (!owner) throw invalidSource(source, "model_id");
    if (isWithinLocalDir(source, owner.artifactUri)) return;
    throw localSourceError(localPath(source), "model_id", "run specified by the model_id");
  }
  checkNoRelativePaths(source);
  const { scheme, netloc } = urlparse(source);
  if (scheme === "models") {
    if (netloc) throw invalidSource(source, "model_id");
    const id = modelIdOf(source);
    if (id !== undefined) {
      if (id === modelId) return;
      throw invalidSource(source, "model_id");
    }
  }
  if (scheme === "runs") throw invalidSource(source, "model_id");
  if (isArtifactProxySource(source)) {
    const owner = await model(modelId);
    if (owner && isWithinRoot(source, owner.artifactUri)) return;
    throw invalidSource(source, "model_id");
  }
}
