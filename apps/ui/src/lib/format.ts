/** Display formatting shared by the pages. Pure functions: tested in format.test.ts. */

/** `2026-11-27 10:31:46` in local time, or "" for no timestamp. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return "";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `1h 02m`, `3m 04s`, `5.2s`, `120ms`, `2d 03h`; "" when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const p = (n: number) => String(n).padStart(2, "0");
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${p(Math.floor(s % 60))}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${p(m % 60)}m`;
  return `${Math.floor(h / 24)}d ${p(h % 24)}h`;
}

/** "just now", "42 s ago", "3 min ago", "5 h ago", "2 days ago", "4 months ago", "1 year ago"; "" for no time. */
export function formatAgo(ms: number | undefined, now = Date.now()): string {
  if (!ms || !Number.isFinite(ms)) return "";
  const s = Math.floor((now - ms) / 1000);
  if (s < 10) return "just now"; // also clock skew: a time slightly in the future
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  if (d < 31) return plural(d, "day");
  if (d < 365) return plural(Math.floor(d / 30.44), "month");
  return plural(Math.floor(d / 365.25), "year");
}

/** A metric value: up to 6 significant digits, exponent for very large or small, NaN/Infinity spelled out. */
export function formatNumber(v: number | string | undefined): string {
  if (v === undefined || v === null) return "";
  const n = typeof v === "string" ? Number(v) : v;
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (n === 0) return "0";
  const a = Math.abs(n);
  if (a >= 1e6 || a < 1e-4) return n.toExponential(3);
  return String(Number(n.toPrecision(6)));
}

/** `1.2 MB` style sizes. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Tableau 10: a qualitative palette chosen to stay distinguishable under the common colour-vision deficiencies. */
export const RUN_PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

const BACKGROUND = { light: [255, 255, 255], dark: [21, 24, 30] } as const;

const luminance = (rgb: readonly number[]) => {
  const [r = 0, g = 0, b = 0] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** WCAG contrast ratio of two sRGB colours. */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/**
 * The palette colour moved towards black (light theme) or white (dark theme) just enough for a 3:1 contrast with the
 * background (WCAG's figure for graphics), keeping its hue: the same run keeps the same colour family in both themes.
 */
function adjust(color: string, theme: "light" | "dark"): string {
  const base = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
  const bg = BACKGROUND[theme];
  const target = theme === "light" ? 0 : 255;
  let rgb = base;
  for (let t = 0; t <= 1 && contrast(rgb, bg) < 3; t += 0.05) rgb = base.map((c) => c + (target - c) * t);
  return hex(rgb);
}

const adjusted = { light: new Map<string, string>(), dark: new Map<string, string>() };

/** The palette index of a run: FNV-1a hash of its id, so a run keeps its colour across pages and reloads. */
export function runColorIndex(runId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % RUN_PALETTE.length;
}

/**
 * A stable colour per run (same in table swatches and chart lines), readable on the current theme's background.
 * `theme` defaults to the one the document shows.
 */
export function runColor(runId: string, theme?: "light" | "dark"): string {
  const t =
    theme ?? (typeof document !== "undefined" && document.documentElement.dataset.theme === "dark" ? "dark" : "light");
  const base = RUN_PALETTE[runColorIndex(runId)] ?? RUN_PALETTE[0];
  const cache = adjusted[t];
  let c = cache.get(base);
  if (!c) {
    c = adjust(base, t);
    cache.set(base, c);
  }
  return c;
}

/** Tags as a record (MLflow sends them as key/value lists). */
export function tagRecord(tags: { key: string; value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key, t.value ?? ""]));
}

/**
 * A tag list after a tag write: `key` set to `value` (moved to the end), or removed when `value` is undefined. For
 * updating what a page shows once the server has accepted the write.
 */
export function withTag<T extends { key: string; value?: string }>(
  tags: readonly T[] | undefined,
  key: string,
  value?: string,
): (T | { key: string; value: string })[] {
  const rest: (T | { key: string; value: string })[] = (tags ?? []).filter((t) => t.key !== key);
  if (value !== undefined) rest.push({ key, value });
  return rest;
}
