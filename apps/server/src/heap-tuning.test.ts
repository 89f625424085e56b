import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, freePort } from "./cli-run.test-helpers.js";
import { postJson } from "./shutdown.test-helpers.js";

/** The largest "committed" of V8's `--trace-gc-verbose` lines for `space` (KB). */
function maxCommittedKb(trace: string, space: string): number {
  const re = new RegExp(`${space},\\s+used:.*committed:\\s+(\\d+) KB`, "g");
  return Math.max(0, ...[...trace.matchAll(re)].map((m) => Number(m[1])));
}

/**
 * The server's V8 settings (heap-tuning.ts) hold under load: with V8's defaults this load grows the young generation
 * to 2 × 16 MiB (survivors of concurrent requests); with them it keeps the 2 × 4 MiB it reached while the CLI's modules
 * loaded, before the settings could be applied.
 */
describe("the server's heap settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-heap-"));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("keep the young generation from growing under concurrent load", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const args = ["--trace-gc-verbose", CLI, "server", "--port", String(port)];
    args.push("--backend-store-uri", `file:${join(dir, "t.db")}`, "--artifacts-destination", join(dir, "artifacts"));
    const server = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = server;
    let trace = "";
    server.stdout?.on("data", (d: Buffer) => {
      trace += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      server.stdout?.on("data", () => trace.includes("tracklite listening on") && resolve());
      server.once("exit", (code) => reject(new Error(`exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const { run: created } = await postJson<{ run: { info: { run_id: string } } }>(url, "/api/2.0/mlflow/runs/create", {
      experiment_id: "0",
      start_time: Date.now(),
    });
    const runId = created.info.run_id;
    const worker = async (w: number) => {
      for (let i = 0; i < 60; i++) {
        const metrics = Array.from({ length: 50 }, (_, k) => ({
          key: `k${k}`,
          value: Math.random(),
          timestamp: Date.now(),
          step: w * 1000 + i,
        }));
        await postJson(url, "/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics });
        const res = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=k${i % 50}`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    expect(trace).toMatch(/New space,/);
    expect(maxCommittedKb(trace, "New space")).toBeLessThanOrEqual(8192);
  });
});
