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
  },
  server: { proxy: { "/ajax-api": "http://127.0.0.1:5000", "/get-artifact": "http://127.0.0.1:5000" } },
});
