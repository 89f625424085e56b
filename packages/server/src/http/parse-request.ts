import { type Checks, type FieldCheck, INT64_RANGE_MESSAGE } from "@tracklite/schemas";
import type { Context } from "hono";
import * as z from "zod";
import { invalidParameter } from "../errors.js";
import { checkJsonBody } from "../validation/json-shape.js";
import { API_DOCS, invalidValue, missingValue } from "../validation/messages.js";
import { pyNumberText, rememberBodyText } from "./float-literals.js";
import { readBodyText, YIELDING_PARSE_MIN } from "./json-body.js";
import { parseJsonYielding } from "./json-parse-yielding.js";

/** The keys of a zod object schema whose values are arrays (repeated proto fields). */
function repeatedFields(schema: z.ZodType): Set<string> {
  const out = new Set<string>();
  if (!(schema instanceof z.ZodObject)) return out;
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    let inner: z.ZodType = field;
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
    if (inner instanceof z.ZodArray) out.add(key);
  }
  return out;
}

const repeatedCache = new WeakMap<z.ZodType, Set<string>>();

/** The request as JSON: query parameters for GET (repeated keys become lists), else the JSON body. */
export async function readRequestJson(c: Context, schema: z.ZodType): Promise<Record<string, unknown>> {
  if (c.req.method === "GET") {
    let repeated = repeatedCache.get(schema);
    if (!repeated) {
      repeated = repeatedFields(schema);
      repeatedCache.set(schema, repeated);
    }
    const all = c.req.queries();
    const out: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(all)) {
      out[key] = repeated.has(key) ? values : values[0];
    }
    return out;
  }
  requireJsonContentType(c);
  const text = await readBodyText(c);
  const outer = text.length > YIELDING_PARSE_MIN ? await parseJsonYielding(text) : parseJsonLeniently(text);
  let body = outer;
  const doubleEncoded = typeof outer === "string";
  // Old clients post their JSON double-encoded as a string.
  if (typeof outer === "string") body = parseJsonLeniently(outer);
  checkJsonBody(body, "", doubleEncoded ? undefined : text);
  // Like the reference, a body that is not a JSON object counts as empty; the required-field checks then speak.
  if (body === null || typeof body !== "object" || Array.isArray(body)) return {};
  // ParseDict reads a JSON null as "unset": drop such fields so that they count as absent.
  const out = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  rememberBodyText(out, typeof outer === "string" ? outer : text);
  return out;
}

/**
 * POST and PUT bodies must be declared JSON, as in the reference: a cross-site page can send `text/plain` or a form
 * without asking the browser's permission, never `application/json`.
 * @see mlflow/server/validation.py `_validate_content_type`
 */
export function requireJsonContentType(c: Context): void {
  if (c.req.method !== "POST" && c.req.method !== "PUT") return;
  const contentType = c.req.header("Content-Type");
  if (contentType === undefined) throw invalidParameter("Bad Request. Content-Type header is missing.");
  if (contentType.split(";")[0]?.trim().toLowerCase() !== "application/json")
    throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
}

const STRING_OR_NON_FINITE = /"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g;

/**
 * JSON.parse, also accepting the bare NaN / Infinity / -Infinity tokens Python's json module writes; they become the
 * strings protobuf JSON uses. Unparsable text gives undefined.
 */
export function parseJsonLeniently(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(text.replace(STRING_OR_NON_FINITE, (m) => (m.startsWith('"') ? m : `"${m}"`)));
    } catch {
      return undefined;
    }
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const p of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p];
  return value;
}

/** An integer tracklite cannot hold exactly is refused, never rounded or dropped. */
function refuseOutOfRange(raw: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): void {
  const issue = issues.find((i) => i.message === INT64_RANGE_MESSAGE);
  if (!issue) return;
  const path = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
  throw invalidParameter(
    invalidValue(path, valueAt(raw, issue.path), "tracklite stores integers exactly up to ±9007199254740991."),
  );
}

function pyTypeName(v: unknown, float = false): string {
  if (v === null || v === undefined) return "NoneType";
  if (float) return "float";
  if (Array.isArray(v)) return "list";
  switch (typeof v) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    default:
      return "dict";
  }
}

