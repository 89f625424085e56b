import { invalidParameter } from "../errors.js";
import { childOfExperiment } from "./checker.js";
import type { Rule } from "./rule-types.js";

/**
 * `upload-artifact` writes to the run its handler reads, `run_uuid` (never `run_id`), so its check judges that one:
 * a request naming another run in `run_id` cannot be checked against it and written to the other.
 * @see mlflow/server/handlers.py `upload_artifact_handler`
 */
export const uploadArtifactRule: Rule = async ({ check, params }) => {
  const runUuid = params.query("run_uuid");
  if (!runUuid) throw invalidParameter("Request must specify run_uuid.");
  const exp = await check.runExperiment(runUuid);
  return exp !== undefined && check.ok(childOfExperiment(exp, "run", "update"));
};

/** Minting a presigned download URL reads the run's artifacts: READ on the run. @see auth `CreatePresignedDownloadUrl` */
export const presignedDownloadRule: Rule = async ({ check, params }) => check.run(await params.get("run_id"), "read");

/**
 * Minting a presigned upload URL writes a run's or a logged model's artifacts: UPDATE on the one named, after the
 * handler's own "exactly one" check (so a request naming both gets the 400, not a 403).
 * @see mlflow/server/auth/__init__.py `validate_can_update_run_or_logged_model`
 */
export const presignedUploadRule: Rule = async ({ check, params }) => {
  const runId = (await params.optional("run_id")) as string | undefined;
  const modelId = (await params.optional("model_id")) as string | undefined;
  if (!!runId === !!modelId) throw invalidParameter("Exactly one of run_id and model_id must be provided.");
  return modelId ? check.loggedModel(String(modelId), "update") : check.run(String(runId), "update");
};
