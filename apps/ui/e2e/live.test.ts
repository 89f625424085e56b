import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, expect, test } from "vitest";
import { apiGet } from "./api.js";
import { REPO } from "./context.js";
import { ctx, e2eSuite, see, textOf } from "./harness.js";

/** Starts live.py (a run logging `live/loss` every 0.3 s) and resolves with its run id. */
function startLiveRun(experiment: string, runName: string): Promise<{ proc: ChildProcess; runId: string }> {
  const proc = spawn(ctx.python, [join(REPO, "apps/ui/e2e/live.py"), experiment, runName], {
    env: { ...process.env, MLFLOW_TRACKING_URI: ctx.baseUrl, PYTHONDONTWRITEBYTECODE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.once("line", (runId) => resolve({ proc, runId: runId.trim() }));
    proc.once("exit", (code) => reject(new Error(`live.py exited with ${code}: ${stderr}`)));
  });
}

e2eSuite("live runs", (ui) => {
  let live: ChildProcess | undefined;
  afterAll(() => {
    if (live && live.exitCode === null) live.kill("SIGKILL");
  });

  test("a running run shows RUNNING, its steps per second, and new values without a reload", async () => {
    const started = await startLiveRun("live-demo", "live-run");
    live = started.proc;
    const { run } = await apiGet("runs/get", { run_id: started.runId });
    const page = ui.page;
    await ui.goto(`/experiments/${run.info.experiment_id}`);
    // A mark on the window: it is gone if the page reloads.
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    const grid = page.getByRole("grid", { name: "Runs" });
    const row = grid.locator("[role=row]", {
      has: page.getByRole("checkbox", { name: "Select run live-run", exact: true }),
    });
    await see(row).toContain("Running");
    await see(page.getByRole("toolbar", { name: "Run actions" })).toContain("1 running");
    await see(row).toMatch(/\d steps\/s/);

    // The live/loss cell: the gridcell of the row under the live/loss column header.
    const header = grid.getByRole("columnheader").filter({ hasText: "live/loss" });
    await header.waitFor();
    const left = await header.evaluate((h) => (h as HTMLElement).style.left);
    const cell = row.locator(`[role=gridcell][style*="left:${left};"]`);
    const first = Number(await textOf(cell));
    expect(first).toBeGreaterThan(0);
    await expect.poll(async () => Number(await textOf(cell))).toBeLessThan(first);
    await ui.shot("live");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // The run page of a running run refreshes too.
    await row.getByRole("link", { name: "live-run" }).click();
    await page.getByRole("heading", { level: 1, name: "live-run" }).waitFor();
    await see(page.locator("tl-run-page")).toContain("Live");

    // The logging process ends the run: the page shows it finished, still without a reload.
    await page.goBack();
    await see(row).toContain("Running");
    live.kill("SIGTERM");
    await see(row).toContain("Finished");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });
});
