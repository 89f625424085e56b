import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ArrayData, arraySource, historyOf, sampleData } from "./array-source.test-helpers.js";
import { createArtifactReader } from "./artifacts/index.js";
import { parseImportCommand } from "./command.js";
import { runImportCommand } from "./run-command.js";
import { openTargetApp } from "./target-app.test-helpers.js";

/**
 * `tracklite import` into tracklite's real store (the import sink, the artifact copier) from the in-test source, read
 * back through tracklite's REST routes: what went in is what tracklite answers; run twice, nothing changes.
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-import-e2e-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Experiments and runs (what the sink writes so far), a deleted run, and one run with artifacts in a local folder. */
function data(): ArrayData {
  const { experiments } = sampleData(2, 3, 3000);
  const runDir = join(dir, "old", "1", "run00100001", "artifacts");
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, "model.pkl"), "weights");
  const run = experiments[0]?.runs[1]?.run.run;
  if (run) run.info.artifact_uri = runDir;
  return { experiments };
}

async function importOnce(target: string, destination: string) {
  const command = parseImportCommand(
    ["arrays:", "--backend-store-uri", target, "--artifacts-destination", destination],
    {},
  );
  if (command.kind !== "import") throw new Error(JSON.stringify(command));
  const source = arraySource(data(), { batch: 1000, artifacts: createArtifactReader() });
  const out = { stdout: "", stderr: "" };
  const status = await runImportCommand(command.options, {
    env: {},
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { isTTY: false, write: (t: string) => (out.stderr += t) },
    kinds: [{ kind: "arrays", matches: (l) => l.startsWith("arrays:"), open: async () => source }],
  });
  return { status, ...out };
}

describe("tracklite import into tracklite's store", () => {
  it("brings experiments, runs, histories and artifacts across, as tracklite's REST API then answers", async () => {
    const target = `sqlite:///${join(dir, "tracklite.db")}`;
    const destination = join(dir, "artifacts");
    const first = await importOnce(target, destination);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/ {2}runs +6\n {2}metric points +18,000 /);

    const t = await openTargetApp(`file:${join(dir, "tracklite.db")}`, destination);
    try {
      const exp = await t.call("GET", "/experiments/get", { experiment_id: "2" });
      expect(exp.status).toBe(200);
      expect(exp.body.experiment).toMatchObject({
        name: "exp-2",
        lifecycle_stage: "active",
        tags: [{ key: "team", value: "a" }],
      });
      // The deleted run stays deleted.
      const deleted = await t.call("GET", "/runs/get", { run_id: "run00100000" });
      expect(deleted.body.run.info.lifecycle_stage).toBe("deleted");
      const run = await t.call("GET", "/runs/get", { run_id: "run00200002" });
      expect(run.body.run.info).toMatchObject({
        experiment_id: "2",
        status: "FINISHED",
        start_time: 1000,
        end_time: 2000,
      });
      expect(run.body.run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
      // Every point, as the source yielded it.
      const expected = [...historyOf("run00200002", 3000, ["loss", "acc"])].filter((p) => p.key === "acc");
      const got = (await t.history("run00200002", "acc")) as { value: number; step: number; timestamp: number }[];
      expect(got).toHaveLength(1500);
      expect(got.map((p) => [p.step, p.timestamp, p.value])).toEqual(
        expected.map((p) => [p.step, p.timestamp, p.value]),
      );
      // The run with artifacts points at tracklite's copy, served by the proxy.
      const withFiles = await t.call("GET", "/runs/get", { run_id: "run00100001" });
      expect(withFiles.body.run.info.artifact_uri).toBe("mlflow-artifacts:/1/run00100001/artifacts");
      expect(readFileSync(t.artifactsAt("1/run00100001/artifacts/model.pkl"), "utf8")).toBe("weights");
      const listed = await t.call("GET", "/artifacts/list", { run_id: "run00100001" });
      expect(listed.body.files).toEqual([{ path: "model.pkl", is_dir: false, file_size: 7 }]);
    } finally {
      t.close();
    }

    // Twice: every unit is done; nothing is written again.
    const second = await importOnce(target, destination);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/ {2}runs +0 {2}\(6 already imported before\)\n {2}metric points +0 /);
  }, 60_000);
});
