import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { cleanEnv, runProcess, TARGETS, type TargetKind, useServer } from "./testing/servers.test-helpers.js";

const REPO = new URL("../../../", import.meta.url).pathname;
const EXAMPLE = join(REPO, "packages/client/examples/train.ts");
const TOOLS = join(REPO, ".tools/runtimes/node_modules");

/** Deno and Bun come from npm (`npm test` installs them into .tools/ and names them here). */
const DENO = process.env.TRACKLITE_DENO_BIN ?? join(TOOLS, "@deno/linux-x64-glibc/deno");
const BUN = process.env.TRACKLITE_BUN_BIN ?? join(TOOLS, "@oven/bun-linux-x64/bin/bun");

interface Runtime {
  name: string;
  command: string[];
  available: boolean;
}

const RUNTIMES: Runtime[] = [
  { name: "node", command: [join(REPO, "node_modules/.bin/tsx"), EXAMPLE], available: true },
  {
    name: "deno",
    command: [DENO, "run", "--allow-net", "--allow-env", "--allow-read", EXAMPLE],
    available: existsSync(DENO),
  },
  { name: "bun", command: [BUN, EXAMPLE], available: existsSync(BUN) },
];

/** Runs the example to its end; resolves with what it printed. */
function runExample(runtime: Runtime, trackingUri: string) {
  const [cmd, ...args] = runtime.command as [string, ...string[]];
  return runProcess(
    cmd,
    args,
    cleanEnv({ MLFLOW_TRACKING_URI: trackingUri, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }),
  );
}

/** What the example must have left on the server: the run, its metrics, child run, artifact and model. */
async function expectLogged(trackingUri: string, runId: string): Promise<void> {
  const client = new MlflowClient({ trackingUri, maxRetries: 0 });
  const run = await client.getRun(runId);
  expect(run.info).toMatchObject({ status: "FINISHED", run_name: "linear-regression" });
  expect(run.data.params).toEqual(
    expect.arrayContaining([
      { key: "learningRate", value: "0.1" },
      { key: "epochs", value: "50" },
      { key: "hidden", value: "16" },
    ]),
  );
  expect(run.data.tags).toContainEqual({ key: "mlflow.note.content", value: "Fits y = 3x + 1 by gradient descent." });
  const loss = await client.getMetricHistory(runId, "train/loss");
  expect(loss.map((m) => m.step)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(Number(loss.at(-1)?.value)).toBeLessThan(Number(loss[0]?.value));

  const children = await client.searchRuns([run.info.experiment_id], {
    filterString: `tags.mlflow.parentRunId = '${runId}'`,
  });
  expect(children.items.map((r) => r.info.run_name)).toEqual(["evaluate"]);
  expect(children.items[0]?.data.metrics?.[0]?.key).toBe("val/mae");

  const weights = JSON.parse(await new Response(await client.downloadArtifact(runId, "results/weights.json")).text());
  expect(Object.keys(weights)).toEqual(["w", "b"]);

  const modelId = run.outputs?.model_outputs?.[0]?.model_id ?? "";
  const model = await client.getLoggedModel(modelId);
  expect(model.info).toMatchObject({ name: "linear", source_run_id: runId, status: "LOGGED_MODEL_READY" });
  const file = JSON.parse(await new Response(await client.downloadLoggedModelArtifact(modelId, "model.json")).text());
  expect(file.kind).toBe("linear");
}

// The example under each runtime against tracklite, and under Node against MLflow's own server too.
const CASES: [TargetKind, Runtime][] = [
  ...RUNTIMES.map((r): [TargetKind, Runtime] => ["tracklite", r]),
  ...(TARGETS.includes("mlflow") ? [["mlflow", RUNTIMES[0] as Runtime] as [TargetKind, Runtime]] : []),
];

describe.each(CASES)("the example training loop against %s", (kind, runtime) => {
  const server = useServer(kind);

  it(`runs under ${runtime.name} and logs params, metrics, a nested run, an artifact and a model`, async () => {
    // A missing runtime fails the test: `npm test` installs Deno and Bun into .tools/.
    expect(runtime.available, `${runtime.command[0]} is missing: run npm test once (it installs .tools/)`).toBe(true);
    const r = await runExample(runtime, server.url);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const runId = r.stdout.trim().split("\n").at(-1) ?? "";
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    await expectLogged(server.url, runId);
  }, 120_000);
});
