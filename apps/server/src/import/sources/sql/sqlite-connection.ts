import { existsSync } from "node:fs";
import Database from "libsql";
import type { SqlConnection, SqlRow } from "./connection.js";

/**
 * SQLite through the `libsql` package (better-sqlite3's API): `.iterate()` steps a statement row by row, where
 * `@libsql/client` would materialise the whole result. Opened read-only: the import never writes the source.
 */
export function openSqliteConnection(path: string): SqlConnection {
  // libsql creates a missing file even read-only; an import must never leave one behind.
  if (!existsSync(path)) throw new Error(`no such file ${path}`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return {
    dialect: "sqlite",
    async *iterate(sql, params, batchSize) {
      let batch: SqlRow[] = [];
      for (const row of db.prepare(sql).iterate(...params)) {
        batch.push(row as SqlRow);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async all(sql, params) {
      return db.prepare(sql).all(...params) as SqlRow[];
    },
    async columns() {
      const rows = db
        .prepare(
          "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
        )
        .all() as { t: string; c: string }[];
      return groupColumns(rows);
    },
    async close() {
      db.close();
    },
  };
}

/** Rows of (table, column) → a map, names lower-cased so every dialect looks alike. */
export function groupColumns(rows: readonly { t: string; c: string }[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { t, c } of rows) {
    const table = t.toLowerCase();
    const set = out.get(table) ?? new Set<string>();
    set.add(c.toLowerCase());
    out.set(table, set);
  }
  return out;
}
