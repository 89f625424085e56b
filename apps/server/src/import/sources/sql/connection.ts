/**
 * The one thing the SQL source needs from a database driver: run a query and stream its rows in batches, list the
 * tables and columns that exist. Queries are written once, with `?` placeholders and double-quoted identifiers; each
 * driver shim adapts them (PostgreSQL numbers the placeholders, MySQL runs with ANSI_QUOTES).
 */
export type SqlRow = Record<string, unknown>;

export const SQL_DIALECTS = ["sqlite", "postgresql", "mysql"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface SqlConnection {
  readonly dialect: SqlDialect;
  /** Every row of the query, in batches of at most `batchSize`; a cursor, so memory stays at one batch. */
  iterate(sql: string, params: readonly unknown[], batchSize: number): AsyncIterable<SqlRow[]>;
  /** A small result, whole (counts, one entity's children). */
  all(sql: string, params: readonly unknown[]): Promise<SqlRow[]>;
  /** Table name → its column names (lower case), for what exists at this schema revision. */
  columns(): Promise<Map<string, Set<string>>>;
  close(): Promise<void>;
}

/** Collect the batches of `iterate` (for the small per-entity child lists). */
export async function collect(rows: AsyncIterable<SqlRow[]>): Promise<SqlRow[]> {
  const out: SqlRow[] = [];
  for await (const batch of rows) for (const row of batch) out.push(row);
  return out;
}
