import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postJson, type Running, startServer } from "./shutdown.test-helpers.js";

/**
 * `--sqlite-synchronous normal` (the default) acknowledges a commit once it is in the WAL, without an fsync: it must
 * still survive `kill -9` of the server, which takes the process but not the OS's page cache. Writers log metrics
 * while the server is SIGKILLed at a random moment; after a restart on the same file, every acknowledged point is
 * there. Both levels, three kills each.
 */
describe("acknowledged writes survive kill -9", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-kill-"));
  const live = new Set<Running>();
  afterAll(() => {
    for (const run of live) run.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(db: string, level: string): Promise<Running> {
    const run = await startServer(db, join(dir, "artifacts"), { TRACKLITE_SQLITE_SYNCHRONOUS: level });
    live.add(run);
    return run;
  }

  /** Logs steps 0, 1, 2… of `key` one request at a time until a request fails; gives the acknowledged steps. */
  async function logUntilKilled(url: string, runId: string, key: string): Promise<number[]> {
    const acked: number[] = [];
    for (let step = 0; ; step++) {
      try {
        const point = { key, value: step / 7, timestamp: 1_700_000_000_000 + step, step };
        // Both write paths: log-batch every fifth point.
        if (step % 5 === 4) await postJson(url, "/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics: [point] });
        else await postJson(url, "/api/2.0/mlflow/runs/log-metric", { run_id: runId, ...point });
        acked.push(step);
      } catch {
        return acked;
      }
    }
  }

  async function history(url: string, runId: string, key: string): Promise<Set<number>> {
    const q = new URLSearchParams({ run_id: runId, metric_key: key, max_results: "100000" });
    const res = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?${q}`);
    const body = (await res.json()) as { metrics?: { step: number }[] };
    return new Set((body.metrics ?? []).map((m) => m.step));
  }

  for (const level of ["normal", "full"]) {
    it(`--sqlite-synchronous ${level}`, { timeout: 120_000 }, async () => {
      const db = join(dir, `${level}.db`);
      let run = await start(db, level);
      const { run: created } = await postJson<{ run: { info: { run_id: string } } }>(
        run.url,
        "/api/2.0/mlflow/runs/create",
        { experiment_id: "0", start_time: Date.now() },
      );
      const runId = created.info.run_id;
      for (let kill = 0; kill < 3; kill++) {
        const writers = [0, 1, 2, 3].map((w) => logUntilKilled(run.url, runId, `k${kill}-${w}`));
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
        run.child.kill("SIGKILL");
        await run.exited;
        live.delete(run);
        const acked = await Promise.all(writers);
        expect(acked.flat().length).toBeGreaterThan(0);
        run = await start(db, level);
        for (const [w, steps] of acked.entries()) {
          const stored = await history(run.url, runId, `k${kill}-${w}`);
          expect(steps.filter((s) => !stored.has(s))).toEqual([]);
        }
      }
      run.child.kill("SIGKILL");
      await run.exited;
      live.delete(run);
    });
  }
});
