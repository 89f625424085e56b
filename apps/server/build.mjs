#!/usr/bin/env node
/**
 * Builds the CLI as one minified ES module (plus a lazily loaded chunk for the S3 SDK) with esbuild, and ships the
 * store's migrations beside it. One file instead of hundreds of modules is what makes `tracklite server` start fast:
 * Node spends most of a cold start resolving and compiling modules.
 */
import { chmod, cp, rm } from "node:fs/promises";
import { build } from "esbuild";

const here = new URL(".", import.meta.url);
const dist = new URL("dist/", here);

await rm(dist, { recursive: true, force: true });
await build({
  entryPoints: [new URL("src/cli.ts", here).pathname],
  outdir: dist.pathname,
  bundle: true,
  splitting: true,
  minify: true,
  sourcemap: "linked",
  platform: "node",
  format: "esm",
  target: "node20",
  // The workspace packages are bundled from their TypeScript sources.
  conditions: ["tracklite-source"],
  // The libSQL native addon is loaded from node_modules at run time.
  external: ["libsql"],
  // Bundled CommonJS code calls `require`; give the ES module one.
  banner: {
    js: "import { createRequire as __trackliteRequire } from 'node:module'; const require = __trackliteRequire(import.meta.url);",
  },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
await chmod(new URL("cli.js", dist), 0o755);
await cp(new URL("../../packages/server/drizzle/", here), new URL("drizzle/", dist), { recursive: true });
