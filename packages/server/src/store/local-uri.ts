import { invalidParameter } from "../errors.js";

/** Scheme (lower-cased), netloc and path of a URI, as Python's `urllib.parse.urlparse` splits them. */
function urlparse(uri: string): { scheme: string; netloc: string; path: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  const scheme = m ? (m[1] as string).toLowerCase() : "";
  let rest = m ? uri.slice(m[0].length) : uri;
  let netloc = "";
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? "" : rest.slice(end + 2);
  }
  const cut = rest.search(/[?#]/);
  return { scheme, netloc, path: cut < 0 ? rest : rest.slice(0, cut) };
}

/** Python's `urllib.parse.urlparse(uri).hostname`: the netloc's host, lower-cased, without user info or port. */
function hostname(netloc: string): string | undefined {
  const host = netloc.slice(netloc.lastIndexOf("@") + 1);
  const bare = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.split(":")[0];
  return bare ? bare.toLowerCase() : undefined;
}

/**
 * MLflow's `is_local_uri`: a plain path or a `file:` URI is local. A `file:` URI naming another host is refused with
 * the reference's message (it raises there: a 500; tracklite answers 400, see KNOWN_DIFFERENCES `file-uri-remote-host`).
 * @see mlflow/utils/uri.py `is_local_uri`
 */
export function isLocalUri(uri: string): boolean {
  const { scheme, netloc } = urlparse(uri);
  if (scheme === "") return true;
  if (scheme !== "file") return false;
  const host = hostname(netloc);
  if (host !== undefined && !(host === "." || host.startsWith("localhost") || host.startsWith("127.0.0.1"))) {
    throw invalidParameter(
      `${uri} is not a valid remote uri. For remote access on windows, please consider using a different scheme such as SMB (e.g. smb://<hostname>/<path>).`,
    );
  }
  return true;
}

/** Python's `unquote`: %XX sequences decoded as UTF-8, malformed ones left alone. */
function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.match(/%[0-9A-Fa-f]{2}/g) ?? [], (b) => Number.parseInt(b.slice(1), 16));
    return new TextDecoder().decode(bytes);
  });
}

/** `pathlib.Path(cwd).joinpath(path).as_posix()` for a relative path: `.` and empty segments dropped, `..` kept. */
function joinPath(cwd: string, path: string): string {
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  const base = cwd === "/" ? "" : cwd.replace(/\/+$/, "");
  return segments.length === 0 ? cwd : `${base}/${segments.join("/")}`;
}

/**
 * MLflow's `resolve_uri_if_local`: a relative local path (`my_location`, `file:rel/dir`) is made absolute against the
 * server's working directory (when it has one), a plain path staying a path and a `file:` URI becoming `file:///…`; anything else is
 * returned as given.
 * @see mlflow/utils/uri.py `resolve_uri_if_local`
 */
export function resolveUriIfLocal(uri: string, cwd: string | undefined): string {
  if (!isLocalUri(uri) || cwd === undefined) return uri;
  const parsed = urlparse(uri);
  const local = unquote(uri.startsWith("file:") ? parsed.path : uri);
  if (local.startsWith("/")) return uri;
  const absolute = joinPath(cwd, local);
  if (parsed.scheme === "") return absolute;
  const query = /\?([^#]*)/.exec(uri.slice(uri.indexOf(parsed.path) + parsed.path.length))?.[1];
  const fragment = /#(.*)$/.exec(uri)?.[1];
  return `${parsed.scheme}://${absolute}${query ? `?${query}` : ""}${fragment ? `#${fragment}` : ""}`;
}
