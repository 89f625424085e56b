import pg from "pg";
import Cursor from "pg-cursor";
import type { SqlConnection, SqlRow } from "./connection.js";
import { groupColumns } from "./sqlite-connection.js";

/** PostgreSQL's type oids whose default text parsing we change: int8 and numeric come as strings otherwise. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** int8 (MLflow's BigInteger timestamps, steps) as a number: every value MLflow stores fits a double exactly. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format ?? "text");
  },
};

/** `?` placeholders → `$1…$n` (our queries hold no `?` inside string literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * PostgreSQL through `pg` and `pg-cursor`: each streamed query takes its own pooled client and reads its cursor a
 * batch at a time, so a list of runs can stay open while each run's history is read beside it.
 */
export function openPostgresConnection(connectionString: string): SqlConnection {
  const pool = new pg.Pool({ connectionString, max: 4, types });
  return {
    dialect: "postgresql",
    async *iterate(sql, params, batchSize) {
      const client = await pool.connect();
      const cursor = client.query(new Cursor<SqlRow>(numberPlaceholders(sql), [...params]));
      try {
        for (;;) {
          const rows = await cursor.read(batchSize);
          if (rows.length === 0) break;
          yield rows;
          if (rows.length < batchSize) break;
        }
      } finally {
        await cursor.close();
        client.release();
      }
    },
    async all(sql, params) {
      const result = await pool.query<SqlRow>(numberPlaceholders(sql), [...params]);
      return result.rows;
    },
    async columns() {
      const result = await pool.query<{ t: string; c: string }>(
        "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()",
      );
      return groupColumns(result.rows);
    },
    async close() {
      await pool.end();
    },
  };
}
