import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runFile } from "../cli-run.test-helpers.js";
import { openTargetApp } from "./target-app.test-helpers.js";

/**
 * An import killed half-way (SIGKILL: no handler runs) and run again: the second run skips what the first committed,
 * writes the rest, and every run ends with its whole history exactly once — a run cut off mid-history left nothing.
 * The target is tracklite's store through the real sink, read back through tracklite's REST routes.
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-import-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = new URL("./run-import.test-fixture.ts", import.meta.url).pathname;
/** From source: the workspace packages by their TypeScript (the `tracklite-source` condition), through tsx. */
const ARGS = ["--conditions=tracklite-source", "--import", "tsx", FIXTURE];

/** Every run tracklite answers for experiment 1 (deleted ones too), with its number of metric points. */
async function runsAndPoints(db: string): Promise<Record<string, number>> {
  const t = await openTargetApp(`file:${db}`, join(dir, "artifacts"));
  try {
    const found = await t.call("POST", "/runs/search", {
      experiment_ids: ["1"],
      run_view_type: "ALL",
      max_results: 100,
    });
    const counts: Record<string, number> = {};
    for (const run of found.body.runs ?? []) {
      const id = run.info.run_id as string;
      counts[id] = (await t.history(id, "loss")).length + (await t.history(id, "acc")).length;
    }
    return counts;
  } finally {
    t.close();
  }
}

describe("tracklite import killed half-way", () => {
  it("resumes where it stopped and ends with every point exactly once", async () => {
    const db = join(dir, "tracklite.db");
    // First run: killed once the progress says half the runs are in.
    const killed = await new Promise<{ signal: string | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...ARGS, db], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
        if (/import: 50%/.test(stderr)) child.kill("SIGKILL");
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("error", reject);
      child.once("exit", (_code, signal) => {
        clearTimeout(timer);
        resolve({ signal, stderr });
      });
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stderr).toMatch(/import: 50% \(4 runs of 8 runs\)/);

    const partial = await runsAndPoints(db);
    const runsIn = Object.keys(partial).length;
    expect(runsIn).toBeGreaterThanOrEqual(4);
    expect(runsIn).toBeLessThan(8);
    // No run is there in part: the one being written when the kill came was rolled back.
    expect(Object.values(partial).every((n) => n === 2000)).toBe(true);

    // Second run: resumes.
    const again = await runFile(process.execPath, [...ARGS, db], { timeoutMs: 60_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(` {2}runs +${8 - runsIn} {2}\\(${runsIn} already imported before\\)\\n`));
    expect(again.stdout).toMatch(new RegExp(` {2}metric points +${((8 - runsIn) * 2000).toLocaleString("en-US")} `));

    const full = await runsAndPoints(db);
    expect(Object.keys(full)).toHaveLength(8);
    expect(Object.values(full).every((n) => n === 2000)).toBe(true);
  }, 90_000);
});
