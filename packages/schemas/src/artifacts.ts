import * as z from "zod";

/** One entry of an artifact listing. @see mlflow/protos/service.proto FileInfo */
export const FileInfo = z.object({
  path: z.string(),
  is_dir: z.boolean(),
  file_size: z.number().optional(),
});
export type FileInfo = z.infer<typeof FileInfo>;

/** The answer of `/mlflow/artifacts/list` and of the proxied artifact listing. */
export const ListArtifactsResponse = z.object({
  root_uri: z.string().optional(),
  files: z.array(FileInfo).optional(),
  next_page_token: z.string().optional(),
});
export type ListArtifactsResponse = z.infer<typeof ListArtifactsResponse>;
