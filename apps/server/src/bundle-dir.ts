/**
 * The folder of the built CLI (`dist/`, where build.mjs puts the migrations, the fresh-database template and the UI),
 * from the `import.meta.url` of any of its modules: esbuild moves the code of commands loaded on demand into
 * `dist/chunks/`, one level below. From source (tsx, vitest) it is the module's own folder, where none of those files
 * exist, so callers fall back to their defaults as before.
 */
export function bundleDir(moduleUrl: string): URL {
  const here = new URL(".", moduleUrl);
  return here.pathname.endsWith("/chunks/") ? new URL("..", here) : here;
}
