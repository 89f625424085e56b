import { invalidParameter, MlflowError } from "../errors.js";
import { safeArtifactPath } from "./safe-path.js";
import type { ArtifactStore } from "./store.js";

/** Where a stored artifact location's files are: a store, and the folder of the location in it ("" = its root). */
export interface ArtifactRoot {
  store: ArtifactStore;
  dir: string;
}

/**
 * Opens a stored artifact location that the server reads itself rather than through its proxy: a local folder
 * (`/some/dir`, `file:///some/dir`) or a bucket (`s3://bucket/prefix`). Undefined for a scheme it cannot read. The
 * runtime entry gives one (Node's reads the file system); without it only proxied locations are served.
 */
export type ArtifactRootOpener = (uri: string) => Promise<ArtifactRoot | undefined>;

/** Schemes of the locations the server's own proxy serves. @see handlers.py `_is_servable_proxied_run_artifact_root` */
const PROXIED_SCHEMES = new Set(["http", "https", "mlflow-artifacts"]);

/** A URI's scheme, lowercased, as Python's `urlparse` reads it ("" for a plain path). */
export function uriScheme(uri: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase() ?? "";
}

/** Whether a location is proxied by this server (`mlflow-artifacts:/…` or its http form). */
export const isProxiedUri = (uri: string) => PROXIED_SCHEMES.has(uriScheme(uri));

/**
 * Where a proxied artifact root (`mlflow-artifacts:/0/<run>/artifacts`, or its http form) lives in the proxy's store.
 * @see mlflow/server/handlers.py `_get_proxied_run_artifact_destination_path`
 */
export function proxiedRoot(uri: string): string {
  const http = uri.match(/^https?:\/\/[^/]+(?:\/.*)?\/api\/2\.0\/mlflow-artifacts\/artifacts\/?(.*)$/);
  if (http) return safeArtifactPath(http[1] ?? "");
  const scheme = uri.match(/^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/);
  if (scheme) return safeArtifactPath(scheme[1] ?? "");
  throw invalidParameter(
    `The artifact root '${uri}' is not served by this server (only mlflow-artifacts:/ roots are).`,
  );
}

export interface RootContext {
  /** The `--artifacts-destination` store behind the proxy. */
  proxied: ArtifactStore;
  /** `--serve-artifacts`: proxied locations are read from `proxied`. */
  serveArtifacts: boolean;
  /** Reads other locations; absent on runtimes without a file system. */
  openRoot: ArtifactRootOpener | undefined;
  /** Maps a path of the proxy's store into the request's workspace. */
  scope: (path: string) => string;
}

/**
 * The files of a run's (or a model's) artifact location, as the reference finds them: a proxied location in the
 * `--artifacts-destination` store when the server serves artifacts, anything else through an artifact repository of
 * its own (a local folder, a bucket).
 * @see mlflow/server/handlers.py `list_artifacts_impl`, `get_artifact_handler`, `_get_artifact_repo`
 */
export async function resolveArtifactRoot(uri: string, ctx: RootContext): Promise<ArtifactRoot> {
  if (isProxiedUri(uri)) {
    // The reference then builds an HTTP repository back to itself and crashes (500, "the tracking URI must be a valid
    // http or https URI"); the location cannot be read, which is the server's setting, not a retryable failure.
    if (!ctx.serveArtifacts)
      throw invalidParameter(
        `The artifact location '${uri}' is proxied, and this server runs with --no-serve-artifacts: start it with --serve-artifacts to read it.`,
      );
    return { store: ctx.proxied, dir: ctx.scope(proxiedRoot(uri)) };
  }
  if (!ctx.openRoot)
    throw new MlflowError(
      `The artifact location '${uri}' cannot be read on this runtime, which has no file system; only proxied (mlflow-artifacts:/) locations are served.`,
      "NOT_IMPLEMENTED",
    );
  const root = await ctx.openRoot(uri);
  if (!root)
    throw invalidParameter(
      `The artifact location '${uri}' is not served by this server (only mlflow-artifacts:/, local and s3:// locations are).`,
    );
  return root;
}
