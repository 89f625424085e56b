/**
 * The tracking server's URL as this page reaches it: the origin plus the folder the UI is served from, which is the
 * server's `--static-prefix` (`http://host:5000/mlflow` for a page at `/mlflow/`; `http://host:5000` at `/`). The
 * UI's routes live in the hash, so the path is only ever that folder (or its index.html).
 */
export function serverBase(loc: Pick<Location, "origin" | "pathname"> = location): string {
  return loc.origin + loc.pathname.slice(0, loc.pathname.lastIndexOf("/"));
}
