#!/usr/bin/env node
/**
 * The `tracklite` command npm links at install time. It is committed (dist/ is not): npm creates no bin link to a
 * file that does not exist yet, and `npm ci` links bins before the root `prepare` script builds dist/. So this shim
 * is what the link points at; it runs the built CLI, or says how to build it.
 */
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    `Error: tracklite is not built yet (${cli.pathname} is missing). Run \`npm run build\` at the repository root (\`npm ci\` builds it too), then try again.\n`,
  );
  process.exit(2);
}
await import(cli.href);
