import { notFound } from "../errors.js";
import type { ArtifactStore } from "./store.js";

/** A `Content-Disposition: attachment` value, with an RFC 5987 form for names that are not ASCII. */
function attachment(filename: string): string {
  if (/^[\x20-\x7e]*$/.test(filename)) return `attachment; filename=${filename.replace(/[";\\]/g, "_")}`;
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/[";\\]/g, "_") || "download";
  return `attachment; filename=${fallback}; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Streams an artifact as the reference serves it: always as an attachment (never rendered on our origin), with
 * the guessed type and `X-Content-Type-Options: nosniff`.
 */
export async function artifactResponse(store: ArtifactStore, path: string): Promise<Response> {
  const file = await store.get(path);
  if (!file) throw notFound(`No such artifact: '${path}'`);
  const name = path.split("/").pop() ?? path;
  // The `mime` package builds its whole table on import: load it with the first download, not at every start.
  const { guessMimeType } = await import("./mime-type.js");
  return new Response(file.stream, {
    headers: {
      "Content-Type": guessMimeType(name),
      "Content-Length": String(file.size),
      "Content-Disposition": attachment(name),
      "X-Content-Type-Options": "nosniff",
    },
  });
}
