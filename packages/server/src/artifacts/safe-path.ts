import { invalidParameter } from "../errors.js";

/** Undoes percent-encoding until the text stops changing, so double-encoded traversal (`%252e%252e`) is seen too. */
function decodeFully(path: string): string {
  let current = path;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      throw invalidParameter("Invalid path");
    }
    if (next === current) return current;
    current = next;
  }
  throw invalidParameter("Invalid path");
}

/**
 * An artifact path from a client, checked as MLflow's `validate_path_is_safe` does and stricter: no `..` segment (`.` and empty segments are dropped),
 * no absolute or drive path, no backslash, no NUL or other control character, no `#`, after any number of
 * percent-decodings. Returns the decoded path without leading or trailing slashes ("" is the root).
 */
export function safeArtifactPath(raw: string): string {
  const path = decodeFully(raw);
  const bad =
    path.includes("#") ||
    path.includes("\\") ||
    [...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) ||
    path.startsWith("/") ||
    /^[A-Za-z]:/.test(path) ||
    /^file:/i.test(path) ||
    path.split("/").includes("..");
  if (bad) throw invalidParameter("Invalid path");
  return path
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .join("/");
}

/**
 * The artifact path of a proxied request (`…/mlflow-artifacts/artifacts/<path>`): what follows `prefix` in the routed
 * path, made safe. The handler and the permission check both call it, so that the experiment the check judges is the
 * folder the handler serves, however the path is encoded (`%2533/…`, `./3/…`).
 */
export function proxiedArtifactPath(routedPath: string, prefix: string): string {
  const at = routedPath.indexOf(prefix);
  if (at < 0) throw invalidParameter("Invalid path");
  return safeArtifactPath(routedPath.slice(at + prefix.length).replace(/^\//, ""));
}

/** Joins safe relative paths with single slashes. */
export function joinArtifactPath(...parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p)
    .join("/")
    .replace(/\/{2,}/g, "/")
    .replace(/^\/|\/$/g, "");
}
