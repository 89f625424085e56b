import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countLines, parseModelMetricLine, parsePythonFloat, parseRunMetricLine, readLines } from "./metric-lines.js";

const dir = mkdtempSync(join(tmpdir(), "metric-lines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(text: string | Buffer, chunkSize: number): Promise<string[]> {
  const path = join(dir, `f-${Math.random()}`);
  writeFileSync(path, text);
  const out: string[] = [];
  for await (const line of readLines(path, chunkSize)) out.push(line);
  return out;
}

describe("readLines", () => {
  it("splits lines across chunk boundaries, with or without a last newline", async () => {
    expect(await lines("a b\ncc dd\ne\n", 3)).toEqual(["a b", "cc dd", "e"]);
    expect(await lines("a b\ncc dd\ne", 2)).toEqual(["a b", "cc dd", "e"]);
    expect(await lines("", 4)).toEqual([]);
  });

  it("keeps a UTF-8 character cut by a chunk boundary whole", async () => {
    expect(await lines("1 2 3 ds é\n", 9)).toEqual(["1 2 3 ds é"]);
    expect(await lines(Buffer.from("€€€\n€", "utf8"), 1)).toEqual(["€€€", "€"]);
  });
});

describe("countLines", () => {
  it("counts lines across chunks, a last line without newline included", async () => {
    const path = join(dir, "count");
    writeFileSync(path, "a\nb\nc");
    expect(await countLines(path, 2)).toBe(3);
    writeFileSync(path, "a\nb\nc\n");
    expect(await countLines(path, 3)).toBe(3);
    writeFileSync(path, "");
    expect(await countLines(path)).toBe(0);
  });
});

describe("parsePythonFloat", () => {
  it("reads what Python's str(float) writes, nan and inf included", () => {
    expect(parsePythonFloat("0.5")).toBe(0.5);
    expect(parsePythonFloat("1e-05")).toBe(1e-5);
    expect(parsePythonFloat("-3")).toBe(-3);
    expect(parsePythonFloat("nan")).toBeNaN();
    expect(parsePythonFloat("inf")).toBe(Infinity);
    expect(parsePythonFloat("-inf")).toBe(-Infinity);
    expect(parsePythonFloat("Infinity")).toBe(Infinity);
    expect(parsePythonFloat("abc")).toBeUndefined();
    expect(parsePythonFloat("")).toBeUndefined();
  });
});

describe("parseRunMetricLine", () => {
  it("reads 2, 3 and 5 fields, as MLflow wrote them over the years", () => {
    expect(parseRunMetricLine("1700000000000 0.5")).toEqual({ timestamp: 1700000000000, value: 0.5, step: 0 });
    expect(parseRunMetricLine("1700000000000 nan 7\n")).toEqual({ timestamp: 1700000000000, value: NaN, step: 7 });
    expect(parseRunMetricLine("1 2.5 3 train abc")).toEqual({
      timestamp: 1,
      value: 2.5,
      step: 3,
      dataset_name: "train",
      dataset_digest: "abc",
    });
  });

  it("refuses a malformed line instead of guessing", () => {
    for (const bad of ["1", "1 2 3 4", "x 1 2", "1 y 2", "1 2 z", "1 2 3 4 5 6"]) {
      expect(parseRunMetricLine(bad)).toBeUndefined();
    }
  });
});

describe("parseModelMetricLine", () => {
  it("reads `timestamp value step run_id [dataset_name dataset_digest]`", () => {
    expect(parseModelMetricLine("5 0.9 1 r1")).toEqual({ timestamp: 5, value: 0.9, step: 1, run_id: "r1" });
    expect(parseModelMetricLine("5 -inf 1 r1 d dg")).toEqual({
      timestamp: 5,
      value: -Infinity,
      step: 1,
      run_id: "r1",
      dataset_name: "d",
      dataset_digest: "dg",
    });
    expect(parseModelMetricLine("5 0.9 1")).toBeUndefined();
  });
});
