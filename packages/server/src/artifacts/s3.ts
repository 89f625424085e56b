import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import { pythonGuessType } from "./mime-type.js";
import type { ArtifactBody, ArtifactEntry, ArtifactStore, MultipartUploads, PresignedUrls } from "./store.js";

const MiB = 1024 * 1024;
/** S3 numbers parts 1 to 10,000. */
const MAX_PARTS = 10_000;

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Key prefix every artifact path goes under; "" (the default) is the top of the bucket. */
  prefix?: string;
  /** An S3-compatible server (MinIO, R2, …); AWS itself when absent. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** The SDK's default credential chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Bucket in the path (`endpoint/bucket/key`) rather than in the host name. */
  forcePathStyle?: boolean;
  /** Size of the parts a long upload is cut into: S3's minimum, 5 MiB, by default, so a stream holds little. */
  partSize?: number;
  /** Lifetime of presigned part URLs, in seconds. Default 3600, boto's. */
  presignExpiresIn?: number;
  /** The SDK's transport or its options, e.g. a Node `httpsAgent` that skips TLS checks (MLFLOW_S3_IGNORE_TLS). */
  requestHandler?: S3ClientConfig["requestHandler"];
}

const isS3Error = (err: unknown, ...names: string[]) => err instanceof S3ServiceException && names.includes(err.name);

/** Rethrows S3's refusals of a client's multipart calls as MLflow errors; anything else stays an internal error. */
function rethrowClientMistake(err: unknown): never {
  if (isS3Error(err, "NoSuchUpload")) throw notFound(`No such multipart upload: ${(err as Error).message}`);
  if (isS3Error(err, "InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML"))
    throw invalidParameter((err as Error).message);
  throw err;
}

/**
 * Re-cuts a byte stream into pieces of exactly `size` bytes (the last one shorter). The pieces live in two buffers used
 * in turn, so a piece stays valid until the next-but-one is taken: enough to hold two pieces at once, and no garbage
 * of `size` bytes per piece for the collector to catch up with (a 1 GB upload would otherwise grow the process by
 * tens of MiB). Cancels the source when the consumer stops early.
 */
async function* piecesOf(stream: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  const buffers: Uint8Array[] = [];
  let turn = 0;
  let piece: Uint8Array | undefined;
  let filled = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      while (chunk.length > 0) {
        if (!piece) {
          buffers[turn] ??= new Uint8Array(size);
          piece = buffers[turn] as Uint8Array;
          turn = 1 - turn;
        }
        const used = Math.min(chunk.length, size - filled);
        piece.set(chunk.subarray(0, used), filled);
        filled += used;
        chunk = chunk.subarray(used);
        if (filled === size) {
          yield piece;
          piece = undefined;
          filled = 0;
        }
      }
    }
    finished = true;
    if (piece && filled > 0) yield piece.subarray(0, filled);
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * An object body as a web stream that reads from S3 only as fast as the client takes it. The SDK's own
 * `transformToWebStream` reads Node's response eagerly (Node 20), which buffered tens of MiB of a 1 GB download.
 */
