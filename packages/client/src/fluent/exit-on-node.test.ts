import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "../client.js";
import { cleanEnv, runProcess, useServer } from "../testing/servers.test-helpers.js";
import { RUN_TAGS } from "./run-context.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const clientEntry = pathToFileURL(join(root, "packages/client/src/index.ts")).href;
const tsxLoader = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** Logs 2,500 points and a param, prints the run id and returns without end(), flush() or close(). */
const SCRIPT = `
import { Tracking } from ${JSON.stringify(clientEntry)};
const tracking = new Tracking({ lingerMs: 60_000 });
const run = await tracking.startRun({ experimentName: "exit-hook" });
for (let step = 0; step < 2500; step++) await run.logMetric("loss", 1 / (step + 1), { step });
await run.logParam("lr", 0.01);
console.log(run.id);
`;

const server = useServer("tracklite");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklite-exit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the beforeExit hook", () => {
  it("flushes what a program left queued and ends its run FINISHED", async () => {
    const script = join(dir, "log-and-return.mts");
    writeFileSync(script, SCRIPT);
    const started = Date.now();
    const { code, stdout, stderr } = await runProcess(
      process.execPath,
      ["--import", tsxLoader, "--conditions=tracklite-source", script],
      cleanEnv({ MLFLOW_TRACKING_URI: server.url }),
      45_000,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // The 60 s linger did not hold the program: the hook sent the tail.
    expect(Date.now() - started).toBeLessThan(30_000);

    const client = new MlflowClient({ trackingUri: server.url, maxRetries: 0 });
    const run = await client.getRun(stdout.trim());
    expect(run.info.status).toBe("FINISHED");
    expect(run.info.end_time).toBeGreaterThan(0);
    expect(run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
    const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags[RUN_TAGS.sourceName]).toBe(script);
    const history = await client.getMetricHistory(run.info.run_id, "loss");
    expect(history).toHaveLength(2500);
  }, 60_000);
});
