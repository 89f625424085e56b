/** One entry of an artifact listing, relative to the artifact root. */
export interface ArtifactEntry {
  /** Path from the root, `/`-separated. */
  path: string;
  isDir: boolean;
  /** Bytes, for files. */
  size?: number;
}

/** An artifact's bytes as a stream, with its size. */
export interface ArtifactBody {
  stream: ReadableStream<Uint8Array>;
  size: number;
}

/**
 * Where artifacts live: a local folder or S3-compatible storage, behind one interface. Paths are relative to the
 * store's root and already checked by `safeArtifactPath`; bodies stream both ways, never held whole in memory.
 */
export interface ArtifactStore {
  /** Writes `body` at `path`, replacing what was there; visible to readers only once complete. */
  put(path: string, body: ReadableStream<Uint8Array>): Promise<void>;
  /** The file at `path`; undefined when there is none; MLflow's "refers to a directory" error for a folder. */
  get(path: string): Promise<ArtifactBody | undefined>;
  /** The entries directly below `dir` (the root when empty), sorted by path. */
  list(dir: string): Promise<ArtifactEntry[]>;
  /** Removes a file or a whole folder; nothing to remove is not an error. */
  delete(path: string): Promise<void>;
  /** Multipart upload with presigned part URLs, where the store has it (S3); absent for a local folder. */
  readonly multipart?: MultipartUploads;
  /** Presigned single-file URLs, where the store has them (S3); absent for a local folder. */
  readonly presign?: PresignedUrls;
}

/** A URL to send straight to the storage, with the headers that must go along. */
export interface PresignedUrl {
  url: string;
  headers: Record<string, string>;
}

/**
 * Presigned URLs for one file, so that a client moves its bytes without the server in between. Paths are relative
 * to the store's root; `expiresIn` is in seconds.
 * @see mlflow/store/artifact/s3_artifact_repo.py `create_presigned_upload_url`, `get_download_presigned_url`
 */
export interface PresignedUrls {
  /** A PUT URL for `path`, signed with the content type its headers name. */
  upload(path: string, expiresIn: number): Promise<PresignedUrl>;
  /** A GET URL for the file at `path` that downloads it as an attachment, with its size; not found when absent. */
  download(path: string, expiresIn: number): Promise<PresignedUrl & { fileSize?: number }>;
}

/** A presigned PUT URL for one part, with the headers to send along. @see mlflow_artifacts.proto `MultipartUploadCredential` */
export interface MultipartCredential {
  partNumber: number;
  url: string;
  headers: Record<string, string>;
}

/** One uploaded part, as the client reports it. @see mlflow_artifacts.proto `MultipartUploadPart` */
export interface MultipartPart {
  partNumber: number;
  /** The `ETag` header the storage answered the part's PUT with. */
  etag: string;
}

/**
 * Uploads that the client sends straight to the storage, part by part, through presigned URLs; the server only opens,
 * completes or aborts them. Paths are those of the final file, relative to the store's root.
 * @see mlflow/store/artifact/artifact_repo.py `MultipartUploadMixin`
 */
export interface MultipartUploads {
  /** Opens an upload of `path` and presigns parts 1 to `parts`. */
  create(path: string, parts: number): Promise<{ uploadId: string; credentials: MultipartCredential[] }>;
  /** Joins the parts into the file at `path`, which only then becomes visible. */
  complete(path: string, uploadId: string, parts: MultipartPart[]): Promise<void>;
  /** Drops the upload and its parts. */
  abort(path: string, uploadId: string): Promise<void>;
}
