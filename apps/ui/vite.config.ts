import { defineConfig } from "vite";

// The UI is static files served by the tracklite server at `/`; workspace packages are bundled from their sources.
export default defineConfig({
  base: "./",
  resolve: { conditions: ["tracklite-source"] },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // dist/.vite/manifest.json: the chunk graph the size budget (scripts/sizes.mjs) measures the first page from.
    manifest: true,
  },
  // `npx vite` serves the UI with hot reload against a running server (TRACKLITE_API, default the embedded default).
  server: {
    proxy: Object.fromEntries(
      ["/ajax-api", "/api", "/get-artifact"].map((p) => [p, process.env.TRACKLITE_API ?? "http://127.0.0.1:5000"]),
    ),
  },
});
