import { describe, expect, it } from "vitest";
import { applyCompletion, complete, tokenize } from "./filter-complete.js";

const keys = { metrics: ["loss", "val/loss", "acc"], params: ["lr", "batch size"], tags: ["team"] };
const at = (text: string) => complete(text, text.length, keys);
const labels = (text: string) => at(text).items.map((i) => i.label);

describe("tokenize", () => {
  it("keeps backticked keys with spaces in one identifier", () => {
    expect(tokenize("params.`batch size` >= '3' and x").map((t) => t.text)).toEqual([
      "params.`batch size`",
      ">=",
      "'3'",
      "and",
      "x",
    ]);
  });
});

describe("complete", () => {
  it("offers entity prefixes at the start", () => {
    expect(labels("")).toEqual(["metrics.", "params.", "tags.", "attributes.", "datasets."]);
    expect(labels("pa")).toEqual(["params."]);
  });

  it("offers keys after a prefix, quoting them when needed", () => {
    expect(labels("metrics.")).toEqual(["metrics.loss", "metrics.`val/loss`", "metrics.acc"]);
    expect(labels("metrics.lo")).toEqual(["metrics.loss", "metrics.`val/loss`"]);
    expect(labels("param.ba")).toEqual(["params.`batch size`"]);
    expect(labels("params.`batch s")).toEqual(["params.`batch size`"]);
    expect(labels("attributes.st")).toEqual(["attributes.status", "attributes.start_time"]);
    expect(labels("bogus.x")).toEqual([]);
  });

  it("finds keys of every kind from a bare word", () => {
    expect(labels("loss")).toEqual(["metrics.loss", "metrics.`val/loss`"]);
  });

  it("offers comparators, values and `and` in turn", () => {
    expect(labels("metrics.loss ")).toContain("<=");
    expect(labels("metrics.loss <")).toEqual(["<", "<="]);
    expect(labels("attributes.status = 'RU")).toEqual(["'RUNNING'"]);
    expect(labels("metrics.loss < 0.5 ")).toEqual(["and"]);
    expect(labels("metrics.loss < 0.5 and ")).toContain("params.");
    expect(labels("tags.team IN ('a', 'b') ")).toEqual(["and"]);
    expect(labels("tags.team IS NOT NULL ")).toEqual(["and"]);
  });

  it("offers nothing inside a closed string", () => {
    const text = "params.lr = 'abc'";
    expect(complete(text, text.length - 2, keys).items).toEqual([]);
  });

  it("replaces the word under the cursor", () => {
    const text = "metrics.lo < 1";
    const r = complete(text, 10, keys);
    const first = r.items[0];
    expect(first?.label).toBe("metrics.loss");
    if (first) expect(applyCompletion(text, r, first)).toEqual({ text: "metrics.loss  < 1", cursor: 13 });
  });
});
