import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImportRun, ImportSource, MetricPoint } from "@tracklite/server/import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileSink, openFileSink, sinkContents } from "./file-sink.test-helpers.js";
import { CREDIT, prefetchHistories } from "./prefetch-histories.js";
import { runImport } from "./run-import.js";
import { VENVS } from "./sources/sql/reference.test-helpers.js";
import { openSqlSource } from "./sources/sql/sql-source.js";
import { importUnit } from "./units.js";

/**
 * Metric histories read ahead on a worker thread from a real MLflow SQLite database (the reference's own schema,
 * created by its SqlAlchemyStore; rows then written with sqlite3 as its log_batch does): the import through the
 * worker equals the in-thread one point for point, resume skips what is done, and a huge history stays bounded.
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-prefetch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, "mlflow.db");
/** Points per run: empty, tiny, around the 5,000-point batch edge, several batches; then one huge run. */
const SIZES = [0, 1, 4999, 5000, 5001, 23_000, 7];
const HUGE = 1_000_000;

const SEED = `
import sqlite3, sys, uuid
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
path, sizes, huge = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], int(sys.argv[3])
SqlAlchemyStore("sqlite:///" + path, path + ".artifacts").engine.dispose()
db = sqlite3.connect(path)
def run(eid, i, n):
    rid = uuid.UUID(int=i + 1).hex
    db.execute("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time,"
               " end_time, source_version, lifecycle_stage, artifact_uri, experiment_id) VALUES"
               " (?, ?, 'LOCAL', '', '', 'u', 'FINISHED', ?, ?, '', 'active', '', ?)", (rid, f"r{i}", 1000 + i, 2000 + i, eid))
    special = [float("nan"), 1.7976931348623157e308, -1.7976931348623157e308, 0.1]
    rows = []
    for p in range(n):
        value = special[p % 4] if p % 97 == 0 else p * 0.5 - 3
        nan = value != value
        rows.append((f"k{p % 3}", 0 if nan else value, 1_700_000_000_000 + p, p // 3, rid, 1 if nan else 0))
    db.executemany("INSERT INTO metrics (key, value, timestamp, step, run_uuid, is_nan) VALUES (?, ?, ?, ?, ?, ?)", rows)
db.execute("INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES ('e', '', 'active', 1, 1)")
eid = db.execute("SELECT max(experiment_id) FROM experiments").fetchone()[0]
for i, n in enumerate(sizes):
    run(eid, i, n)
db.execute("INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES ('huge', '', 'active', 1, 1)")
run(db.execute("SELECT max(experiment_id) FROM experiments").fetchone()[0], len(sizes), huge)
db.commit()
`;

const runIds = SIZES.map((_, i) => (i + 1).toString(16).padStart(32, "0"));
const hugeRun = (SIZES.length + 1).toString(16).padStart(32, "0");

async function collect(history: AsyncIterable<MetricPoint[]>): Promise<MetricPoint[]> {
  const out: MetricPoint[] = [];
  for await (const batch of history) out.push(...batch);
  return out;
}

/**
 * The in-test file sink, recording every point it is handed (run id and point, in order) and storing NaN as null
 * (its REAL column cannot bind NaN; tracklite's sink keeps it).
 */
function recording(sink: FileSink): FileSink & { seen: [string, MetricPoint][] } {
  const seen: [string, MetricPoint][] = [];
  async function* kept(runId: string, history: AsyncIterable<MetricPoint[]>) {
    for await (const batch of history) {
      for (const p of batch) seen.push([runId, p]);
      yield batch.map((p) => (Number.isNaN(p.value) ? { ...p, value: null as unknown as number } : p));
    }
  }
  return Object.assign(Object.create(sink) as FileSink, {
    seen,
    run: (experimentId: string, run: ImportRun, history: AsyncIterable<MetricPoint[]>) =>
      sink.run(experimentId, run, kept(run.run.info.run_id, history)),
  });
}

let source: ImportSource;
beforeAll(async () => {
  execFileSync(join(VENVS.mlflow3, "bin", "python"), ["-c", SEED, db, SIZES.join(","), String(HUGE)]);
  source = await openSqlSource(`sqlite:///${db}`);
}, 180_000);
afterAll(() => source?.close());

