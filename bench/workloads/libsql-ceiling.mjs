/**
 * The libSQL ceiling under the ingest and history targets: the same table tracklite writes (the metrics table,
 * WITHOUT ROWID, WAL, synchronous FULL) driven directly through @libsql/client in this process, with no HTTP, no JSON
 * and no validation. What it cannot do, tracklite cannot do either. Reported as notes: there is no reference figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "@libsql/client";
import { median, percentile } from "../load.mjs";
import { fmt } from "../report.mjs";

const DDL = `CREATE TABLE metrics (run_id integer NOT NULL, key text NOT NULL, step integer NOT NULL,
  timestamp integer NOT NULL, value real NOT NULL, is_nan integer DEFAULT 0 NOT NULL, dataset_name text,
  dataset_digest text, model_id text, PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)) WITHOUT ROWID`;

/**
 * One log-batch's worth of points (`keys` keys × 1000/`keys` steps) as statements of 100 rows, as the store writes
 * them.
 */
function batchStatements(runId, firstStep, keys = 100) {
  const statements = [];
  for (let s = 0; s < 10; s++) {
    const args = [];
    const tuples = [];
    for (let k = 0; k < 100; k++) {
      tuples.push("(?, ?, ?, ?, ?, 0, NULL, NULL, NULL)");
      const i = s * 100 + k;
      args.push(runId, `metric_${i % keys}`, firstStep + Math.floor(i / keys), Date.now(), Math.random());
    }
    statements.push({ sql: `INSERT INTO metrics VALUES ${tuples.join(",")}`, args });
  }
  return statements;
}

export async function libsqlCeiling(ctx) {
  const { cfg, log, notes } = ctx;
  const dir = mkdtempSync(join(tmpdir(), "bench-libsql-"));
  const client = createClient({ url: `file:${join(dir, "ceiling.db")}`, intMode: "number" });
  try {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute(DDL);
    // 1. One 1,000-point batch per transaction, sequentially: the floor under log-batch's p50.
    const lat = [];
    let step = 0;
    for (let i = 0; i < cfg.batchSequential + cfg.batchWarmup; i++) {
      const t0 = performance.now();
      await client.batch(batchStatements(1, step), "write");
      if (i >= cfg.batchWarmup) lat.push(performance.now() - t0);
      step += 10;
    }
    // 2. Back-to-back batches for the sustained time: the ceiling under sustained ingest (one writer, as SQLite has).
    const until = performance.now() + cfg.sustainedMs / 2;
    let points = 0;
    const t0 = performance.now();
    while (performance.now() < until) {
      await client.batch(batchStatements(2, step), "write");
      step += 10;
      points += 1000;
    }
    const rate = points / ((performance.now() - t0) / 1000);
    // 3. Reading 100,000 points of one key in step order off the primary key, with nothing done to them.
    for (let first = 0; first < 100_000; first += 1000) await client.batch(batchStatements(3, first, 1), "write");
    const rows = 100_000;
    const r0 = performance.now();
    await client.execute(
      "SELECT key, value, timestamp, step FROM metrics WHERE run_id = 3 AND key = 'metric_0' ORDER BY step",
    );
    const readMs = performance.now() - r0;
    log(
      `libsql ceiling: batch p50 ${fmt(median(lat))} ms, ${fmt(rate)} points/s, read ${rows} rows in ${fmt(readMs)} ms`,
    );
    notes.push(
      `libSQL ceiling (same table, WAL, synchronous FULL, @libsql/client in the harness process, no HTTP/JSON/validation): ` +
        `a 1,000-point batch in one transaction takes p50 ${fmt(median(lat))} ms (p99 ${fmt(percentile(lat, 99))} ms); ` +
        `back-to-back batches from one writer reach ${fmt(rate)} points/s; reading ${fmt(rows)} points of one key in step ` +
        `order takes ${fmt(readMs)} ms (${fmt((readMs * 1000) / Math.max(rows, 1))} µs a point, before any JSON is written).`,
    );
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [];
}
