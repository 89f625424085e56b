import type { ImportRegisteredModel, ImportRun, MetricPoint } from "@tracklite/server/import";
import { describe, expect, it } from "vitest";
import { arraySource, type SourceData } from "./array-source.test-helpers.js";
import { formatVerifyReport } from "./print-verify-report.js";
import { verifyImport } from "./verify-import.js";

const RUN = "0123456789abcdef0123456789abcdef";

function run(params: [string, string][], artifactUri = "file:///old/mlruns/1/run/artifacts"): ImportRun {
  return {
    run: {
      info: {
        run_id: RUN,
        run_uuid: RUN,
        run_name: "baseline",
        experiment_id: "1",
        status: "FINISHED",
        start_time: 1_700_000_000_000,
        end_time: 1_700_000_005_000,
        artifact_uri: artifactUri,
        lifecycle_stage: "active",
      },
      data: {
        params: params.map(([key, value]) => ({ key, value })),
        tags: [
          { key: "team", value: "vision" },
          { key: "mlflow.runName", value: "baseline" },
        ],
      },
    },
  };
}

function history(n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, s) => ({
    key: "loss",
    value: s === 0 ? Number.NaN : 1 / s,
    timestamp: 1000 + s,
    step: s,
  }));
}

const model: ImportRegisteredModel = {
  model: { name: "m", aliases: [{ alias: "champion", version: "2" }], tags: [{ key: "task", value: "x" }] },
  versions: [
    { name: "m", version: "1", current_stage: "Production", status: "READY" },
    { name: "m", version: "2", current_stage: "None", status: "READY" },
  ],
} as unknown as ImportRegisteredModel;

function data(overrides: Partial<SourceData> = {}): SourceData {
  return {
    experiments: [
      {
        experiment_id: "1",
        name: "alpha",
        lifecycle_stage: "active",
        artifact_location: "file:///old/mlruns/1",
        creation_time: 1,
        last_update_time: 2,
        tags: [{ key: "team", value: "vision" }],
      },
    ],
    runs: {
      "1": [
        run([
          ["lr", "0.01"],
          ["layers", "4"],
        ]),
      ],
    },
    history: { [RUN]: history(7) },
    registeredModels: [model],
    ...overrides,
  };
}

describe("verifyImport", () => {
  it("finds nothing when tracklite holds the same history, whatever the order and artifact locations", async () => {
    const target = data({
      // other experiment id (the source's was taken), other artifact roots, tags and params in another order,
      // the history streamed in another order
      experiments: [
        {
          ...data().experiments[0]!,
          experiment_id: "7",
          artifact_location: "/new/artifacts/7",
          tags: [{ key: "team", value: "vision" }],
        },
      ],
      runs: {
        "7": [
          run(
            [
              ["layers", "4"],
              ["lr", "0.01"],
            ],
            "mlflow-artifacts:/7/run/artifacts",
          ),
        ],
      },
      history: { [RUN]: history(7).reverse() },
    });
    const report = await verifyImport(arraySource(data()), arraySource(target));
    expect(report.total).toBe(0);
    expect(report.checked).toMatchObject({ experiments: 1, runs: 1, "metric histories": 1, "registered models": 2 });
    expect(formatVerifyReport(report, "sqlite:///x.db").at(-1)).toBe(
      "No differences: everything the source holds is in tracklite, equal.",
    );
  });

  it("lists a changed param, a lost metric point, a changed point and a missing alias, bounded", async () => {
    const changed = history(7);
    changed[3] = { ...changed[3]!, value: 42 };
    const target = data({
      runs: {
        "1": [
          run([
            ["lr", "0.02"],
            ["layers", "4"],
          ]),
        ],
      },
      history: { [RUN]: history(6) },
      registeredModels: [{ ...model, model: { ...model.model, aliases: [] } }],
    });
    const report = await verifyImport(arraySource(data()), arraySource(target), { keep: 10 });
    const lines = formatVerifyReport(report, "sqlite:///x.db");
    expect(report.total).toBe(4);
    expect(lines).toContain(
      `  run ${RUN} in experiment 'alpha': data.params.[key=lr].value: source "0.01", tracklite "0.02"`,
    );
    expect(lines).toContain(
      `  history of run ${RUN} in experiment 'alpha': metric 'loss': source "7 points", tracklite "6 points"`,
    );
    expect(lines).toContain(
      `  registered model 'm': aliases.[alias=champion]: source {"alias":"champion","version":"2"}, tracklite (absent)`,
    );
    expect(lines.some((l) => l.startsWith("  counts: metric_points: source 7, tracklite 6"))).toBe(true);

    const sameCount = await verifyImport(arraySource(data()), arraySource(data({ history: { [RUN]: changed } })));
    expect(sameCount.differences).toEqual([
      {
        kind: "metric histories",
        what: `history of run ${RUN} in experiment 'alpha'`,
        path: "metric 'loss'",
        source: "these points",
        target: "other values, steps or timestamps",
      },
    ]);

    const few = await verifyImport(arraySource(data()), arraySource(target), { keep: 1 });
    expect(formatVerifyReport(few, "x").at(-1)).toBe("  … and 3 more");
  });

  it("names model inputs that only one side lists", async () => {
    const withInputs = (params: [string, string][], models: string[]): ImportRun => {
      const r = run(params);
      return { run: { ...r.run, inputs: { model_inputs: models.map((model_id) => ({ model_id })) } } };
    };
    // the REST source reads every run with get-run, so model inputs missing in tracklite are a difference
    const listed = await verifyImport(
      arraySource(
        data({
          runs: {
            "1": [
              withInputs(
                [
                  ["lr", "0.01"],
                  ["layers", "4"],
                ],
                ["m-1"],
              ),
            ],
          },
        }),
      ),
      arraySource(data()),
    );
    expect(listed.differences.map((d) => d.path)).toEqual(["inputs"]);
    // both list them: another model is one
    const other = await verifyImport(
      arraySource(
        data({
          runs: {
            "1": [
              withInputs(
                [
                  ["lr", "0.01"],
                  ["layers", "4"],
                ],
                ["m-1"],
              ),
            ],
          },
        }),
      ),
      arraySource(
        data({
          runs: {
            "1": [
              withInputs(
                [
                  ["lr", "0.01"],
                  ["layers", "4"],
                ],
                ["m-2"],
              ),
            ],
          },
        }),
      ),
    );
    expect(other.differences.map((d) => d.path)).toEqual(["inputs.model_inputs.0.model_id"]);
  });

  it("reports a run or an experiment tracklite lacks", async () => {
    const report = await verifyImport(arraySource(data()), arraySource(data({ runs: {}, history: {} })));
    expect(report.differences.map((d) => `${d.what}|${d.target}`)).toEqual([
      "counts|0",
      "counts|0",
      `run ${RUN} in experiment 'alpha'|missing in tracklite`,
    ]);
    const none = await verifyImport(arraySource(data()), arraySource(data({ experiments: [] })));
    expect(none.differences.map((d) => d.what)).toContain("experiment 'alpha'");
  });
});
