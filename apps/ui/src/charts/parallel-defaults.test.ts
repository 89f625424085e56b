import { describe, expect, it } from "vitest";
import type { Column } from "./columns.js";
import { defaultParallelColumns } from "./parallel-defaults.js";

const col = (kind: "param" | "metric", key: string, values: (string | number | undefined)[]): Column => ({
  id: `${kind === "param" ? "p" : "m"}:${key}`,
  kind,
  key,
  values,
});

describe("defaultParallelColumns", () => {
  const runs5 = (v: number) => [v, v + 1, v + 2, v + 3, v + 4];
  const all = [
    col("param", "batch_size", ["32", "32", "32", "32", "32"]),
    col("param", "lr", ["0.1", "0.01", "0.001", "0.1", "0.01"]),
    col("param", "n_estimators", ["10", "50", "100", "10", "50"]),
    col("metric", "system/disk_usage_megabytes", runs5(100)),
    col("metric", "system/cpu_utilization_percentage", runs5(10)),
    col("metric", "train/loss", runs5(1)),
    col("metric", "accuracy", runs5(0.5)),
    col("metric", "f1", runs5(0.4)),
    col("metric", "epochs_run", [5, 5, 5, 5, 5]),
  ];

  it("starts with the params that vary, then result metrics, never system metrics", () => {
    expect(defaultParallelColumns(all).map((c) => c.key)).toEqual([
      "lr",
      "n_estimators",
      "accuracy",
      "f1",
      "train/loss",
      "epochs_run",
    ]);
  });

  it("keeps room for two metrics when many params vary", () => {
    const many = [...Array.from({ length: 12 }, (_, i) => col("param", `p${i}`, ["a", "b"])), ...all.slice(3)];
    const keys = defaultParallelColumns(many).map((c) => c.key);
    expect(keys).toHaveLength(8);
    expect(keys.slice(6)).toEqual(["accuracy", "f1"]);
  });

  it("falls back to what there is when fewer than two columns qualify", () => {
    const same = [col("param", "lr", ["1", "1"]), col("metric", "system/cpu", [1, 2])];
    expect(defaultParallelColumns(same).map((c) => c.key)).toEqual(["lr", "system/cpu"]);
  });
});
