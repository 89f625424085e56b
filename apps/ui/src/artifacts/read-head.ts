/**
 * Reads only the first bytes of a download: large artifacts are previewed from their head, and the rest of the
 * response is never transferred (the stream is cancelled). Tested in read-head.test.ts.
 */

export interface Head {
  bytes: Uint8Array;
  /** The stream held more than `limit` bytes. */
  truncated: boolean;
}

/** Reads up to `limit` bytes from a stream, then cancels it. */
export async function readHead(stream: ReadableStream<Uint8Array>, limit: number): Promise<Head> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    if (size > limit) truncated = true;
    else if (size === limit) {
      // Exactly at the limit: the file is longer only if another chunk follows.
      const next = await reader.read();
      truncated = !next.done;
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, Math.min(c.length, bytes.length - at));
    bytes.set(part, at);
    at += part.length;
    if (at >= bytes.length) break;
  }
  return { bytes, truncated };
}

/**
 * Decodes UTF-8 bytes that may end in the middle of a character: with `cut`, an incomplete last sequence is dropped
 * instead of becoming a replacement character.
 */
export function decodeText(bytes: Uint8Array, cut: boolean): string {
  return new TextDecoder("utf-8").decode(bytes, { stream: cut });
}

/** The head of an artifact's text from its answer: at most `limit` bytes, and whether the file is longer. */
export async function responseHead(
  res: Response,
  limit: number,
): Promise<Head & { text: string; total: number | undefined }> {
  const total = Number(res.headers.get("content-length") ?? Number.NaN);
  const head = res.body ? await readHead(res.body, limit) : { bytes: new Uint8Array(), truncated: false };
  return { ...head, text: decodeText(head.bytes, head.truncated), total: Number.isFinite(total) ? total : undefined };
}
