/**
 * Columns for comparing runs (a param or a metric, one value per run) and how to place their values on an axis:
 * numbers on a linear scale with nice ticks, anything else as evenly spaced categories. Pure: used by the compare
 * table, parallel coordinates and the scatter plot.
 */

export type ColumnKind = "param" | "metric";

/** One column: `values[i]` belongs to the i-th run (undefined when that run lacks the key). */
export interface Column {
  /** `p:<key>` or `m:<key>` (as written into the URL). */
  id: string;
  kind: ColumnKind;
  key: string;
  values: (string | number | undefined)[];
}

export function columnId(kind: ColumnKind, key: string): string {
  return `${kind === "param" ? "p" : "m"}:${key}`;
}

export function parseColumnId(id: string): { kind: ColumnKind; key: string } | undefined {
  const m = /^([pm]):(.+)$/s.exec(id);
  return m ? { kind: m[1] === "p" ? "param" : "metric", key: m[2] as string } : undefined;
}

/** Whether the runs disagree on a value (a key missing from some runs counts as a difference). */
export function differs(values: readonly (string | number | undefined)[]): boolean {
  if (values.length < 2) return false;
  const first = values[0];
  return values.some((v) => String(v) !== String(first));
}

/** `log`: positive numbers spanning at least LOG_RATIO (learning rates, weight decays) sit on a log10 axis. */
export type Scale =
  | { kind: "linear"; min: number; max: number; log?: boolean }
  | { kind: "ordinal"; categories: string[] };

const LOG_RATIO = 100;

const collator = new Intl.Collator("en", { numeric: true });

const asNumber = (v: string | number): number => (typeof v === "number" ? v : v.trim() === "" ? Number.NaN : Number(v));

/** A linear scale when every present value is a finite number (params arrive as strings), else categories. */
export function makeScale(values: readonly (string | number | undefined)[]): Scale | undefined {
  const present = values.filter((v): v is string | number => v !== undefined);
  if (!present.length) return undefined;
  const nums = present.map(asNumber);
  if (nums.every(Number.isFinite)) {
    let min = Math.min(...nums);
    let max = Math.max(...nums);
    if (min === max) {
      min -= Math.abs(min) * 0.1 || 1;
      max += Math.abs(max) * 0.1 || 1;
    }
    if (min > 0 && max / min >= LOG_RATIO) return { kind: "linear", min, max, log: true };
    return { kind: "linear", min, max };
  }
  return { kind: "ordinal", categories: [...new Set(present.map(String))].sort(collator.compare) };
}

/** Where a value sits on its scale, 0 (bottom/left) to 1 (top/right); undefined for a missing or unknown value. */
export function position(scale: Scale, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (scale.kind === "linear") {
    const n = asNumber(value);
    if (!Number.isFinite(n)) return undefined;
    if (scale.log) return n > 0 ? Math.log10(n / scale.min) / Math.log10(scale.max / scale.min) : undefined;
    return (n - scale.min) / (scale.max - scale.min);
  }
  const i = scale.categories.indexOf(String(value));
  if (i < 0) return undefined;
  return scale.categories.length === 1 ? 0.5 : i / (scale.categories.length - 1);
}

/** Round tick values (1, 2 or 5 times a power of ten apart) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten within [min, max] (with 2× and 5× steps when fewer than three decades). */
export function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mults = hi - lo < 3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++) {
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Ticks of a scale as [position 0..1, label value] pairs (categories: at most `max` labels, evenly picked). */
export function scaleTicks(scale: Scale, count = 5, max = 12): [number, string | number][] {
  if (scale.kind === "linear") {
    const ticks = scale.log ? logTicks(scale.min, scale.max) : niceTicks(scale.min, scale.max, count);
    return ticks.map((v) => [position(scale, v) as number, v]);
  }
  const c = scale.categories;
  const every = Math.max(1, Math.ceil(c.length / max));
  return c.flatMap((v, i) => (i % every === 0 ? [[c.length === 1 ? 0.5 : i / (c.length - 1), v]] : [])) as [
    number,
    string,
  ][];
}