describe("metric histories read ahead on a worker thread", () => {
  it("yields every point exactly as the source does in-thread, in order, skipping runs not asked for", async () => {
    const ahead = prefetchHistories(source, { sqlite: db });
    try {
      for (const id of runIds) ahead.want(id);
      for (const [i, id] of runIds.entries()) {
        if (i === 2) continue; // wanted, never asked: dropped
        const expected = await collect(source.metricHistory(id));
        expect(expected.length).toBe(SIZES[i]);
        expect(await collect(ahead.history(id))).toEqual(expected);
      }
      // Not wanted: read in-thread.
      expect(await collect(ahead.history(runIds[5] as string))).toEqual(
        await collect(source.metricHistory(runIds[5] as string)),
      );
    } finally {
      await ahead.close();
    }
  });

  it("imports the same as the in-thread import, and resumes skipping runs already done", async () => {
    const inThread = recording(await openFileSink(join(dir, "in-thread.db")));
    const piped = recording(await openFileSink(join(dir, "piped.db")));
    const resumed = recording(await openFileSink(join(dir, "resumed.db")));
    try {
      const filter = { experiments: ["1"] };
      await runImport({ source, sink: inThread, filter });
      const result = await runImport({ source, sink: piped, filter, prefetch: { sqlite: db } });
      expect(result.tally.metricPoints).toBe(SIZES.reduce((a, b) => a + b, 0));
      expect(piped.seen.length).toBe(inThread.seen.length);
      expect(piped.seen).toEqual(inThread.seen);
      expect(await sinkContents(piped.client)).toEqual(await sinkContents(inThread.client));

      // Two runs done before: skipped, their histories not read again; the rest as above.
      await resumed.markDone(importUnit.run(runIds[1] as string));
      await resumed.markDone(importUnit.run(runIds[5] as string));
      const again = await runImport({ source, sink: resumed, filter, prefetch: { sqlite: db } });
      expect(again.tally.alreadyDone.runs).toBe(2);
      expect(again.tally.written.runs).toBe(SIZES.length - 2);
      const { points } = await sinkContents(resumed.client);
      expect(points[runIds[5] as string]).toBeUndefined();
      expect(points[runIds[6] as string]).toBe(SIZES[6]);
    } finally {
      await Promise.all([inThread.close(), piped.close(), resumed.close()]);
    }
  }, 180_000);

  it("keeps at most its credit of batches in memory whatever the history's size", async () => {
    const ahead = prefetchHistories(source, { sqlite: db });
    try {
      ahead.want(hugeRun);
      // The worker reads as far as its credit lets it (on a busy machine this takes a while), then no further.
      for (let waited = 0; ahead.pending() < CREDIT && waited < 30_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      expect(ahead.pending()).toBe(CREDIT);
      let count = 0;
      let most = 0;
      for await (const batch of ahead.history(hugeRun)) {
        count += batch.length;
        most = Math.max(most, ahead.pending());
      }
      expect(count).toBe(HUGE);
      expect(most).toBeLessThanOrEqual(CREDIT);
    } finally {
      await ahead.close();
    }
  }, 60_000);

  it("reads in-thread when the worker cannot load the driver", async () => {
    const ahead = prefetchHistories(source, { sqlite: db, driverFrom: join(dir, "nowhere", "cli.js") });
    try {
      for (const id of runIds) ahead.want(id);
      for (const id of runIds)
        expect(await collect(ahead.history(id))).toEqual(await collect(source.metricHistory(id)));
      expect(ahead.pending()).toBe(0);
    } finally {
      await ahead.close();
    }
  });

  it("fails the history with the reader's error", async () => {
    const ahead = prefetchHistories(source, { sqlite: join(dir, "missing.db") });
    try {
      ahead.want(runIds[1] as string);
      await expect(collect(ahead.history(runIds[1] as string))).rejects.toThrow(
        /missing\.db|no such file|unable to open/i,
      );
    } finally {
      await ahead.close();
    }
  });
});
