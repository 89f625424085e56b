/**
 * The rows of MLflow's difference view: every attribute, param, metric and tag of the runs, each run's value next to the
 * baseline run's, numbers with their difference from the baseline. Pure: tested in Node.
 */
import type { RunValues } from "./run-values.js";

export const DIFF_GROUPS = ["Attributes", "Params", "Metrics", "Tags"] as const;
export type DiffGroup = (typeof DIFF_GROUPS)[number];

export interface DiffRow {
  group: DiffGroup;
  key: string;
  /** Each run's value (undefined: the run lacks it), in the runs' order. */
  values: (string | number | undefined)[];
  /** value − baseline's value for numbers both have, else undefined (the baseline's own cell too). */
  deltas: (number | undefined)[];
  /** Whether any run differs from the baseline. */
  differs: boolean;
}

const asNum = (v: string | number | undefined): number | undefined => {
  if (v === undefined || (typeof v === "string" && v.trim() === "")) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Rows for `values` (one per run) against the run at `baseline` (an index into them). */
export function diffRows(values: readonly RunValues[], baseline: number, onlyDiffs = false): DiffRow[] {
  const collator = new Intl.Collator("en", { numeric: true });
  const pick: Record<DiffGroup, (v: RunValues) => Record<string, string | number>> = {
    Attributes: (v) => v.attrs,
    Params: (v) => v.params,
    Metrics: (v) => v.metrics,
    Tags: (v) => v.tags,
  };
  const rows: DiffRow[] = [];
  for (const group of DIFF_GROUPS) {
    const keys = new Set<string>();
    for (const v of values) for (const k of Object.keys(pick[group](v))) keys.add(k);
    const sorted = group === "Attributes" ? [...keys] : [...keys].sort(collator.compare);
    for (const key of sorted) {
      const vals = values.map((v) => pick[group](v)[key]);
      const base = vals[baseline];
      const b = asNum(base);
      const deltas = vals.map((v, i) => {
        const n = asNum(v);
        return i === baseline || b === undefined || n === undefined ? undefined : n - b;
      });
      const differs = vals.some((v) => String(v) !== String(base));
      if (onlyDiffs && !differs) continue;
      rows.push({ group, key, values: vals, deltas, differs });
    }
  }
  return rows;
}

/** A difference as shown: signed, with the change in percent when the baseline is not zero. */
export function formatDelta(delta: number, base: number | undefined): string {
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const abs = Math.abs(delta);
  const txt = abs >= 1e6 || (abs < 1e-4 && abs > 0) ? abs.toExponential(2) : String(Number(abs.toPrecision(4)));
  const pct =
    base !== undefined && base !== 0 ? ` (${sign}${Number(((abs / Math.abs(base)) * 100).toPrecision(3))}%)` : "";
  return `${sign}${txt}${pct}`;
}
