/** Axis and legend number formatting for charts: SI suffixes (1.2k, 3.4M) and short durations. Pure. */

const SI = [
  { e: 1e12, s: "T" },
  { e: 1e9, s: "G" },
  { e: 1e6, s: "M" },
  { e: 1e3, s: "k" },
];

/** Drops trailing zeros of a fixed-point string ("1.50" → "1.5", "2.00" → "2"). */
function trim(s: string): string {
  return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s;
}

/** How many decimals show `step` exactly (0.25 → 2, 0.1 → 1, 5 → 0), at most `cap`. */
function decimalsFor(step: number, cap: number): number {
  for (let d = 0; d < cap; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return cap;
}

/**
 * One tick label. `incr` is the distance between ticks and sets the precision, so neighbouring ticks stay distinct:
 * 1200 → "1.2k", 2500000 → "2.5M", 0.25 → "0.25", 1e-5 → "1e-5".
 */
export function formatTick(v: number, incr = 0): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  const step = Math.abs(incr) || a;
  for (const { e, s } of SI) {
    if (a >= e) {
      return `${trim((v / e).toFixed(decimalsFor(step / e, 3)))}${s}`;
    }
  }
  if (a < 1e-3) return trim(v.toExponential(Math.max(0, Math.min(3, Math.ceil(Math.log10(a / step) - 1e-9)))));
  return trim(v.toFixed(decimalsFor(step, 6)));
}

/** A value in a legend or tooltip: 4 significant digits with an SI suffix above 10,000. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return "–";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  const a = Math.abs(v);
  if (a >= 1e4) {
    for (const { e, s } of SI) if (a >= e) return `${trim((v / e).toPrecision(4))}${s}`;
  }
  if (a !== 0 && a < 1e-3) return v.toExponential(3);
  return trim(v.toPrecision(4));
}

/** Seconds as a short duration for a relative-time axis: "0s", "45s", "2m", "1m30s", "1h5m", "2d3h". */
export function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return "";
  const sign = sec < 0 ? "-" : "";
  let s = Math.abs(sec);
  if (s < 60) return `${sign}${trim(s.toFixed(s < 10 && s % 1 !== 0 ? 1 : 0))}s`;
  s = Math.round(s);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const parts = d ? [`${d}d`, h && `${h}h`] : h ? [`${h}h`, m && `${m}m`] : [`${m}m`, r && `${r}s`];
  return sign + parts.filter(Boolean).join("");
}

/** A step count with thousands separators: 12345 → "12,345". */
export function formatStep(step: number): string {
  return Number.isFinite(step) ? Math.round(step).toLocaleString("en-US") : "";
}
