import { clientCrash, invalidParameter } from "../errors.js";
import { pyStr } from "../search/python-compat.js";
import { PyFloat, type PyJson, pyJsonLoads, pyTypeOf } from "../traces/py-json.js";

/**
 * The reference's checks on a serialized scorer (the JSON a client's `Scorer.model_dump()` gives), without running
 * any of it: tracklite never deserializes a scorer, it only stores and returns the text.
 * @see mlflow/server/handlers.py _validate_serialized_scorer_payload
 * @see mlflow/genai/scorers/scorer_utils.py extract_model_from_serialized_scorer, validate_scorer_model
 */

/** Word for word the reference's refusal of `@scorer` functions (their `call_source` is code the server would run). */
export const DECORATOR_SCORER_REGISTRATION_NOT_SUPPORTED_ERROR =
  "Custom scorer registration (using @scorer decorator) is disabled by default " +
  "outside of Databricks tracking environments due to security concerns. " +
  "Custom scorers require arbitrary code execution during deserialization.\n\n" +
  "To use custom scorers:\n" +
  "1. Configure MLflow to use a Databricks tracking URI, or\n" +
  "2. Manage your custom scorer code in a source code repository " +
  "(e.g., GitHub) and import it directly, or\n" +
  "3. On a self-managed MLflow server (or local environment) that you trust to run the " +
  "scorer's code, set the MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS environment variable to true, or\n" +
  "4. Use built-in scorers or make_judge() scorers instead.";

/** Keys of a third-party scorer's kwargs that would choose where its LLM client sends requests. */
const GATEWAY_DESTINATION_KEYS = new Set(["api_base", "base_url", "model_list", "fallbacks", "custom_llm_provider"]);

type PyDict = { [key: string]: PyJson };

const isDict = (v: PyJson | undefined): v is PyDict =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);

/** Python's truthiness of a JSON value. */
function truthy(v: PyJson | undefined): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** `value.get(key)` as Python runs it: on anything but a dict, the AttributeError the reference answers with. */
function pyGet(value: PyJson | undefined, key: string): PyJson | undefined {
  if (!isDict(value)) throw clientCrash(`'${pyTypeOf(value)}' object has no attribute 'get'`);
  return value[key];
}

/** `json.loads(serialized_scorer)`, refused as the handler refuses it. */
export function parseSerializedScorer(text: string): PyJson {
  try {
    return pyJsonLoads(text);
  } catch {
    throw invalidParameter("serialized_scorer must be valid JSON");
  }
}

function hasCallSource(v: PyJson): boolean {
  if (Array.isArray(v)) return v.some(hasCallSource);
  if (!isDict(v)) return false;
  if (v.call_source !== undefined && v.call_source !== null) return true;
  return Object.values(v).some(hasCallSource);
}

function* thirdPartyData(v: PyJson): Generator<PyDict> {
  if (Array.isArray(v)) {
    for (const x of v) yield* thirdPartyData(x);
  } else if (isDict(v)) {
    const data = v.third_party_scorer_data;
    if (isDict(data)) yield data;
    for (const x of Object.values(v)) yield* thirdPartyData(x);
  }
}

function destinationKeys(v: PyJson, found: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) {
      // `dict()` also takes a list of two-item pairs, so a pair's first item counts as a key.
      if (Array.isArray(x) && x.length === 2 && typeof x[0] === "string" && GATEWAY_DESTINATION_KEYS.has(x[0]))
        found.add(x[0]);
      destinationKeys(x, found);
    }
  } else if (isDict(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (GATEWAY_DESTINATION_KEYS.has(k)) found.add(k);
      destinationKeys(x, found);
    }
  }
}

/**
 * The handler's payload checks: valid JSON, no `@scorer` code unless the operator allows it
 * (MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS), and no third-party kwargs that steer a judge's requests.
 * @see mlflow/utils/validation.py _validate_third_party_scorer_data
 */
export function checkScorerPayload(text: string, allowCustomScorers: boolean): PyJson {
  const data = parseSerializedScorer(text);
  if (!allowCustomScorers && hasCallSource(data))
    throw invalidParameter(DECORATOR_SCORER_REGISTRATION_NOT_SUPPORTED_ERROR);
  for (const tp of thirdPartyData(data)) {
    const kwargs = tp.kwargs;
    if (kwargs !== undefined && kwargs !== null && !isDict(kwargs))
      throw invalidParameter(`third_party_scorer_data.kwargs must be a JSON object, got ${pyTypeOf(kwargs)}.`);
    const found = new Set<string>();
    if (kwargs) destinationKeys(kwargs, found);
    if (found.size > 0)
      throw invalidParameter(
        `third_party_scorer_data.kwargs must not contain ${[...found]
          .sort()
          .map((k) => pyStr(k))
          .join(", ")}: ` +
          "these options choose where the scorer's LLM client sends requests. Configure " +
          "the judge endpoint on the server instead, for example through a gateway " +
          "endpoint ('gateway:/<name>') or the provider's environment variables.",
      );
  }
  return data;
}

/** The judge model a serialized scorer names, read as the reference reads it (None when it names none). */
export function scorerModel(data: PyJson | undefined): PyJson | undefined {
  const ij = pyGet(data, "instructions_judge_pydantic_data");
  if (truthy(ij)) return pyGet(ij, "model");
  const bs = pyGet(data, "builtin_scorer_pydantic_data");
  if (truthy(bs)) return pyGet(bs, "model");
  const mem = pyGet(data, "memory_augmented_judge_data");
  if (truthy(mem)) return scorerModel(pyGet(mem, "base_judge") ?? {});
  const tp = pyGet(data, "third_party_scorer_data");
  if (truthy(tp)) return pyGet(tp, "model");
  return undefined;
}

/** The reference's `validate_scorer_model`: a model, when given, is a non-blank string. */
export function checkScorerModel(model: PyJson | undefined): string | undefined {
  if (model === undefined || model === null) return undefined;
  if (typeof model !== "string") throw invalidParameter(`Scorer model must be a string, got ${pyTypeOf(model)}.`);
  if (model.trim() === "") throw invalidParameter("Scorer model cannot be empty or contain only whitespace.");
  return model;
}

/** The endpoint a `gateway:/<endpoint>` model names; undefined for any other model. */
export function gatewayEndpointOf(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  const at = model.indexOf(":/");
  if (at <= 0) return undefined;
  const path = model.slice(at + 2).replace(/^\/+/, "");
  return model.slice(0, at) === "gateway" && path !== "" ? path : undefined;
}

/** The reference's `validate_scorer_name`. */
export function checkScorerName(name: string): void {
  if (name.trim() === "") throw invalidParameter("Scorer name cannot be empty or contain only whitespace.");
}
