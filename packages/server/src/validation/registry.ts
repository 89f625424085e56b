import { MODEL_VERSION_STAGES, type ModelVersionStage } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { pyInt } from "../search/python-compat.js";
import { exceedsMaximumLength, invalidValue, missingValue } from "./messages.js";
import { normpath } from "./posix-path.js";
import { checkKeyShape, checkLength, pyRepr } from "./validate.js";

/**
 * The model registry's checks, with the reference's messages.
 * @see mlflow/utils/validation.py (_validate_model_name, _validate_model_alias_name, ...) and
 *   mlflow/entities/model_registry/model_version_stages.py
 */

export const REGISTRY_LIMITS = { tagKeyLength: 250, tagValueLength: 100_000, aliasLength: 255 } as const;

/** The internal stage of a deleted version: hidden from every read, as in the reference. */
export const STAGE_DELETED = "Deleted_Internal";

const PROMPT_TEXT_TAG = "mlflow.prompt.text";
const ALIAS = /^[\p{L}\p{N}_-]*$/u;
const VERSION_ALIAS = /^[vV]\d+$/;

/** `_validate_model_name`; `field` names the request field a missing name is reported as. */
export function validateModelName(name: string | undefined, field = "name"): string {
  if (name === undefined || name.trim() === "") throw invalidParameter(missingValue(field));
  if (name.includes("/") || name.includes(":")) {
    throw invalidParameter(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`);
  }
  const norm = normpath(name);
  if (norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidParameter(
      invalidValue(
        "name",
        name,
        `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${pyRepr(norm)}`,
      ),
    );
  }
  return name;
}

/** Python's `int(version)`, with MLflow's message when it is not an integer. */
export function parseVersion(version: string | undefined): number {
  const n = pyInt(version ?? "");
  if (n === undefined) throw invalidParameter(`Parameter 'version' must be an integer, got '${version ?? ""}'.`);
  return n;
}

/** `_validate_tag_name`: present, MLflow's key characters, and no name that resolves to another as a path. */
export function validateTagName(key: string | undefined): string {
  if (key === undefined) throw invalidParameter(missingValue("key"));
  checkKeyShape(key, "key");
  return key;
}

export function validateRegisteredModelTag(key: string | undefined, value: string | undefined): void {
  validateTagName(key);
  checkLength("key", REGISTRY_LIMITS.tagKeyLength, key);
  checkLength("value", REGISTRY_LIMITS.tagValueLength, value);
}

export function validateModelVersionTag(key: string | undefined, value: string | undefined): void {
  validateTagName(key);
  if (value === undefined) throw invalidParameter("Tag value cannot be None");
  checkLength("key", REGISTRY_LIMITS.tagKeyLength, key);
  if (key === PROMPT_TEXT_TAG && [...value].length > REGISTRY_LIMITS.tagValueLength) {
    throw invalidParameter(`Prompt text exceeds max length of ${REGISTRY_LIMITS.tagValueLength} characters.`);
  }
  checkLength("value", REGISTRY_LIMITS.tagValueLength, value);
}

export function validateAliasName(alias: string | undefined): string {
  if (!alias) throw invalidParameter("Registered model alias name cannot be empty.");
  if (!ALIAS.test(alias)) {
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if ([...alias].length > REGISTRY_LIMITS.aliasLength) {
    throw invalidParameter(exceedsMaximumLength("Registered model alias name", REGISTRY_LIMITS.aliasLength));
  }
  return alias;
}

/** Aliases that would shadow `models:/name@latest` or a version (`@v3`) cannot be set. */
export function checkAliasNotReserved(alias: string): void {
  if (alias.toLowerCase() === "latest") {
    throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
}

/** A stage in any case, as MLflow spells it (`production` is Production). */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_VERSION_STAGES.join(", ")}.`,
    );
  }
  return found;
}
