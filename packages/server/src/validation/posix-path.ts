/** Python's `posixpath.normpath`, used by MLflow to refuse keys that would resolve to another name as files. */
export function normpath(path: string): string {
  if (path === "") return ".";
  const initialSlashes = path.startsWith("/") ? (path.startsWith("//") && !path.startsWith("///") ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (initialSlashes === 0 && parts.length === 0) || parts.at(-1) === "..") {
      parts.push(part);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  const joined = "/".repeat(initialSlashes) + parts.join("/");
  return joined || ".";
}
