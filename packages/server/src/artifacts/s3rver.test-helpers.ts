import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { S3ArtifactStoreOptions } from "./s3.js";

/** The slice of koa's context the middleware below uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The slice of s3rver's (untyped) API the tests use; s3rver is a koa app. */
interface S3rver {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(
    event: "event",
    listener: (event: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => void,
  ): void;
  middleware: KoaMiddleware[];
  httpServer?: import("node:http").Server;
  store: { getResourcePath(bucket: string, key: undefined, resource: string): string };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rver;

export interface TestS3 {
  bucket: string;
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Objects written, in order, with how: `ObjectCreated:Put` (one request) or `ObjectCreated:Post` (multipart). */
  writes: { key: string; eventName: string }[];
  /** Store options for the running server, with artifacts under `prefix`. */
  options(prefix: string): S3ArtifactStoreOptions;
}

/**
 * A real S3-compatible HTTP server (s3rver, in-process, on 127.0.0.1 with a temporary folder and one bucket) for the
 * test file that calls it; stopped and removed afterwards. s3rver checks no signatures, so keys are placeholders.
 */
export function useS3rver(bucket = "tracklite-test"): TestS3 {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-s3rver-"));
  const S3rverServer = createRequire(import.meta.url)("s3rver") as S3rverClass;
  const server = new S3rverServer({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  const t: TestS3 = {
    bucket,
    endpoint: "",
    writes: [],
    options: (prefix) => ({
      bucket,
      prefix,
      endpoint: t.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      forcePathStyle: true,
    }),
  };
  server.middleware.unshift(multipartGaps(server));
  server.on("event", (event) => {
    for (const r of event.Records) t.writes.push({ key: decodeURIComponent(r.s3.object.key), eventName: r.eventName });
  });
  beforeAll(async () => {
    const { port } = await server.run();
    t.endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    const closed = server.close();
    // Keep-alive sockets of the SDK and of fetch would hold `close` open until they time out.
    server.httpServer?.closeAllConnections();
    await closed;
    rmSync(dir, { recursive: true, force: true });
  });
  return t;
}

/**
 * What s3rver 3.7 lacks of S3's multipart API, answered as S3 documents it: AbortMultipartUpload drops the upload and
 * its parts (204), and UploadPart, CompleteMultipartUpload or AbortMultipartUpload of an unknown upload is NoSuchUpload
 * (404). s3rver keeps an upload's parts in `<bucket>/<uploads resource>/<uploadId>/`.
 */
function multipartGaps(server: S3rver): KoaMiddleware {
  return async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    if (typeof uploadId !== "string" || !["PUT", "POST", "DELETE"].includes(ctx.method)) return next();
    const bucket = ctx.path.split("/")[1] ?? "";
    const folder = join(server.store.getResourcePath(bucket, undefined, "uploads"), basename(uploadId));
    if (!existsSync(folder)) {
      ctx.status = 404;
      ctx.type = "application/xml";
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        "<Message>The specified upload does not exist.</Message></Error>";
      return;
    }
    if (ctx.method !== "DELETE") return next();
    rmSync(folder, { recursive: true, force: true });
    ctx.status = 204;
  };
}
