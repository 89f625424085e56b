import mysql from "mysql2";
import type { SqlConnection, SqlRow } from "./connection.js";
import { groupColumns } from "./sqlite-connection.js";

/**
 * MySQL/MariaDB through `mysql2`: a streamed query (`.stream()`) per iteration on its own pooled connection, paused
 * between batches so memory stays at one batch. ANSI_QUOTES lets the shared queries quote identifiers with `"`.
 */
export function openMysqlConnection(uri: string): SqlConnection {
  const pool = mysql.createPool({ uri, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: false });
  pool.on("connection", (connection) => {
    connection.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
  });
  const promisePool = pool.promise();
  return {
    dialect: "mysql",
    async *iterate(sql, params, batchSize) {
      const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
        pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn))),
      );
      const stream = connection.query(sql, [...params]).stream({ highWaterMark: batchSize });
      try {
        let batch: SqlRow[] = [];
        for await (const row of stream) {
          batch.push(normaliseRow(row as SqlRow));
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      } finally {
        stream.destroy();
        connection.release();
      }
    },
    async all(sql, params) {
      const [rows] = await promisePool.query(sql, [...params]);
      return (rows as SqlRow[]).map(normaliseRow);
    },
    async columns() {
      const [rows] = await promisePool.query(
        "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()",
      );
      return groupColumns(rows as { t: string; c: string }[]);
    },
    async close() {
      await promisePool.end();
    },
  };
}

/** Buffers (BLOB/TEXT with a binary collation) as text, like the other drivers answer. */
function normaliseRow(row: SqlRow): SqlRow {
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (Buffer.isBuffer(value)) row[key] = value.toString("utf8");
  }
  return row;
}
