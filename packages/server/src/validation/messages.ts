/**
 * MLflow's message builders, worded as in mlflow/utils/validation.py so that clients matching on text keep working.
 */

/** `json.dumps(value, sort_keys=True, separators=(",", ":"))` as Python writes it (ASCII-only escapes). */
export function pyJson(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map(pyJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${pyJson(k)}:${pyJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Python's `str()` of a JSON-ish value, for messages that interpolate values with f-strings. */
export function pyStr(value: unknown): string {
  if (value === undefined || value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (typeof value === "string") return value;
  return pyJson(value);
}

/** The reference's "Invalid value …" message; `shown` overrides how the value prints (a float literal, say). */
export function invalidValue(path: string, value: unknown, message?: string, shown = pyJson(value)): string {
  return message
    ? `Invalid value ${shown} for parameter '${path}' supplied: ${message}`
    : `Invalid value ${shown} for parameter '${path}' supplied.`;
}

export const missingValue = (path: string) => `Missing value for required parameter '${path}'.`;

/** What the reference appends to messages of its request-schema checks. */
export const API_DOCS = " See the API docs for more information about request parameters.";

export const exceedsMaximumLength = (path: string, limit: number) =>
  `'${path}' exceeds the maximum length of ${limit} characters`;

/** Appends a field to a JSON path the way MLflow builds `metrics[0].value`. */
export function jsonPath(current: string, field: string): string {
  if (!current) return field;
  return field.startsWith("[") ? `${current}${field}` : `${current}.${field}`;
}
