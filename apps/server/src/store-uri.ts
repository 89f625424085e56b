/**
 * The backend store URIs tracklite serves, and how they are written in messages. tracklite is libSQL only: a file
 * (`file:`, MLflow's `sqlite:///`, a plain path) or a libSQL server. MLflow's other SQLAlchemy URIs
 * (`postgresql://u:p@host/db`, `mysql+pymysql://…`, `mssql://…`) would otherwise be taken for relative paths.
 */

/** Schemes of libSQL URLs, served as given. */
const LIBSQL_SCHEMES = new Set(["file", "libsql", "http", "https", "ws", "wss"]);

/** Accepts MLflow's `sqlite:///path` spelling and plain paths as well as libSQL URLs. */
export function toLibsqlUrl(uri: string): string {
  if (uri.startsWith("sqlite:///")) return `file:${uri.slice("sqlite:///".length)}`;
  if (/^(file|libsql|https?|wss?):/.test(uri)) return uri;
  return `file:${uri}`;
}

/**
 * A URI for messages and logs: the user-info part (`user:password@`) and token-like query values masked, so that a
 * refused or echoed URI never shows credentials.
 */
export function redactUri(uri: string): string {
  return uri
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1***@")
    .replace(/([?&](?:authToken|token|password|pwd|secret)=)[^&#]*/gi, "$1***");
}

/**
 * Why `--backend-store-uri` (as given) names a store tracklite does not serve, or undefined when it serves it.
 * The message names the scheme and never the credentials.
 */
export function unservedStoreUri(uri: string, flag = "--backend-store-uri"): string | undefined {
  if (/^sqlite:/i.test(uri) && !uri.startsWith("sqlite:///"))
    return `Invalid value for '${flag}': ${redactUri(uri)}: an SQLite URI has three slashes before its path (sqlite:///relative/path.db, sqlite:////absolute/path.db).`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "sqlite" || LIBSQL_SCHEMES.has(scheme)) return undefined;
  const kind = scheme.split("+")[0];
  return `Invalid value for '${flag}': ${redactUri(uri)}: tracklite does not serve ${kind} databases. It keeps its data in SQLite/libSQL: a file (a path, file:PATH or sqlite:///PATH) or a libSQL server (libsql://, http(s)://, ws(s)://).`;
}
