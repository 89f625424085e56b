import { defineConfig } from "vitest/config";

/**
 * The UI end-to-end suite: a built tracklite server seeded by the MLflow 3 Python client, driven through Debian's
 * Chromium with playwright-core. Run from the repository root:
 *   TRACKLITE_PYTHON=.venvs/mlflow-3/bin/python npx vitest run --config apps/ui/e2e/vitest.config.ts
 * One fork, one file at a time: the files share one server and one browser, and some of them change the data.
 * auth.test.ts starts a basic-auth server of its own: tracklite by default, the reference MLflow with
 * TRACKLITE_AUTH_SERVER=reference (see auth-server.ts).
 */
export default defineConfig({
  test: {
    root: new URL("../../..", import.meta.url).pathname,
    include: ["apps/ui/e2e/**/*.test.ts"],
    globalSetup: ["apps/ui/e2e/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Assertions retry until the page shows what they expect (data lands asynchronously); none asserts a time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
