import type { ArtifactStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";

/** Whether a location is a bucket (`s3://bucket/prefix`). */
export const isS3Location = (uri: string) => /^s3:\/\//i.test(uri);

/**
 * An artifact store for a local folder or an `s3://bucket/prefix` URI, with MLflow's S3 variables
 * (MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID…) read from `env`, as the server opens its `--artifacts-destination`.
 * The AWS SDK is loaded only for a bucket. `createRoot` makes a missing local folder (for a place to write to).
 */
export async function openArtifactLocation(
  uri: string,
  env: Record<string, string | undefined>,
  { createRoot = false } = {},
): Promise<ArtifactStore> {
  if (!isS3Location(uri)) return createLocalArtifactStore(uri, { createRoot });
  const { createS3ArtifactStore, s3OptionsFromUri } = await import("@tracklite/server/s3-artifacts");
  const { ignoreTls, ...options } = s3OptionsFromUri(uri, env);
  if (ignoreTls) {
    const { Agent } = await import("node:https");
    options.requestHandler = { httpsAgent: new Agent({ rejectUnauthorized: false }) };
  }
  return createS3ArtifactStore(options);
}
