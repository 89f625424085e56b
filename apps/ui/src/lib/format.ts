/** Display formatting shared by the pages. Pure functions: tested in format.test.ts. */

/** `2026-11-27 10:31:46` in local time, or "" for no timestamp. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return "";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `1h 2m`, `3m 4s`, `5.2s`, `120ms`; "" when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "3 minutes ago" style. */
export function formatAgo(ms: number | undefined, now = Date.now()): string {
  if (!ms) return "";
  const d = formatDuration(now - ms);
  return d ? `${d} ago` : "";
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

/** A stable colour per run, from a palette readable on light and dark backgrounds. */
const PALETTE = [
  "#3b7be8",
  "#e8743b",
  "#19a979",
  "#ed4a7b",
  "#945ecf",
  "#13a4b4",
  "#c99a06",
  "#6f7f8f",
  "#d64541",
  "#5fb04f",
  "#bf5dbf",
  "#2d9cdb",
  "#f2994a",
  "#8d6e63",
  "#00897b",
  "#7e57c2",
];
export function runColor(runId: string): string {
  let h = 0;
  for (let i = 0; i < runId.length; i++) h = (h * 31 + runId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? "#3b7be8";
}

/** Tags as a record (MLflow sends them as key/value lists). */
export function tagRecord(tags: { key: string; value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key, t.value ?? ""]));
}
