import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import type { MetricPoint } from "./model.js";
import { createImportSink } from "./sink.js";
import { tempTarget } from "./sink.test-helpers.js";

/**
 * The metric path's speed into a database file: `TRACKLITE_BENCH=1 npx vitest run packages/server/src/import/sink-bench.test.ts`
 * (sizes through TRACKLITE_BENCH_RUNS / _KEYS / _STEPS). Off in `npm test`: a rate depends on the machine's load.
 */
const RUNS = Number(process.env.TRACKLITE_BENCH_RUNS ?? 100);
const KEYS = Number(process.env.TRACKLITE_BENCH_KEYS ?? 10);
const STEPS = Number(process.env.TRACKLITE_BENCH_STEPS ?? 2000);
const BATCH = 5000;

/** One run's history in batches, built as a source builds them (one object per point). */
async function* history(run: number): AsyncIterable<MetricPoint[]> {
  let batch: MetricPoint[] = [];
  for (let k = 0; k < KEYS; k++) {
    for (let s = 0; s < STEPS; s++) {
      batch.push({ key: `metric_${k}`, value: Math.sin(run + s) * k, timestamp: 1_700_000_000_000 + s * 10, step: s });
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

describe.runIf(process.env.TRACKLITE_BENCH)("import sink speed", () => {
  it(`writes ${RUNS} runs × ${KEYS * STEPS} points`, { timeout: 3_600_000 }, async () => {
    const target = tempTarget();
    const sink = await createImportSink({ url: target.url });
    const experimentId = await sink.experiment({ experiment_id: "1", name: "bench", lifecycle_stage: "active" });
    const cpu = process.cpuUsage();
    const started = performance.now();
    let points = 0;
    for (let r = 0; r < RUNS; r++) {
      const id = r.toString(16).padStart(32, "0");
      const run = {
        info: { run_id: id, run_uuid: id, experiment_id: "1", status: "FINISHED", lifecycle_stage: "active" },
        data: { params: [{ key: "p", value: String(r) }], tags: [] },
      } as const;
      points += (await sink.run(experimentId, { run: structuredClone(run) as never }, history(r))).points;
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    await sink.close();
    const client = createClient({ url: target.url });
    const count = await client.execute("SELECT count(*) AS n FROM metrics");
    client.close();
    target.remove();
    console.log(
      `import sink: ${points} points in ${seconds.toFixed(2)} s = ${Math.round(points / seconds)} points/s wall, ` +
        `${Math.round(points / cpuSeconds)} points per CPU-second (this process)`,
    );
    expect(Number(count.rows[0]?.n)).toBe(RUNS * KEYS * STEPS);
  });
});
