import { invalidParameter } from "../errors.js";
import { LIMITS } from "./limits.js";
import { exceedsMaximumLength, invalidValue, jsonPath, missingValue, pyStr } from "./messages.js";
import { normpath } from "./posix-path.js";

/**
 * The checks MLflow's tracking store runs on what a client logs, with its messages.
 * @see mlflow/utils/validation.py
 */

const KEY_CHARS = /^[/\p{L}\p{N}_.\- :]*$/u;
const BAD_CHARACTERS =
  "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";
const MISSING_KEY = "A key name must be provided.";

const badPathMessage = (name: string) =>
  `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${pyRepr(normpath(name))}`;

/** Python's repr() of a string. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

function pathNotUnique(name: string): boolean {
  const norm = normpath(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/** MLflow's key checks shared by params and tags: the allowed characters, and no name that resolves to another as a path. */
export function checkKeyShape(name: string, path: string): void {
  if (!KEY_CHARS.test(name)) throw invalidParameter(invalidValue(path, name, BAD_CHARACTERS));
  if (pathNotUnique(name)) throw invalidParameter(invalidValue(path, name, badPathMessage(name)));
}

/** Length in code points, as Python's len(). */
function pyLength(s: string): number {
  if (s.length < 0xffff) {
    let n = 0;
    for (const _ of s) n++;
    return n;
  }
  return [...s].length;
}

/**
 * Refuses a value longer than `limit` (MLflow names the field `entity` in the message), or cuts it to the limit
 * when `truncate` is set, as MLflow 3 does by default for param and tag values (MLFLOW_TRUNCATE_LONG_VALUES).
 */
export function checkLength<V extends string | undefined>(
  entity: string,
  limit: number,
  value: V,
  truncate = false,
): V {
  if (value === undefined || value.length <= limit) return value;
  // A code point is one or two UTF-16 units: past twice the limit the value is too long whatever it holds, and only
  // that much needs counting or cutting (a 10 MB value once cost half a second here, on the event loop).
  const head = (value as string).slice(0, 2 * limit + 1);
  if (value.length <= 2 * limit && pyLength(head) <= limit) return value;
  if (truncate) return Array.from(head).slice(0, limit).join("") as V;
  throw invalidParameter(exceedsMaximumLength(entity, limit));
}

export interface MetricLike {
  key?: string | undefined;
  value?: number | undefined;
  timestamp?: number | undefined;
  step?: number | undefined;
}

export function validateMetric(m: MetricLike, path = ""): void {
  const namePath = jsonPath(path, "name");
  if (m.key === undefined) {
    throw invalidParameter(invalidValue(namePath, null, `Metric name cannot be None. ${MISSING_KEY}`));
  }
  checkKeyShape(m.key, namePath);
  if (m.value === undefined) throw invalidParameter(missingValue(jsonPath(path, "value")));
  if (m.timestamp === undefined || m.timestamp < 0) {
    throw invalidParameter(
      invalidValue(
        jsonPath(path, "timestamp"),
        m.timestamp ?? null,
        `metric '${m.key}' (value=${pyStr(m.value)}). Timestamp must be a nonnegative long (64-bit integer) `,
      ),
    );
  }
  checkLength("Metric name", LIMITS.entityKeyLength, m.key);
}

/** Checks a param; returns its value, truncated when `truncate` is on. */
export function validateParam(key: string | undefined, value: string | undefined, path = "", truncate = false): string {
  const keyPath = jsonPath(path, "key");
  if (key === undefined) throw invalidParameter(invalidValue(keyPath, "", MISSING_KEY));
  checkKeyShape(key, keyPath);
  checkLength("Param key", LIMITS.entityKeyLength, key);
  return checkLength("Param value", LIMITS.paramValueLength, value ?? "", truncate);
}

/** Checks a run tag; returns its value, truncated when `truncate` is on. */
export function validateTag(key: string | undefined, value: string | undefined, path = "", truncate = false): string {
  const keyPath = jsonPath(path, "key");
  if (key === undefined) throw invalidParameter(missingValue(keyPath));
  checkKeyShape(key, keyPath);
  checkLength(keyPath, LIMITS.entityKeyLength, key);
  return checkLength(jsonPath(path, "value"), LIMITS.tagValueLength, value ?? "", truncate);
}

export function validateExperimentTag(key: string | undefined, value: string | undefined): void {
  if (key === undefined) throw invalidParameter(missingValue("key"));
  checkKeyShape(key, "key");
  checkLength("key", LIMITS.experimentTagKeyLength, key);
  checkLength("value", LIMITS.experimentTagValueLength, value);
}

export function validateExperimentName(name: string | undefined): void {
  if (name === undefined || name === "") throw invalidParameter(`Invalid experiment name: '${name ?? "None"}'`);
  checkLength("name", LIMITS.experimentNameLength, name);
}

function checkBatchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalidParameter(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  checkBatchLimit("metrics", LIMITS.metricsPerBatch, metrics);
  checkBatchLimit("params", LIMITS.paramsTagsPerBatch, params);
  checkBatchLimit("tags", LIMITS.paramsTagsPerBatch, tags);
  checkBatchLimit("metrics, params, and tags", LIMITS.entitiesPerBatch, metrics + params + tags);
}

export function validateParamKeysUnique(keys: readonly (string | undefined)[]): void {
  const seen = new Set<string | undefined>();
  const dupes: string[] = [];
  for (const k of keys) {
    if (seen.has(k)) dupes.push(pyRepr(k ?? "None"));
    else seen.add(k);
  }
  if (dupes.length > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${dupes.join(", ")}]. Please ensure the request contains only one param value per param key.`,
    );
  }
}

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
export function validateRunId(runId: string, path = "run_id"): void {
  if (!RUN_ID.test(runId)) throw invalidParameter(invalidValue(path, runId));
}
