/** A body the reference refuses before parsing it: `{"detail": …}` with HTTP 400, as FastAPI writes HTTPException. */
export class OtlpHttpError extends Error {
  constructor(
    readonly status: 400 | 422,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * Decompressed bodies past this size are refused: the request body limit applies to the compressed bytes, and a
 * small gzip body can inflate a thousandfold.
 */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

async function inflate(body: Uint8Array, format: "gzip" | "deflate" | "deflate-raw"): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(format));
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_DECOMPRESSED_BYTES) throw new Error("decompressed body too large");
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The body after its Content-Encoding (lower-cased): gzip, or deflate in zlib or raw form, as the reference accepts.
 * @see mlflow/tracing/utils/otlp.py decompress_otlp_body
 */
export async function decompressBody(body: Uint8Array, encoding: string): Promise<Uint8Array> {
  switch (encoding) {
    case "gzip":
      try {
        return await inflate(body, "gzip");
      } catch {
        throw new OtlpHttpError(400, "Failed to decompress gzip payload");
      }
    case "deflate":
      try {
        return await inflate(body, "deflate");
      } catch {
        try {
          return await inflate(body, "deflate-raw");
        } catch {
          throw new OtlpHttpError(400, "Failed to decompress deflate payload");
        }
      }
    default:
      throw new OtlpHttpError(400, `Unsupported Content-Encoding: ${encoding}`);
  }
}
