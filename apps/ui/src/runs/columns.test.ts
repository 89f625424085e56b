import { describe, expect, it } from "vitest";
import { buildColumns, cellText, csvTable, defaultColumns, looksNumeric, type MetricSummary } from "./columns.js";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun } from "./run-fields.js";

const row = indexRun(
  fakeRun("r1", {
    name: "run, one",
    params: { lr: "0.1" },
    metrics: { loss: { value: 0.123456789, step: 7, timestamp: 1 } },
    tags: { "mlflow.source.name": "/src/train.py", team: "a" },
    start: Date.UTC(2026, 0, 2, 3, 4, 5),
    end: Date.UTC(2026, 0, 2, 3, 5, 5),
  }),
);
const none = () => undefined;
const summaries = (id: string, key: string): MetricSummary | undefined =>
  id === "r1" && key === "loss" ? { min: 0.1, max: 0.9, last: 0.123456789 } : undefined;

describe("columns", () => {
  it("puts the fixed columns first and groups the chosen ones as metrics, params, tags", () => {
    const cols = buildColumns(
      [
        { kind: "tags", key: "team" },
        { kind: "metrics", key: "loss", mode: "max" },
        { kind: "params", key: "lr" },
        { kind: "metrics", key: "acc" },
      ],
      "min",
    );
    expect(cols.map((c) => c.id)).toEqual([
      "status",
      "created",
      "duration",
      "user",
      "source",
      "dataset",
      "models",
      "metrics.loss",
      "metrics.acc",
      "params.lr",
      "tags.team",
    ]);
    expect(cols.find((c) => c.id === "metrics.loss")).toMatchObject({ mode: "max", ownMode: true });
    expect(cols.find((c) => c.id === "metrics.acc")).toMatchObject({ mode: "min", ownMode: false });
    expect(cols.find((c) => c.id === "duration")?.sortKey).toBeUndefined();
  });

  it("defaults to the metrics (without system ones) and params seen", () => {
    expect(defaultColumns({ metrics: ["loss", "system/cpu"], params: ["lr"], tags: ["t"] })).toEqual([
      { kind: "metrics", key: "loss" },
      { kind: "params", key: "lr" },
    ]);
  });

  it("shows last, min or max of a metric, with the full value as tooltip", () => {
    const [last, min] = buildColumns(
      [
        { kind: "metrics", key: "loss" },
        { kind: "metrics", key: "loss", mode: "min" },
      ],
      "last",
    ).slice(7);
    if (!last || !min) throw new Error("columns missing");
    expect(cellText(last, row, none)).toEqual({ text: "0.123457", title: "0.123456789 (step 7)" });
    expect(cellText(min, row, summaries)).toEqual({ text: "0.1", title: "0.1 (min)" });
    expect(cellText(min, row, none).text).toBe("…");
    const other = indexRun(fakeRun("r2"));
    expect(cellText(min, other, none).text).toBe("");
  });

  it("shortens sources and keeps the whole as tooltip", () => {
    const source = buildColumns([], "last").find((c) => c.id === "source");
    if (!source) throw new Error("no source column");
    expect(cellText(source, row, none)).toEqual({ text: "train.py", title: "/src/train.py" });
  });

  it("writes CSV rows with full values", () => {
    const cols = buildColumns(
      [
        { kind: "params", key: "lr" },
        { kind: "metrics", key: "loss", mode: "max" },
      ],
      "last",
    );
    const { header, body } = csvTable([row], cols, summaries);
    expect(header).toEqual([
      "Run name",
      "Run ID",
      "Status",
      "Created",
      "Duration (s)",
      "User",
      "Source",
      "Dataset",
      "Models",
      "metrics.loss (max)",
      "params.lr",
    ]);
    expect(body).toEqual([
      ["run, one", "r1", "FINISHED", "2026-01-02T03:04:05.000Z", "60", "", "/src/train.py", "", "", "0.9", "0.1"],
    ]);
  });

  it("recognises numbers", () => {
    expect(["1", "-2.5", "1e-5", ".5", "NaN", "-Infinity"].every(looksNumeric)).toBe(true);
    expect(["", "abc", "1.2.3", "0x10", "12px"].some(looksNumeric)).toBe(false);
  });
});
