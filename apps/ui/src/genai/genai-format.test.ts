import { describe, expect, it } from "vitest";
import {
  fieldEntries,
  labelInputText,
  pageRange,
  readJsonObject,
  removedKeys,
  userTags,
  valueText,
} from "./genai-format.js";

describe("GenAI value formatting", () => {
  it("shows strings as they are and other values as compact JSON", () => {
    expect(valueText("Paris")).toBe("Paris");
    expect(valueText(["a", 1])).toBe('["a",1]');
    expect(valueText(null)).toBe("null");
    expect(fieldEntries({ q: "What?", n: 2 })).toEqual([
      ["q", "What?"],
      ["n", "2"],
    ]);
    expect(fieldEntries("plain")).toEqual([["", "plain"]]);
    expect(fieldEntries(undefined)).toEqual([]);
    expect(userTags({ "mlflow.user": "root", split: "test" })).toEqual({ split: "test" });
  });

  it("words each kind of label schema input", () => {
    expect(labelInputText({ pass_fail: { positive_label: "Yes", negative_label: "No" } })).toBe("Pass/fail (Yes / No)");
    expect(labelInputText({ categorical: { options: ["calm", "rude"] } })).toBe("One of: calm, rude");
    expect(labelInputText({ categorical: { options: ["a"], multi_select: true } })).toBe("Any of: a");
    expect(labelInputText({ numeric: { min_value: 0, max_value: 10 } })).toBe("Number 0 – 10");
    expect(labelInputText({ text: { max_length: 200 } })).toBe("Text (up to 200 characters)");
    expect(labelInputText({})).toBe("—");
  });

  it("checks edited JSON before it is sent", () => {
    expect(readJsonObject('{"answer": "4"}', "Expectations")).toEqual({ ok: true, value: { answer: "4" } });
    expect(readJsonObject("  ", "Tags")).toEqual({ ok: true, value: {} });
    expect(readJsonObject("[1]", "Expectations")).toMatchObject({
      ok: false,
      error: expect.stringContaining("object"),
    });
    expect(readJsonObject("{", "Expectations")).toMatchObject({ ok: false, error: expect.stringContaining("JSON") });
    expect(readJsonObject('{"n": 1}', "Tags", true)).toEqual({
      ok: false,
      error: 'Tags: the value of "n" must be a string.',
    });
    expect(removedKeys({ a: 1, b: 2 }, { a: 3 })).toEqual(["b"]);
  });

  it("says which rows a page shows", () => {
    expect(pageRange(0, 25, 25, 30)).toBe("1–25 of 30");
    expect(pageRange(1, 25, 5, 30)).toBe("26–30 of 30");
    expect(pageRange(0, 25, 3, undefined)).toBe("1–3");
    expect(pageRange(0, 25, 0, undefined)).toBe("0");
  });
});
