/**
 * Column values → the JSON MLflow's `to_proto()` would answer. Drivers differ: SQLite and MySQL give booleans as 0/1,
 * PostgreSQL as true/false; NULL means "unset", which the REST JSON leaves out (so undefined here).
 */

/** A text column; NULL → undefined. */
export function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : String(value);
}

/** An integer or float column; NULL → undefined. */
export function num(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "number" ? value : Number(value);
}

/** A Boolean column (0/1, "0"/"1", true/false). */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "t" || value === "true" || value === 1n;
}

/** Drop the keys whose value is undefined, as MLflow's `message_to_json` leaves unset fields out. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}
