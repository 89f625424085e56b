import type { Hono } from "hono";
import type { ArtifactStore } from "../artifacts/store.js";

/**
 * `GET /api/3.0/mlflow/server-info` (and its ajax twin): what 3.x clients ask before choosing how to move artifacts.
 * A client sends large files as presigned multipart uploads only when `multipart_uploads_enabled` is true, which is the
 * case when the artifact store has them (S3); likewise presigned downloads. Both are false with --no-serve-artifacts.
 * @see mlflow/server/handlers.py `build_server_info_payload`
 */
export function serverInfoRoutes(app: Hono, artifacts: ArtifactStore | undefined, workspacesEnabled = false): void {
  const payload = {
    store_type: "SqlStore",
    workspaces_enabled: workspacesEnabled,
    trace_archival_enabled: false,
    multipart_uploads_enabled: artifacts?.multipart !== undefined,
    multipart_downloads_enabled: artifacts?.presign !== undefined,
    // The request contract of artifacts/presigned-upload-url; whether a run's location can be presigned is per run.
    presigned_upload_run_id_supported: true,
    presigned_upload_model_id_supported: true,
    features_enabled: { gateway: false },
  };
  for (const path of ["/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info"]) {
    app.get(path, (c) => c.json(payload));
  }
}
