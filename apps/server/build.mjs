#!/usr/bin/env node
/**
 * Builds the CLI as one minified ES module (plus a lazily loaded chunk for the S3 SDK) with esbuild, and ships the
 * store's migrations (and the auth database's) and the built web UI (apps/ui/dist → dist/ui, assets precompressed) beside it. One file instead of hundreds of modules is what makes `tracklite server` start fast:
 * Node spends most of a cold start resolving and compiling modules.
 */
import { existsSync } from "node:fs";
import { chmod, cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
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
  // The libSQL native addon is loaded from node_modules at run time; so are the PostgreSQL and MySQL drivers of
  // `tracklite import` (loaded only when a source needs them; pg's optional pg-native is never installed).
  external: ["libsql", "pg", "pg-cursor", "pg-native", "mysql2"],
  // Bundled CommonJS code calls `require`; give the ES module one.
  banner: {
    js: "import { createRequire as __trackliteRequire } from 'node:module'; const require = __trackliteRequire(import.meta.url);",
  },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
await chmod(new URL("cli.js", dist), 0o755);
await cp(new URL("../../packages/server/drizzle/", here), new URL("drizzle/", dist), { recursive: true });
await cp(new URL("../../packages/server/drizzle-auth/", here), new URL("drizzle-auth/", dist), { recursive: true });

// An empty database with every migration applied, made by the server's own openDatabase (from @tracklite/server's
// build): a new `file:` store starts as a copy of it instead of running the migrations (see src/fresh-database.ts).
const { openDatabase } = await import("@tracklite/server");
const handle = await openDatabase({
  url: `file:${new URL("fresh.db", dist).pathname}`,
  migrationsFolder: new URL("drizzle/", dist).pathname,
});
// It stays in WAL mode (switching a copy to WAL at start is a write of its own). A truncating checkpoint moves
// everything into the file, so the emptied -wal and the -shm can go: fresh.db is one self-contained file.
await handle.client.execute("VACUUM");
const checkpoint = await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
handle.client.close();
if (Number(checkpoint.rows[0]?.[0]) !== 0) throw new Error("build.mjs: fresh.db's WAL checkpoint did not complete");
await rm(new URL("fresh.db-wal", dist), { force: true });
await rm(new URL("fresh.db-shm", dist), { force: true });

// The web UI: turbo builds @tracklite/ui first (a devDependency, so `^build` covers it). Without it the server still
// runs and says at / that the UI was not built.
const ui = new URL("../ui/dist/", here);
if (existsSync(new URL("index.html", ui))) {
  const out = new URL("ui/", dist);
  await cp(ui, out, { recursive: true, filter: (src) => !src.includes("/.vite") });
  // Hashed assets never change: compress them once here rather than on every request.
  const assets = new URL("assets/", out);
  for (const name of await readdir(assets)) {
    if (!/\.(js|css|svg|json|txt|map)$/.test(name)) continue;
    const body = await readFile(new URL(name, assets));
    await writeFile(new URL(`${name}.gz`, assets), gzipSync(body, { level: 9 }));
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    await writeFile(new URL(`${name}.br`, assets), br);
  }
} else {
  console.warn("build.mjs: apps/ui/dist is missing; the CLI is built without the web UI (build @tracklite/ui first).");
}
