import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "../client.js";
import { RUN_TAGS } from "./run-context.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const cli = join(root, "apps/server/dist/cli.js");
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

let dir: string;
let server: ChildProcess | undefined;
let trackingUri: string;

beforeAll(async () => {
  if (!existsSync(cli)) {
    execFileSync("npx", ["turbo", "run", "build", "--filter=tracklite", "--output-logs=errors-only"], { cwd: root });
  }
  dir = mkdtempSync(join(tmpdir(), "tracklite-exit-"));
  const port = await freePort();
  trackingUri = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    [cli, "server", "--port", String(port), "--backend-store-uri", `file:${join(dir, "db")}`],
    { env: { ...process.env, MLFLOW_ARTIFACTS_DESTINATION: join(dir, "art") }, stdio: "ignore" },
  );
  await waitForHealth(trackingUri);
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("the beforeExit hook", () => {
  it("flushes what a program left queued and ends its run FINISHED", async () => {
    const script = join(dir, "log-and-return.mts");
    writeFileSync(script, SCRIPT);
    const started = Date.now();
    const { code, stdout, stderr } = await runNode(["--import", tsxLoader, "--conditions=tracklite-source", script], {
      ...process.env,
      MLFLOW_TRACKING_URI: trackingUri,
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // The 60 s linger did not hold the program: the hook sent the tail.
    expect(Date.now() - started).toBeLessThan(30_000);

    const client = new MlflowClient({ trackingUri, maxRetries: 0 });
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitForHealth(uri: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server?.exitCode !== null) throw new Error(`tracklite exited with ${server?.exitCode}`);
    try {
      if ((await fetch(`${uri}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`tracklite did not answer at ${uri}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs node to its end (killed after 45 s) and collects its output. */
function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
