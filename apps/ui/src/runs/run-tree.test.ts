import { describe, expect, it } from "vitest";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun } from "./run-fields.js";
import { buildRows } from "./run-tree.js";

const rows = (...specs: [string, string?][]) => specs.map(([id, parent]) => indexRun(fakeRun(id, { parent })));
const ids = (r: ReturnType<typeof buildRows>) => r.map((d) => `${"-".repeat(d.depth)}${d.row.id}`);

describe("buildRows", () => {
  const data = rows(["c1", "p"], ["p"], ["c2", "p"], ["g1", "c1"], ["q"], ["orphan", "missing"]);

  it("hides children under collapsed parents and counts them", () => {
    const out = buildRows(data);
    expect(ids(out)).toEqual(["p", "q", "orphan"]);
    expect(out[0]?.children).toBe(2);
    expect(out[0]?.expanded).toBe(false);
  });

  it("shows expanded children in server order, at any depth", () => {
    expect(ids(buildRows(data, { expanded: new Set(["p"]) }))).toEqual(["p", "-c1", "-c2", "q", "orphan"]);
    expect(ids(buildRows(data, { expanded: new Set(["p", "c1"]) }))).toEqual([
      "p",
      "-c1",
      "--g1",
      "-c2",
      "q",
      "orphan",
    ]);
  });

  it("puts pinned runs first in pinning order, even children", () => {
    const out = buildRows(data, { pinned: ["q", "c2", "unknown"], expanded: new Set(["p"]) });
    expect(ids(out)).toEqual(["q", "c2", "p", "-c1", "orphan"]);
    expect(out.filter((d) => d.pinned).map((d) => d.row.id)).toEqual(["q", "c2"]);
  });

  it("does not lose runs in a parent cycle", () => {
    const cyc = rows(["a", "b"], ["b", "a"]);
    expect(ids(buildRows(cyc))).toEqual(["a"]);
    expect(ids(buildRows(cyc, { expanded: new Set(["a"]) }))).toEqual(["a", "-b"]);
  });
});