/** Type checks run only when the proto parse failed; the rest (required, bounds) always run, as in the reference. */
const isTypeCheck = (check: FieldCheck) => check !== "required" && !check.startsWith("max:");

function passes(check: FieldCheck, v: unknown): boolean {
  switch (check) {
    case "required":
      return v !== undefined && v !== null && v !== "";
    case "string":
      return typeof v === "string";
    case "intlike":
      return (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v));
    case "floatlike":
      return (
        typeof v === "number" ||
        (typeof v === "string" &&
          v.trim() !== "" &&
          !Number.isNaN(Number(v.trim().replace(/^[-+]?(inf|infinity|nan)$/i, "0"))))
      );
    case "bool":
      return typeof v === "boolean";
    case "array":
      return Array.isArray(v);
    case "itemsString":
      return Array.isArray(v) && v.every((x) => typeof x === "string");
    case "mapKeyPresent":
      return Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null && "key" in x);
    default: {
      // `max:N`: the reference's `int(x) <= N`.
      const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : Number.NaN;
      return !(n > Number(check.slice(4)));
    }
  }
}

/** Runs the reference handler's schema checks on the raw JSON. @see handlers.py `_validate_param_against_schema` */
function runChecks(raw: Record<string, unknown>, checks: Checks, protoParsed: boolean): void {
  for (const [field, fieldChecks] of Object.entries(checks)) {
    if (!(field in raw) && !fieldChecks.includes("required")) continue;
    let value = raw[field];
    if (field === "run_id" && value == null && "run_uuid" in raw) value = raw.run_uuid;
    for (const check of fieldChecks) {
      if (isTypeCheck(check) && protoParsed) continue;
      if (passes(check, value)) continue;
      const shown = pyNumberText(raw, [field], value);
      const message =
        check === "required"
          ? missingValue(field)
          : invalidValue(field, value ?? null, ` Hint: Value was of type '${pyTypeName(value, !!shown)}'.`, shown);
      throw invalidParameter(message + API_DOCS);
    }
  }
}

/**
 * The checks of a handler that reads its JSON without a proto (`_get_validated_flask_request_json`): every check runs,
 * type checks included. @see mlflow/server/handlers.py
 */
export function checkJsonRequest(raw: Record<string, unknown>, checks: Checks): void {
  runChecks(raw, checks, false);
}

/**
 * Parses a request like the reference: proto-style parse, then the handler's checks, so that missing and
 * mistyped fields produce the reference's messages.
 */
export function parseRequest<S extends z.ZodType>(
  raw: Record<string, unknown>,
  schema: S,
  checks: Checks,
): z.output<S> {
  let parsed = schema.safeParse(raw);
  runChecks(raw, checks, parsed.success);
  if (!parsed.success) refuseOutOfRange(raw, parsed.error.issues);
  // The reference's proto parse leaves a badly typed field unset (e.g. an unknown enum name) once the handler checks
  // pass; do the same for top-level fields. Errors inside lists (a metric in a batch) are refused below.
  const input = { ...raw };
  while (!parsed.success) {
    const topLevel = parsed.error.issues.filter((i) => i.path.length === 1).map((i) => String(i.path[0]));
    if (topLevel.length === 0 || !topLevel.every((k) => k in input)) break;
    for (const k of topLevel) delete input[k];
    parsed = schema.safeParse(input);
  }
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  const value = valueAt(raw, issue?.path ?? []);
  if (value === undefined || value === "") throw invalidParameter(missingValue(path) + API_DOCS);
  const shown = pyNumberText(raw, issue?.path ?? [], value);
  throw invalidParameter(
    invalidValue(path, value, ` Hint: Value was of type '${pyTypeName(value, !!shown)}'.`, shown) + API_DOCS,
  );
}

/** The reference's per-item checks on log-batch: each metric needs key, value and timestamp; params and tags a key. */
export function requireItemFields(items: readonly object[] | undefined, name: string, fields: readonly string[]): void {
  for (const [i, item] of (items ?? []).entries()) {
    for (const field of fields) {
      const v = (item as Record<string, unknown>)[field];
      if (v === undefined || v === null || v === "")
        throw invalidParameter(missingValue(`${name}[${i}].${field}`) + API_DOCS);
    }
  }
}
