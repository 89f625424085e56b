/**
 * The right-hand side of `x IN (...)` for a list of any length. SQLite refuses a statement with more than 32,766
 * parameters ("too many SQL variables"), and a client may send that many ids (`runs/search` with 40,000 experiment
 * ids is served by the reference). Short lists keep one parameter per value; a long one is bound as one JSON array
 * read back with `json_each`, which compares the same (its values carry no affinity, like bound parameters).
 */
export interface SqlList<T> {
  /** `(?, ?, ?)` or `(SELECT value FROM json_each(?))`. */
  sql: string;
  args: (T | string)[];
}

/** Lists up to this long get one parameter per value (plans and SQL text stay as they were). */
const INLINE_MAX = 500;

export function sqlList<T extends string | number>(values: readonly T[]): SqlList<T> {
  if (values.length <= INLINE_MAX) return { sql: `(${values.map(() => "?").join(", ")})`, args: [...values] };
  return { sql: "(SELECT value FROM json_each(?))", args: [JSON.stringify(values)] };
}