function pulled(
  body: AsyncIterable<Uint8Array> | { transformToWebStream(): ReadableStream },
): ReadableStream<Uint8Array> {
  if (!(Symbol.asyncIterator in body)) return body.transformToWebStream() as ReadableStream<Uint8Array>;
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Artifacts in an S3 bucket (or any S3-compatible server) under a key prefix, through the SDK's runtime-agnostic
 * client, so that it runs on Node, Deno and Bun alike. Folders are key prefixes, as in MLflow's S3 repository.
 * @see mlflow/store/artifact/s3_artifact_repo.py
 */
export function createS3ArtifactStore(options: S3ArtifactStoreOptions): ArtifactStore {
  const Bucket = options.bucket;
  const root = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
  const partSize = options.partSize ?? 5 * MiB;
  const expiresIn = options.presignExpiresIn ?? 3600;
  const client = new S3Client({
    region: options.region ?? "us-east-1",
    endpoint: options.endpoint,
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle ?? false,
    requestHandler: options.requestHandler,
    // boto finds a bucket's region by itself; so does the SDK with this.
    followRegionRedirects: true,
    // Checksums only where S3 demands them: by default the SDK bakes the CRC32 of an empty body into presigned part
    // URLs, which S3, MinIO and R2 then refuse for the real part; some S3-compatible servers also reject the headers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  const keyOf = (path: string) => {
    if (path.split("/").includes("..")) throw invalidParameter("Invalid path");
    return [root, path].filter(Boolean).join("/");
  };
  /** The prefix of the keys below the folder `dir`. */
  const folderOf = (dir: string) => (keyOf(dir) ? `${keyOf(dir)}/` : "");
  const directoryError = (path: string) =>
    invalidParameter(`Artifact path refers to a directory, not a file: '${path}'`);

  async function* pages(input: Omit<ListObjectsV2CommandInput, "Bucket">) {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, ...input, ContinuationToken }));
      yield page;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Cuts the body into parts as it arrives; a body that fits in one part goes up as one PutObject. */
  async function put(path: string, body: ReadableStream<Uint8Array>): Promise<void> {
    const Key = keyOf(path);
    const ContentType = pythonGuessType(path);
    const pieces = piecesOf(body, partSize);
    const first = await pieces.next();
    const second = first.done ? first : await pieces.next();
    if (second.done) {
      const Body = first.done ? new Uint8Array(0) : first.value;
      await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentLength: Body.length, ContentType }));
      return;
    }
    const Parts: CompletedPart[] = [];
    let UploadId: string | undefined;
    const upload = async (Body: Uint8Array) => {
      const PartNumber = Parts.length + 1;
      if (PartNumber > MAX_PARTS)
        throw invalidParameter(`Artifact too large: more than ${MAX_PARTS} parts of ${partSize} bytes.`);
      const { ETag } = await client.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body, ContentLength: Body.length }),
      );
      Parts.push({ PartNumber, ETag });
    };
    try {
      ({ UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType })));
      await upload(first.value as Uint8Array);
      await upload(second.value);
      for await (const piece of pieces) await upload(piece);
      await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
    } catch (err) {
      await pieces.return(undefined);
      if (UploadId) await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
      throw err;
    }
  }

  async function get(path: string): Promise<ArtifactBody | undefined> {
    if (!path) throw directoryError(path);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(path) }));
      if (out.Body) {
        return { stream: pulled(out.Body), size: out.ContentLength ?? 0 };
      }
    } catch (err) {
      if (!isS3Error(err, "NoSuchKey")) throw err;
    }
    const below = await client.send(new ListObjectsV2Command({ Bucket, Prefix: folderOf(path), MaxKeys: 1 }));
    if ((below.KeyCount ?? below.Contents?.length ?? 0) > 0) throw directoryError(path);
    return undefined;
  }

  async function list(dir: string): Promise<ArtifactEntry[]> {
    const prefix = folderOf(dir);
    const at = (name: string) => (dir ? `${dir}/${name}` : name);
    // Names S3 allows but no artifact path can be (empty, `.`, `..`, directory markers) are left out.
    const usable = (name: string) => name !== "" && name !== "." && name !== ".." && !name.includes("/");
    const entries: ArtifactEntry[] = [];
    for await (const page of pages({ Prefix: prefix, Delimiter: "/" })) {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        const name = (Prefix ?? "").slice(prefix.length, -1);
        if (usable(name)) entries.push({ path: at(name), isDir: true });
      }
      for (const { Key, Size } of page.Contents ?? []) {
        const name = (Key ?? "").slice(prefix.length);
        if (usable(name)) entries.push({ path: at(name), isDir: false, size: Size ?? 0 });
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Removes the key itself and every key below it; like the local store, never the root. */
  async function remove(path: string): Promise<void> {
    if (!path) return;
    const key = keyOf(path);
    const drop = async (keys: string[]) => {
      const out = await client.send(
        new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = out.Errors?.[0];
      if (failed) throw new Error(`S3 refused to delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
    };
    await drop([key]);
    // Page on with StartAfter (a key, not a token), which deletions behind it cannot upset.
    let StartAfter: string | undefined;
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: `${key}/`, StartAfter }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      if (keys.length > 0) await drop(keys);
      if (!page.IsTruncated || keys.length === 0) return;
      StartAfter = keys[keys.length - 1];
    }
  }

  const multipart: MultipartUploads = {
    async create(path, parts) {
      const Key = keyOf(path);
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket, Key, ContentType: pythonGuessType(path) }),
      );
      if (!UploadId) throw new Error("S3 answered CreateMultipartUpload without an UploadId");
      const numbers = Array.from({ length: parts }, (_, i) => i + 1);
      const credentials = await Promise.all(
        numbers.map(async (PartNumber) => ({
          partNumber: PartNumber,
          url: await getSignedUrl(client, new UploadPartCommand({ Bucket, Key, UploadId, PartNumber }), { expiresIn }),
          headers: {},
        })),
      );
      return { uploadId: UploadId, credentials };
    },
    async complete(path, uploadId, parts) {
      const Parts = parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag }));
      const command = new CompleteMultipartUploadCommand({
        Bucket,
        Key: keyOf(path),
        UploadId: uploadId,
        MultipartUpload: { Parts },
      });
      await client.send(command).catch(rethrowClientMistake);
    },
    async abort(path, uploadId) {
      const command = new AbortMultipartUploadCommand({ Bucket, Key: keyOf(path), UploadId: uploadId });
      await client.send(command).catch(rethrowClientMistake);
    },
  };

  const presign: PresignedUrls = {
    async upload(path, expiresIn) {
      const ContentType = pythonGuessType(path) ?? "application/octet-stream";
      const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key: keyOf(path), ContentType }), {
        expiresIn,
        // The content type is signed, so the client must send it: it comes back in `headers`, as boto's does.
        signableHeaders: new Set(["content-type"]),
      });
      return { url, headers: { "Content-Type": ContentType } };
    },
    async download(path, expiresIn) {
      const Key = keyOf(path);
      const head = await client.send(new HeadObjectCommand({ Bucket, Key })).catch(rethrowHeadError);
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({ Bucket, Key, ResponseContentDisposition: attachmentDisposition(Key) }),
        { expiresIn },
      );
      return { url, headers: {}, ...(head.ContentLength !== undefined ? { fileSize: head.ContentLength } : {}) };
    },
  };

  return { put, get, list, delete: remove, multipart, presign };
}

/**
 * The `Content-Disposition` a presigned download asks S3 to answer with, so that a browser saves the file under its own
 * name rather than rendering it: quoted for printable ASCII, RFC 5987 otherwise.
 * @see mlflow/store/artifact/s3_artifact_repo.py `_attachment_content_disposition`
 */
function attachmentDisposition(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  if (/^[\x20-\x7e]*$/.test(name)) return `attachment; filename="${name.replace(/["\\]/g, "\\$&")}"`;
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * S3's answer to the HEAD of a presigned download as the reference maps it: a missing object (HEAD answers carry only
 * the status) is RESOURCE_DOES_NOT_EXIST "Not Found", a refusal PERMISSION_DENIED.
 * @see mlflow/store/artifact/s3_artifact_repo.py `BOTO_TO_MLFLOW_ERROR`
 */
function rethrowHeadError(err: unknown): never {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (isS3Error(err, "NotFound", "NoSuchKey") || status === 404) throw notFound("Not Found");
  if (isS3Error(err, "NoSuchBucket")) throw notFound((err as Error).message);
  if (isS3Error(err, "Forbidden", "AccessDenied") || status === 403)
    throw new MlflowError("Forbidden", "PERMISSION_DENIED");
  throw err;
}

/** Store options plus the one setting a runtime-agnostic module cannot apply itself. */
export interface S3DestinationOptions extends S3ArtifactStoreOptions {
  /** MLFLOW_S3_IGNORE_TLS: the runtime entry must give a `requestHandler` that skips certificate checks. */
  ignoreTls: boolean;
}

/** MLflow's boolean variables: true/false/1/0 in any case; anything else is refused, as MLflow does. */
function mlflowBool(env: Record<string, string | undefined>, name: string): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const value = raw.toLowerCase();
  if (!["true", "false", "1", "0"].includes(value))
    throw new Error(`${name} value must be one of ['true', 'false', '1', '0'] (case-insensitive), but got ${raw}`);
  return value === "true" || value === "1";
}

/**
 * Options for an `s3://bucket/prefix` destination from the variables MLflow's S3 repository reads:
 * MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_DEFAULT_REGION,
 * MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE and MLFLOW_S3_IGNORE_TLS. Like botocore's `auto` style, an endpoint that is not
 * AWS's gets path-style addressing.
 * @see mlflow/store/artifact/s3_artifact_repo.py `_get_s3_client`
 */
export function s3OptionsFromUri(uri: string, env: Record<string, string | undefined>): S3DestinationOptions {
  const match = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(uri);
  if (!match) throw new Error(`Not an S3 URI (s3://bucket/prefix): ${uri}`);
  const endpoint = env.MLFLOW_S3_ENDPOINT_URL || undefined;
  const style = (env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE || "auto").toLowerCase();
  if (!["auto", "path", "virtual"].includes(style))
    throw new Error(`MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE must be auto, path or virtual, not ${style}`);
  let awsEndpoint = !endpoint;
  if (endpoint) {
    if (!URL.canParse(endpoint)) throw new Error(`MLFLOW_S3_ENDPOINT_URL is not a URL: ${endpoint}`);
    awsEndpoint = /\.amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname);
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN || undefined;
  return {
    bucket: match[1] as string,
    prefix: (match[2] ?? "").replace(/\/+$/, ""),
    endpoint,
    region: env.AWS_DEFAULT_REGION || env.AWS_REGION || undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined,
    forcePathStyle: style === "path" || (style === "auto" && !awsEndpoint),
    ignoreTls: mlflowBool(env, "MLFLOW_S3_IGNORE_TLS"),
  };
}
