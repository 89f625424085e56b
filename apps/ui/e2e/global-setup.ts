/**
 * Once per e2e run: starts the built tracklite server on a free port with a temp database, seeds it with seed.py
 * through the real MLflow 3 client, and launches one headless Chromium (a browser server the test files connect to).
 * Everything is stopped in the teardown. Without TRACKLITE_PYTHON the suite is skipped, with the reason.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserServer, chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, type E2eContext, REPO } from "./context.js";
import { freePort, stopGroup, waitForHealth } from "./processes.js";

const run = promisify(execFile);

export default async function setup(project: TestProject) {
  const python = process.env.TRACKLITE_PYTHON;
  if (!python) {
    const skip =
      "TRACKLITE_PYTHON is unset: the UI e2e suite needs the MLflow 3 venv's python to seed the server " +
      "(e.g. TRACKLITE_PYTHON=.venvs/mlflow-3/bin/python); `npm test` sets it.";
    console.warn(`\n[ui-e2e] skipped: ${skip}\n`);
    project.provide("e2e", { skip } as E2eContext);
    return;
  }
  const executablePath = CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath} (apt-get install -y chromium, or set TRACKLITE_CHROMIUM)`);
  }
  const cli = join(REPO, "apps/server/dist/cli.js");
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx turbo run build)`);

  const dir = mkdtempSync(join(tmpdir(), "tracklite-ui-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = join(dir, "server.log");
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The build puts the UI into the server's dist/ui; TRACKLITE_UI_DIR (e.g. apps/ui/dist) serves another build.
  if (env.TRACKLITE_UI_DIR) console.warn(`[ui-e2e] serving the UI from TRACKLITE_UI_DIR=${env.TRACKLITE_UI_DIR}`);
  const fd = openSync(log, "a");
  const server = spawn(
    process.execPath,
    [
      cli,
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--backend-store-uri",
      `file:${dir}/db`,
      "--artifacts-destination",
      `${dir}/art`,
    ],
    { cwd: REPO, env, detached: true, stdio: ["ignore", fd, fd] },
  );
  let browser: BrowserServer | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await stopGroup(server, 300);
    if (!process.env.TRACKLITE_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, server, log);
    const index = await fetch(`${baseUrl}/`).then((r) => r.text());
    if (!index.includes("<tl-app")) throw new Error(`the server does not serve the UI at /:\n${index.slice(0, 300)}`);
    const seeded = await run(python, [join(REPO, "apps/ui/e2e/seed.py")], {
      cwd: REPO,
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: baseUrl,
        PYTHONDONTWRITEBYTECODE: "1",
        MLFLOW_DISABLE_TELEMETRY: "true",
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = seeded.stdout.trim().split("\n");
    const seed = JSON.parse(lines[lines.length - 1] ?? "{}");
    browser = await chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(join(REPO, "test-results/ui-screenshots"), { recursive: true });
    project.provide("e2e", {
      baseUrl,
      wsEndpoint: browser.wsEndpoint(),
      seed,
      python,
      dir,
    } satisfies E2eContext);
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}
