import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { createApp } from "@tracklite/server";
import { bundleDir } from "./bundle-dir.js";
import { NOTEBOOK_TRACE_RENDERER, notebookTraceTarget } from "./mlflow-links.js";

type App = ReturnType<typeof createApp>;

/** Where the built UI lives: `TRACKLITE_UI_DIR` (development), else `ui/` beside the built CLI (see build.mjs). */
export function uiDir(env: Record<string, string | undefined>): string {
  return env.TRACKLITE_UI_DIR
    ? resolve(env.TRACKLITE_UI_DIR)
    : fileURLToPath(new URL("ui", bundleDir(import.meta.url)));
}

const NOT_BUILT = `tracklite's web UI was not built, so this server only answers the API.
Build it with \`npm run build\` (or point TRACKLITE_UI_DIR at a built apps/ui/dist), then restart.
`;

/**
 * Serves the web UI's static files from `dir` at `/`: index.html (never cached, so a new build is picked up) and
 * `/assets/*` (names carry a content hash, so they are cached for a year). Only these paths are added, after the API
 * routes, so /health, /version, /get-artifact, the API and its JSON 404 for unknown paths stay as they are. Without a
 * built UI, `/` says so in plain text.
 */
export function mountUi(app: App, dir: string): void {
  if (!existsSync(resolve(dir, "index.html"))) {
    app.get("/", (c) => c.text(NOT_BUILT, 404));
    return;
  }
  const index = withCacheControl(serveStatic({ root: dir, path: "index.html" }), "no-cache");
  app.get("/", index);
  app.get("/index.html", index);
  // links (issue 15): MLflow's notebook trace renderer (its one non-hash UI page) opens tracklite's trace view.
  app.get(NOTEBOOK_TRACE_RENDERER, (c) => c.redirect(notebookTraceTarget(new URL(c.req.url).searchParams), 302));
  // build.mjs writes .br and .gz beside each asset; the right one is sent by Accept-Encoding.
  const assets = serveStatic({ root: dir, precompressed: true });
  app.get("/assets/*", withCacheControl(assets, "public, max-age=31536000, immutable"));
}

type Handler = ReturnType<typeof serveStatic>;

/** Adds Cache-Control to the files a static handler finds (not to the 404 that follows when it finds none). */
function withCacheControl(handler: Handler, value: string): Handler {
  return async (c, next) => {
    const res = await handler(c, next);
    if (res instanceof Response && res.ok) res.headers.set("Cache-Control", value);
    return res;
  };
}
