/**
 * The FileStore source under the import's orchestrator (run-import.ts) and the orchestrator's test sink: the dry run
 * counts every point, the import writes each run with its whole history once, and a second import finds all done.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openFileSink, sinkContents } from "../../file-sink.test-helpers.js";
import { runImport } from "../../run-import.js";
import { openFileStoreSource } from "./index.js";

const base = mkdtempSync(join(tmpdir(), "fs-import-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const root = join(base, "mlruns");
const RUN_A = "a".repeat(32);
const RUN_B = "b".repeat(32);
write(join(root, "0/meta.yaml"), "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n");
write(join(root, `0/${RUN_A}/meta.yaml`), `experiment_id: '0'\nrun_id: ${RUN_A}\nstatus: 3\nlifecycle_stage: active\n`);
write(
  join(root, `0/${RUN_A}/metrics/loss`),
  Array.from({ length: 12_000 }, (_, i) => `${1700000000000 + i} ${1 / (i + 1)} ${i}\n`).join(""),
);
write(join(root, `0/${RUN_A}/metrics/dir/acc`), "1700000000000 0.5 0\n");
write(join(root, ".trash/3/meta.yaml"), "experiment_id: '3'\nname: old\nlifecycle_stage: deleted\n");
write(
  join(root, `.trash/3/${RUN_B}/meta.yaml`),
  `experiment_id: '3'\nrun_id: ${RUN_B}\nstatus: 3\nlifecycle_stage: deleted\ndeleted_time: 1700000009999\n`,
);
// Finite values: the orchestrator's test sink (file-sink.test-helpers.ts) binds values as SQLite REALs, which refuse
// NaN; NaN and ±Infinity are covered against the reference in file-store-source.test.ts.
write(join(root, `.trash/3/${RUN_B}/metrics/x`), "1700000000000 0.25 0\n1700000000001 1e+300 1\n");
write(join(root, "models/m/meta.yaml"), "name: m\ncreation_timestamp: 1\nlast_updated_timestamp: 2\n");
write(join(root, "models/m/version-1/meta.yaml"), "name: m\nversion: 1\ncreation_timestamp: 1\ncurrent_stage: None\n");

describe("a FileStore imported by the orchestrator", () => {
  it("counts every point in a dry run, imports each run's history once, and finds everything done the second time", async () => {
    const dry = await runImport({ source: openFileStoreSource(root), filter: {} });
    expect(dry.counts).toMatchObject({ experiments: 2, runs: 2, metric_points: 12_003, registered_models: 1 });

    const sink = await openFileSink(join(base, "sink.db"));
    const first = await runImport({ source: openFileStoreSource(root), sink, filter: {} });
    expect(first.tally.metricPoints).toBe(12_003);
    expect((await sinkContents(sink.client)).points).toEqual({ [RUN_A]: 12_001, [RUN_B]: 2 });
    expect(first.skipped.filter((s) => !/artifact/i.test(s.what))).toEqual([]);

    const again = await runImport({ source: openFileStoreSource(root), sink, filter: {} });
    expect(again.tally.metricPoints).toBe(0);
    expect(again.tally.alreadyDone.runs).toBe(2);
    expect((await sinkContents(sink.client)).points).toEqual({ [RUN_A]: 12_001, [RUN_B]: 2 });
    await sink.close();
  });
});
