import { describe, expect, it } from "vitest";
import { type DiffRow, diffLines, diffSequences, diffStats, diffWords, splitLines, tokenize } from "./text-diff.js";

/** A row as `-old | +new` text, with changed words in brackets, for readable expectations. */
const show = (rows: DiffRow[]) =>
  rows.map((r) => {
    const side = (s: DiffRow["left"]) =>
      s?.parts.map((p) => (p.op === "equal" ? p.text : `[${p.text}]`)).join("") ?? "·";
    return `${r.kind}: ${side(r.left)} | ${side(r.right)}`;
  });

describe("diffSequences", () => {
  it("keeps equal items and finds the fewest edits", () => {
    expect(diffSequences([..."abcd"], [..."acbd"])).toEqual([
      { op: "equal", items: ["a"] },
      { op: "delete", items: ["b"] },
      { op: "equal", items: ["c"] },
      { op: "insert", items: ["b"] },
      { op: "equal", items: ["d"] },
    ]);
    expect(diffSequences([], ["x"])).toEqual([{ op: "insert", items: ["x"] }]);
    expect(diffSequences(["x"], [])).toEqual([{ op: "delete", items: ["x"] }]);
    expect(diffSequences(["x"], ["x"])).toEqual([{ op: "equal", items: ["x"] }]);
  });

  it("puts the deletions of a changed stretch before its insertions", () => {
    expect(diffSequences(["a", "b", "z"], ["a", "c", "z"])).toEqual([
      { op: "equal", items: ["a"] },
      { op: "delete", items: ["b"] },
      { op: "insert", items: ["c"] },
      { op: "equal", items: ["z"] },
    ]);
  });

  it("replaces the middle whole when the table would be too big, still exact at both ends", () => {
    const a = ["head", ...Array.from({ length: 2500 }, (_, i) => `a${i}`), "tail"];
    const b = ["head", ...Array.from({ length: 2500 }, (_, i) => `b${i}`), "tail"];
    const runs = diffSequences(a, b);
    expect(runs.map((r) => [r.op, r.items.length])).toEqual([
      ["equal", 1],
      ["delete", 2500],
      ["insert", 2500],
      ["equal", 1],
    ]);
  });
});

describe("diffWords", () => {
  it("marks the changed words only", () => {
    expect(tokenize("Be brief, please.")).toEqual(["Be", " ", "brief", ",", " ", "please", "."]);
    const { left, right } = diffWords("Be brief.", "Be brief and cite the context.");
    expect(left).toEqual([{ op: "equal", text: "Be brief." }]);
    expect(right).toEqual([
      { op: "equal", text: "Be brief" },
      { op: "insert", text: " and cite the context" },
      { op: "equal", text: "." },
    ]);
  });
});

describe("diffLines", () => {
  it("pairs changed lines, diffs them by word, and numbers each side", () => {
    const a = "Answer the question below.\nQuestion: {{question}}\nBe brief.";
    const b = "You are careful.\nAnswer the question below using the context.\nQuestion: {{question}}\nBe brief.";
    const rows = diffLines(a, b);
    expect(show(rows)).toEqual([
      "insert: · | [You are careful.]",
      "change: Answer the question below. | Answer the question below[ using the context].",
      "equal: Question: {{question}} | Question: {{question}}",
      "equal: Be brief. | Be brief.",
    ]);
    expect(rows.map((r) => [r.left?.n, r.right?.n])).toEqual([
      [undefined, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(diffStats(rows)).toEqual({ added: 2, removed: 1 });
  });

  it("shows a word edit inside a line", () => {
    expect(show(diffLines("Reply in English.", "Reply in {{ language }}."))).toEqual([
      "change: Reply in [English]. | Reply in [{{ language }}].",
    ]);
  });

  it("handles empty texts and trailing newlines", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a\n")).toEqual(["a"]);
    expect(splitLines("a\r\nb")).toEqual(["a", "b"]);
    expect(diffLines("", "")).toEqual([]);
    expect(show(diffLines("", "x"))).toEqual(["insert: · | [x]"]);
    expect(show(diffLines("x\ny", "x"))).toEqual(["equal: x | x", "delete: [y] | ·"]);
    expect(diffStats(diffLines("same", "same"))).toEqual({ added: 0, removed: 0 });
  });
});
