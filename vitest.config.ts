import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["tracklite-source"] },
  ssr: { resolve: { conditions: ["tracklite-source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
    pool: "forks",
  },
});
