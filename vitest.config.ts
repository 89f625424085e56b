import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const include = ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"];

/**
 * Files that assert on elapsed time or on what a process does at a signal: they run after every other file, one at a
 * time, as the whole suite used to (ci-time, issue 18: with a second worker beside them on a loaded 2-core machine,
 * shutdown.test.ts and db-upgrade.test.ts failed on timing).
 */
const alone = [
  "apps/server/src/shutdown.test.ts",
  "apps/server/src/shutdown-webhooks.test.ts",
  "apps/server/src/db-upgrade.test.ts",
  "apps/server/src/cli-errors.test.ts",
  "apps/server/src/import/sources/rest/webhooks-500.test.ts",
  "apps/server/src/import/verify/run-verify.test.ts",
  "packages/server/src/store/read-replica.test.ts",
  "packages/server/src/routes/webhooks.test.ts",
  "packages/client/src/fluent/exit-on-node.test.ts",
];

export default defineConfig({
  resolve: { conditions: ["tracklite-source"] },
  ssr: { resolve: { conditions: ["tracklite-source"] } },
  test: {
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "parallel",
          include,
          exclude: alone,
          // vitest's default is one worker fewer than the cores: a single worker on CI's two, which ran the ~265 files
          // one after another while the other core idled (many files mostly wait on the servers and CLIs they
          // start). One worker a core (at least two); every file still runs isolated in its own process.
          maxWorkers: Math.max(2, availableParallelism()),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "alone", include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
