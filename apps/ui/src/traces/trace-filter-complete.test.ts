import { describe, expect, it } from "vitest";
import { completeTraceFilter } from "./trace-filter-complete.js";
import type { TraceKeys } from "./trace-info.js";

const keys: TraceKeys = {
  tags: ["env", "team name"],
  metadata: ["mlflow.sourceRun", "mlflow.user"],
  feedback: ["correct"],
  expectation: ["expected_answer"],
  names: ["answer", "broken"],
};
const labels = (text: string, cursor = text.length) =>
  completeTraceFilter(text, cursor, keys).items.map((i) => i.label);

describe("trace filter autocomplete", () => {
  it("offers the entity prefixes of the trace grammar", () => {
    expect(labels("")).toEqual(["trace.", "tags.", "metadata.", "span.", "feedback.", "expectation."]);
    expect(labels("fe")).toEqual(["feedback."]);
  });

  it("offers trace attributes, span fields and the keys seen, quoted when needed", () => {
    // Keys starting with what is typed come first, then those containing it.
    expect(labels("trace.st")[0]).toBe("trace.status");
    expect(labels("trace.sta")).toEqual(["trace.status", "trace.timestamp_ms"]);
    expect(labels("trace.")).toContain("trace.timestamp_ms");
    expect(labels("trace.")).toContain("trace.run_id");
    expect(labels("span.")).toEqual(["span.name", "span.type", "span.status", "span.content", "span.attributes."]);
    expect(labels("tags.")).toEqual(["tags.env", "tags.`team name`"]);
    expect(labels("metadata.mlflow.s")).toEqual(["metadata.`mlflow.sourceRun`"]);
    expect(labels("feedback.")).toEqual(["feedback.correct"]);
    // A bare word finds keys of every kind.
    expect(labels("expect")).toEqual(["expectation.", "expectation.expected_answer"]);
  });

  it("offers the comparators each kind of key accepts", () => {
    expect(labels("trace.timestamp_ms ")).toEqual(["=", "!=", ">", ">=", "<", "<="]);
    expect(labels("trace.status ")).toContain("IN");
    expect(labels("tags.env ")).toContain("IS NULL");
    expect(labels("span.content ")).toEqual(["LIKE", "ILIKE"]);
  });

  it("offers values for statuses, span types and trace names, then `and`", () => {
    expect(labels("trace.status = ")).toEqual(["'OK'", "'ERROR'", "'IN_PROGRESS'"]);
    expect(labels("trace.status = 'E")).toEqual(["'ERROR'"]);
    expect(labels("span.type = 'CH")).toEqual(["'CHAT_MODEL'", "'CHAIN'"]);
    expect(labels("trace.name = ")).toEqual(["'answer'", "'broken'"]);
    expect(labels("trace.status = 'OK' ")).toEqual(["and"]);
    expect(labels("trace.status = 'OK' and ta")).toEqual(["tags."]);
  });
});
