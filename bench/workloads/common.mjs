/**
 * What every workload shares: the alternating repetition driver, experiment/run helpers and the row shape the report
 * prints.
 */
import { median } from "../load.mjs";
import { KINDS } from "../servers.mjs";

/**
 * @typedef {object} Row
 * @property {string} workload   e.g. "log-batch (1,000 metrics)"
 * @property {string} figure     e.g. "p50 latency"
 * @property {string} unit       e.g. "ms"
 * @property {"higher" | "lower"} better
 * @property {number} reference
 * @property {number} tracklite
 * @property {{ reference?: number, tracklite?: number }} [genCpu]  load generator CPU share while measuring
 * @property {string} [note]
 */

/** @returns {Row} */
export function row(workload, figure, unit, better, values, extra = {}) {
  return { workload, figure, unit, better, reference: values.reference, tracklite: values.tracklite, ...extra };
}

/** tracklite ÷ reference, turned so that > 1 means tracklite is better. */
export function ratio(r) {
  if (!Number.isFinite(r.reference) || !Number.isFinite(r.tracklite) || r.reference <= 0 || r.tracklite <= 0) {
    return Number.NaN;
  }
  return r.better === "higher" ? r.tracklite / r.reference : r.reference / r.tracklite;
}

/**
 * Runs `fn(kind, rep)` `reps` times on each server, alternating which goes first (reference first on even
 * repetitions, tracklite first on odd ones), with the server's memory sampler in its "load" phase meanwhile.
 * Returns the results per server.
 */
export async function alternate(ctx, reps, fn) {
  const out = { reference: [], tracklite: [] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? KINDS : [...KINDS].reverse();
    for (const kind of order) out[kind].push(await underLoad(ctx, kind, () => fn(kind, rep)));
  }
  return out;
}

/** Runs `fn` with `kind`'s memory sampler in its "load" phase. */
export async function underLoad(ctx, kind, fn) {
  const mem = ctx.mem[kind];
  mem.phase = "load";
  try {
    return await fn();
  } finally {
    mem.phase = null;
  }
}

/** Runs `fn(kind)` once on each server (setup, seeding), reference first. */
export async function each(_ctx, fn) {
  const out = {};
  for (const kind of KINDS) out[kind] = await fn(kind);
  return out;
}

/** Median over repetitions of `pick(result)`, per server. */
export function medianOf(results, pick) {
  return { reference: median(results.reference.map(pick)), tracklite: median(results.tracklite.map(pick)) };
}

let experimentCounter = 0;

/** Creates a fresh experiment; returns its id. */
export async function newExperiment(api, prefix) {
  const name = `${prefix}-${process.pid}-${Date.now()}-${experimentCounter++}`;
  const { experiment_id } = await api.post("experiments/create", { name });
  return experiment_id;
}

/** Creates a run in `experimentId`; returns its run id. */
export async function newRun(api, experimentId, extra = {}) {
  const { run } = await api.post("runs/create", { experiment_id: experimentId, start_time: Date.now(), ...extra });
  return run.info.run_id;
}

/** A body of `keys` metrics × `steps` steps starting at step `base`, every point new. */
export function metricBatchBody(runId, base, keys = 100, steps = 10, ts = 1_700_000_000_000) {
  const metrics = [];
  for (let s = 0; s < steps; s++) {
    const step = base + s;
    for (let k = 0; k < keys; k++)
      metrics.push({ key: `m${k}`, value: ((step * 7 + k) % 1000) / 7, timestamp: ts + step, step });
  }
  return JSON.stringify({ run_id: runId, metrics });
}

export const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
