/**
 * The runs and experiments the search tests query. The same data was loaded into MLflow 3.17.2's SQL store to record
 * the expected results in search-golden.test-helpers.ts, so change both together. It exercises what the reference
 * treats specially: NaN, ±Infinity and ±MAX_DOUBLE metrics, missing values, ties on start_time, LIKE wildcards in
 * values, a deleted run, a run whose mlflow.runName tag was deleted, and dataset inputs with and without a context.
 */

export interface FixtureRun {
  name: string;
  uuid: string;
  experimentId: number;
  start: number;
  end?: number;
  status?: string;
  user?: string;
  deleted?: true;
  /** Set false for a run whose mlflow.runName tag was deleted (the name column keeps the name). */
  nameTag?: false;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  /** [dataset index in DATASETS, context tag or undefined] */
  inputs?: [number, string | undefined][];
}

export const DATASETS = [
  { name: "train_ds", digest: "d1" },
  { name: "Eval_ds", digest: "d2" },
] as const;

const u = (prefix: string) => prefix.padEnd(32, "0");

export const RUNS: FixtureRun[] = [
  {
    name: "r1",
    uuid: u("c1"),
    experimentId: 1,
    start: 1000,
    user: "alice",
    metrics: { m: 1, loss: 0.5 },
    params: { p: "a" },
    tags: { t: "x" },
    inputs: [[0, "training"]],
  },
  {
    name: "r2",
    uuid: u("a2"),
    experimentId: 1,
    start: 1001,
    user: "Bob",
    metrics: { m: 2 },
    inputs: [
      [1, "eval"],
      [0, "training"],
    ],
  },
  {
    name: "r3",
    uuid: u("f3"),
    experimentId: 1,
    start: 1002,
    end: 5000,
    status: "FINISHED",
    metrics: { m: Number.NaN },
    params: { p: "B" },
  },
  { name: "r4", uuid: u("b4"), experimentId: 1, start: 1000, deleted: true, params: { q: "1" }, tags: { t: "X" } },
  {
    name: "r5",
    uuid: u("d5"),
    experimentId: 1,
    start: 1001,
    metrics: { m: Number.POSITIVE_INFINITY },
    params: { p: "ab" },
    inputs: [[1, undefined]],
  },
  {
    name: "Run-Six",
    uuid: u("e6"),
    experimentId: 1,
    start: 1002,
    end: 4000,
    status: "FINISHED",
    metrics: { m: Number.NEGATIVE_INFINITY },
  },
  {
    name: "r7",
    uuid: u("17"),
    experimentId: 1,
    start: 1000,
    metrics: { m: 2 },
    params: { p: "a_b" },
    tags: { t: "y%" },
  },
  { name: "r8", uuid: u("28"), experimentId: 1, start: 1001, nameTag: false, metrics: { m: -5 } },
  {
    name: "r9",
    uuid: u("39"),
    experimentId: 1,
    start: 1002,
    status: "FAILED",
    metrics: { m: 1.7976931348623157e308 },
    params: { p: "a%b" },
  },
  {
    name: "r10",
    uuid: u("4a"),
    experimentId: 1,
    start: 1003,
    metrics: { m: 0, loss: Number.NaN },
    params: { p: "a*b" },
    tags: { t: "x" },
  },
  { name: "r11", uuid: u("5b"), experimentId: 1, start: 999, metrics: { m: -0.5 }, params: { p: "A" } },
  {
    name: "r12",
    uuid: u("6c"),
    experimentId: 2,
    start: 1000,
    metrics: { m: 3 },
    params: { p: "[x]" },
    tags: { t: "x" },
  },
];

export interface FixtureExperiment {
  id: number;
  name: string;
  created: number;
  updated: number;
  deleted?: true;
  tags?: Record<string, string>;
}

export const EXPERIMENTS: FixtureExperiment[] = [
  { id: 0, name: "Default", created: 100, updated: 100 },
  { id: 1, name: "beta", created: 300, updated: 900, tags: { team: "b" } },
  { id: 2, name: "Alpha", created: 300, updated: 500, tags: { team: "A", "mlflow.note": "n" } },
  { id: 3, name: "gamma", created: 400, updated: 400, deleted: true },
  { id: 4, name: "a_b%", created: 200, updated: 800, tags: { team: "c" } },
  { id: 5, name: "delta", created: 500, updated: 500 },
];
