/** Artifact locations and local files, on every runtime: browsers pass bytes, Node/Deno/Bun may pass file paths. */

/** What can be uploaded: a local file path (not in browsers), text, bytes, a Blob or a stream. */
export type ArtifactSource =
  | { path: string }
  | { text: string }
  | { bytes: Uint8Array | ArrayBuffer }
  | { blob: Blob }
  | { stream: ReadableStream<Uint8Array> };

/**
 * The path below `/2.0/mlflow-artifacts/artifacts/` of an artifact under a run's or model's `artifact_uri`.
 * Only proxied locations (`mlflow-artifacts:`) are reachable through the server; others live in storage the client
 * would have to reach itself, which this client does not do.
 */
export function proxiedArtifactPath(artifactUri: string, path = ""): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!m) {
    throw new TypeError(
      `Artifact location ${artifactUri} is not served by the tracking server (mlflow-artifacts:); start the server with artifact proxying.`,
    );
  }
  return joinPath(m[1] ?? "", path);
}

/** Joins artifact path parts with single slashes. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split("/"))
    .filter((p) => p !== "" && p !== ".")
    .join("/");
}

/** Encodes each segment of a slash path for a URL. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The last segment of a path (a file's name). */
export function baseName(path: string): string {
  return (
    path
      .replace(/[/\\]+$/, "")
      .split(/[/\\]/)
      .pop() ?? path
  );
}

type FsPromises = typeof import("node:fs/promises");

/** node:fs/promises, loaded only when a file path is used (Node, Deno and Bun all provide it). */
export async function fs(): Promise<FsPromises> {
  try {
    return await import(/* @vite-ignore */ "node:fs/promises");
  } catch {
    throw new TypeError("File paths need Node, Deno or Bun; in a browser pass { bytes }, { blob } or { stream }.");
  }
}

/** Reads a local file as a stream of chunks, opened lazily and closed at the end (or on cancel). */
export function fileStream(path: string, chunkSize = 1 << 20): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<FsPromises["open"]>> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      handle ??= await (await fs()).open(path, "r");
      const buf = new Uint8Array(chunkSize);
      const { bytesRead } = await handle.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) {
        await handle.close();
        controller.close();
      } else {
        controller.enqueue(buf.subarray(0, bytesRead));
      }
    },
    async cancel() {
      await handle?.close();
    },
  });
}

/**
 * A request body for a source, made afresh per attempt where the source allows it (files, text, bytes, blobs), so
 * that uploads can be retried; a caller's stream is sent once.
 */
export function bodyFactory(source: ArtifactSource): BodyInit | (() => BodyInit) {
  if ("path" in source) return () => fileStream(source.path);
  if ("text" in source) return () => new TextEncoder().encode(source.text);
  if ("bytes" in source) return () => source.bytes as BodyInit;
  if ("blob" in source) return () => source.blob;
  return source.stream;
}

/** Lists the files below a local directory, recursively, as paths relative to it. */
export async function listLocalFiles(dir: string): Promise<string[]> {
  const entries = await (await fs()).readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      joinPath(relativeTo(dir, (e as { parentPath?: string; path?: string }).parentPath ?? e.path ?? dir), e.name),
    )
    .sort();
}

function relativeTo(root: string, dir: string): string {
  const r = root.replace(/[/\\]+$/, "");
  return dir === r ? "" : dir.startsWith(`${r}/`) ? dir.slice(r.length + 1) : dir;
}
