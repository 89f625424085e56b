#!/usr/bin/env node
/**
 * Sizes of the built UI as the browser downloads it: gzip (level 9) of every JS and CSS file in dist/, and of the
 * first page, i.e. the entry chunk plus every chunk it imports statically (transitively; dynamic imports excluded)
 * and their CSS. Used by src/budget.test.ts and by the bench; `node scripts/sizes.mjs` prints the figures.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The budgets of issue 7, in bytes of gzip. */
export const BUDGETS = { total: 200 * 1024, firstPage: 80 * 1024 };

/**
 * Parts loaded only when needed, each its own chunk and never on the first page: the sign-in page, the user menu
 * and the admin and account pages (a server without auth never loads them).
 */
export const LAZY_PARTS = [
  "src/auth/sign-in-page.ts",
  "src/auth/user-menu.ts",
  "src/auth/admin-page.ts",
  "src/auth/account-page.ts",
];

/**
 * Features of later issues, loaded only when opened, each with a budget of its own. Their chunks (those only their
 * entries reach) are left out of `total`, which stays issue 7's budget for the tracking UI; they are measured apart.
 * Tracing (issue 13): the Traces tab's table and the trace view.
 */
export const FEATURES = [
  { name: "traces", entries: ["src/traces/traces-view.ts", "src/traces/trace-page.ts"], budget: 24 * 1024 },
  // prompts-ui (issue 15): the prompts list and a prompt's page (versions, template, variables, version diff).
  { name: "prompts", entries: ["src/prompts/prompts-page.ts", "src/prompts/prompt-page.ts"], budget: 12 * 1024 },
  // models-ui (issue 15): a logged model's page, the registry's "compare versions" and the runs table's Models links.
  {
    name: "models",
    entries: ["src/pages/logged-model-page.ts", "src/pages/compare-versions-page.ts", "src/runs/model-links-data.ts"],
    budget: 8 * 1024,
  },
  // image-grid (issue 15): `<tl-image-grid>` (logged images over steps, image artifacts of several runs), loaded by the
  // compare page's Images section, the run page's Images tab and the chart builder's image-grid cards.
  { name: "image-grid", entries: ["src/charts/image-grid-panel.ts"], budget: 8 * 1024 },
  // GenAI views (issue 15, genai-ui): evaluation datasets, judges, review queues with label schemas and issues.
  { name: "genai", entries: ["src/genai/index.ts"], budget: 16 * 1024 },
  // chart-builder (issue 15): the chart board (cards, search, reorder), the "Add chart" dialog and the chart kinds
  // beyond the line chart (bars, scatter, contour, difference view, …), loaded alongside the metric chart grid.
  { name: "chart-builder", entries: ["src/charts/chart-kinds.ts"], budget: 16 * 1024 },
  // links (issue 15): MLflow's own UI URLs translated to tracklite's views, loaded only for such a URL.
  { name: "links", entries: ["src/mlflow-links-open.ts"], budget: 4 * 1024 },
];

export const DEFAULT_DIST = fileURLToPath(new URL("../dist/", import.meta.url));

const gzipSize = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (d.name === ".vite" ? [] : walk(join(dir, d.name))) : [join(dir, d.name)],
  );
}

/**
 * Measures `dist` (default apps/ui/dist). Throws "run the build first" when there is no build with a manifest.
 * @param {string} [dist]
 * `lazy` says, for each of {@link LAZY_PARTS}, its chunk (undefined when the build has none) and whether it is on the
 * first page. `features` gives each of {@link FEATURES} its own files and size (not counted in `total`).
 * @returns {{ files: { file: string, gzip: number }[], features: { name: string, budget: number, files: { file: string, gzip: number }[], gzip: number, lazy: boolean }[], total: number, firstPage: number, firstPageFiles: { file: string, gzip: number }[], lazy: { part: string, file: string | undefined, onFirstPage: boolean }[] }}
 */
export function measure(dist = DEFAULT_DIST) {
  const manifestPath = join(dist, ".vite", "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new Error(`No UI build with a manifest in ${dist}: run the build first (cd apps/ui && npx vite build).`);
  }
  /** @type {Record<string, { file: string, isEntry?: boolean, imports?: string[], css?: string[] }>} */
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const files = walk(dist)
    .filter((p) => /\.(js|css)$/.test(p))
    .map((p) => ({ file: relative(dist, p), gzip: gzipSize(p) }))
    .sort((a, b) => b.gzip - a.gzip);
  const size = new Map(files.map((f) => [f.file, f.gzip]));

  /** Files the chunks of `keys` load statically (themselves, their CSS and static imports, transitively). */
  const closure = (keys) => {
    const out = new Set();
    const visit = (key) => {
      const chunk = manifest[key];
      if (!chunk || out.has(chunk.file)) return;
      out.add(chunk.file);
      for (const css of chunk.css ?? []) out.add(css);
      for (const dep of chunk.imports ?? []) visit(dep);
    };
    for (const k of keys) visit(k);
    return out;
  };
  const first = closure(Object.keys(manifest).filter((k) => manifest[k].isEntry));
  const featureEntries = new Set(FEATURES.flatMap((f) => f.entries));
  const rest = closure(
    Object.keys(manifest).filter((k) => (manifest[k].isEntry || manifest[k].isDynamicEntry) && !featureEntries.has(k)),
  );
  const features = FEATURES.map((f) => {
    const own = [...closure(f.entries)].filter((file) => !rest.has(file));
    const ownFiles = own.map((file) => ({ file, gzip: size.get(file) ?? 0 })).sort((a, b) => b.gzip - a.gzip);
    return {
      name: f.name,
      budget: f.budget,
      files: ownFiles,
      gzip: ownFiles.reduce((s, x) => s + x.gzip, 0),
      lazy: f.entries.every((e) => manifest[e]?.isDynamicEntry && !first.has(manifest[e].file)),
    };
  });
  const featureFiles = new Set(features.flatMap((f) => f.files.map((x) => x.file)));
  const firstPageFiles = [...first]
    .map((file) => ({ file, gzip: size.get(file) ?? 0 }))
    .sort((a, b) => b.gzip - a.gzip);

  const lazy = LAZY_PARTS.map((part) => {
    const chunk = manifest[part];
    const file = chunk?.isDynamicEntry ? chunk.file : undefined;
    return { part, file, onFirstPage: file !== undefined && first.has(file) };
  });

  return {
    files,
    lazy,
    features,
    total: files.filter((f) => !featureFiles.has(f.file)).reduce((s, f) => s + f.gzip, 0),
    firstPage: firstPageFiles.reduce((s, f) => s + f.gzip, 0),
    firstPageFiles,
  };
}

/** "12.3 KB" */
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** A few lines naming the biggest files, for failure messages and the bench. */
export function biggest(list, n = 8) {
  return list
    .slice(0, n)
    .map((f) => `  ${kb(f.gzip).padStart(9)}  ${f.file}`)
    .join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const m = measure(process.argv[2]);
  console.log(`all JS+CSS: ${kb(m.total)} gzip (budget ${kb(BUDGETS.total)}), ${m.files.length} files`);
  console.log(`first page: ${kb(m.firstPage)} gzip (budget ${kb(BUDGETS.firstPage)})`);
  for (const f of m.features)
    console.log(`feature ${f.name}: ${kb(f.gzip)} gzip (budget ${kb(f.budget)}), not in the total`);
  console.log(biggest(m.firstPageFiles, 20));
  console.log("biggest files:");
  console.log(biggest(m.files));
}
