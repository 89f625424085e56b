import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv.js";

describe("csv", () => {
  it("leaves plain fields alone", () => {
    expect(csvField("abc")).toBe("abc");
    expect(csvField("0.125")).toBe("0.125");
    expect(csvField("")).toBe("");
  });

  it("quotes commas, quotes, newlines and edge spaces", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
    expect(csvField(" padded")).toBe('" padded"');
  });

  it("writes a header and rows with CRLF record ends", () => {
    expect(
      toCsv(
        ["name", "loss"],
        [
          ["run, 1", "0.5"],
          ['q"', ""],
        ],
      ),
    ).toBe('name,loss\r\n"run, 1",0.5\r\n"q""",\r\n');
  });
});
