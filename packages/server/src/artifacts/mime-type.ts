import mime from "mime";

/**
 * File names MLflow serves as `text/plain` whatever their type, so that the UI previews them: by extension, or the
 * whole name when it has none (`MLmodel`, `MLproject`, even a file named `txt`). Case-sensitive, as MLflow's check is.
 * @see mlflow/utils/mime_type_utils.py `get_text_extensions`
 */
const TEXT_EXTENSIONS = new Set([
  "txt",
  "log",
  "err",
  "cfg",
  "conf",
  "cnf",
  "cf",
  "ini",
  "properties",
  "prop",
  "hocon",
  "toml",
  "yaml",
  "yml",
  "xml",
  "json",
  "js",
  "py",
  "py3",
  "csv",
  "tsv",
  "md",
  "rst",
  "ipynb",
  "MLmodel",
  "MLproject",
]);

/**
 * Python's built-in `mimetypes` table where it differs from the `mime` package's; elsewhere the two agree, and beyond
 * Python's built-in table the reference's answer depends on its host's `/etc/mime.types`, for which `mime` stands in.
 */
const PYTHON_TYPES: Record<string, string> = {
  js: "application/javascript",
  mjs: "application/javascript",
  wiz: "application/msword",
  a: "application/octet-stream",
  o: "application/octet-stream",
  obj: "application/octet-stream",
  m3u: "application/vnd.apple.mpegurl",
  xlb: "application/vnd.ms-excel",
  ppa: "application/vnd.ms-powerpoint",
  pwz: "application/vnd.ms-powerpoint",
  h5: "application/x-hdf5",
  mif: "application/x-mif",
  ram: "application/x-pn-realaudio",
  pyc: "application/x-python-code",
  pyo: "application/x-python-code",
  roff: "application/x-troff",
  t: "application/x-troff",
  tr: "application/x-troff",
  man: "application/x-troff-man",
  me: "application/x-troff-me",
  ms: "application/x-troff-ms",
  rdf: "application/xml",
  wsdl: "application/xml",
  xpdl: "application/xml",
  "3gp": "audio/3gpp",
  "3gpp": "audio/3gpp",
  "3g2": "audio/3gpp2",
  "3gpp2": "audio/3gpp2",
  loas: "audio/aac",
  ass: "audio/aac",
  opus: "audio/opus",
  wav: "audio/x-wav",
  nws: "message/rfc822",
  bat: "text/plain",
  c: "text/plain",
  h: "text/plain",
  ksh: "text/plain",
  pl: "text/plain",
  srt: "text/plain",
  py: "text/x-python",
  sgm: "text/x-sgml",
  sgml: "text/x-sgml",
  xml: "text/xml",
  mpa: "video/mpeg",
};

/** Python's `mimetypes.suffix_map`: short forms of compressed tarballs. */
const SUFFIXES: Record<string, string> = {
  ".svgz": ".svg.gz",
  ".tgz": ".tar.gz",
  ".taz": ".tar.gz",
  ".tz": ".tar.gz",
  ".tbz2": ".tar.bz2",
  ".txz": ".tar.xz",
};
/** Python's `mimetypes.encodings_map`: a compression suffix is an encoding, and the type is the name's before it. */
const ENCODINGS = new Set([".gz", ".Z", ".bz2", ".xz", ".br"]);

/** Python's `os.path.splitext`: the last dot starts the extension unless only dots precede it. */
function splitext(name: string): [string, string] {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || /^\.+$/.test(name.slice(0, dot))) return [name, ""];
  return [name.slice(0, dot), name.slice(dot)];
}

/** The last segment of a `/`-separated path. */
const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * Python's `mimetypes.guess_type(name)[0]`: compressed-tarball suffixes expanded, a compression suffix skipped, then
 * the extension looked up as written and then lowercased. Undefined when unknown.
 */
export function pythonGuessType(path: string): string | undefined {
  let [base, ext] = splitext(baseName(path));
  while (ext in SUFFIXES) [base, ext] = splitext(base + SUFFIXES[ext]);
  if (ENCODINGS.has(ext)) [base, ext] = splitext(base);
  if (!ext) return undefined;
  for (const e of [ext, ext.toLowerCase()]) {
    const key = e.slice(1);
    const known = Object.hasOwn(PYTHON_TYPES, key) ? PYTHON_TYPES[key] : mime.getType(key);
    if (known) return known;
  }
  return undefined;
}

/**
 * The `Content-Type` the reference serves an artifact with: `text/plain` for MLflow's text files, else Python's guess,
 * else `application/octet-stream`.
 * @see mlflow/utils/mime_type_utils.py `_guess_mime_type`
 */
export function guessMimeType(path: string): string {
  const name = baseName(path);
  const ext = splitext(name)[1].replaceAll(".", "");
  if (TEXT_EXTENSIONS.has(ext || name)) return "text/plain";
  return pythonGuessType(name) ?? "application/octet-stream";
}
