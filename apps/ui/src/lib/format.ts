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

// Run colours live in run-colors.ts; re-exported here for the pages that import them with the other formatters.
export { contrast, RUN_PALETTE, runColor, runColorIndex } from "./run-colors.js";

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
