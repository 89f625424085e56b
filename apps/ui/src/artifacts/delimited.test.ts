import { describe, expect, it } from "vitest";
import { parseDelimited, parseRecords, separatorFor } from "./delimited.js";

describe("parseRecords", () => {
  it("splits plain CSV with LF or CRLF", () => {
    expect(parseRecords("a,b\n1,2\n", ",")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseRecords("a,b\r\n1,2", ",")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads quoted fields with separators, newlines and doubled quotes", () => {
    expect(parseRecords('x,y\n"a,b","say ""hi""\nthere"\n', ",")).toEqual([
      ["x", "y"],
      ["a,b", 'say "hi"\nthere'],
    ]);
  });

  it("keeps empty fields and skips blank lines", () => {
    expect(parseRecords("a,,c\n\n,\n", ",")).toEqual([
      ["a", "", "c"],
      ["", ""],
    ]);
  });

  it("drops a BOM", () => {
    expect(parseRecords("\ufeffa,b\n", ",")).toEqual([["a", "b"]]);
  });

  it("drops the cut last record of a partial read", () => {
    expect(parseRecords("a,b\n1,2\n3,", ",", true)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseRecords('a,b\n1,"multi\n', ",", true)).toEqual([["a", "b"]]);
    expect(parseRecords("a,b\n1,2\n", ",", true)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("splits on tabs", () => {
    expect(parseRecords("a\tb,c\n1\t2\n", "\t")).toEqual([
      ["a", "b,c"],
      ["1", "2"],
    ]);
  });
});

describe("parseDelimited", () => {
  it("returns a header and the first rows, and says when there are more", () => {
    const text = `k,v\n${Array.from({ length: 10 }, (_, i) => `${i},${i * i}`).join("\n")}\n`;
    const t = parseDelimited(text, ",", 3);
    expect(t.header).toEqual(["k", "v"]);
    expect(t.rows).toEqual([
      ["0", "0"],
      ["1", "1"],
      ["2", "4"],
    ]);
    expect(t.more).toBe(true);
    expect(parseDelimited(text, ",", 10).more).toBe(false);
  });

  it("pads ragged rows to a rectangle", () => {
    const t = parseDelimited("a,b\n1\n1,2,3\n", ",");
    expect(t.header).toEqual(["a", "b", ""]);
    expect(t.rows).toEqual([
      ["1", "", ""],
      ["1", "2", "3"],
    ]);
  });

  it("marks a partial read as having more", () => {
    expect(parseDelimited("a\n1\n2", ",", 100, true)).toEqual({ header: ["a"], rows: [["1"]], more: true });
  });

  it("handles an empty file", () => {
    expect(parseDelimited("", ",")).toEqual({ header: [], rows: [], more: false });
  });
});

describe("separatorFor", () => {
  it("is a tab for tsv", () => {
    expect(separatorFor("x/data.TSV")).toBe("\t");
    expect(separatorFor("x/data.csv")).toBe(",");
  });
});
