import { describe, expect, it } from "vitest";
import { traceSearchTiers } from "./trace-search-tiers.js";

/**
 * Filters and sorts with the tiers the reference's `_trace_search_selects_on_tiers` (MLflow 3.17.2) answers for them,
 * as it printed them: a parse it refuses reaches every tier.
 */
const CASES: [filters: string[], orderBy: string[], tiers: string[]][] = [
  [[""], [], []],
  [["status = 'OK'"], [], []],
  [["feedback.correctness = 'yes'"], [], ["assessment"]],
  [["expectation.answer = 'x'"], [], ["assessment"]],
  [["feedback.score > 0.5"], [], ["assessment"]],
  [["run_id = 'abc'"], [], ["run"]],
  [["RUN_ID = 'abc'"], [], ["assessment", "logged_model", "run"]],
  [["attributes.run_id = 'abc'"], [], ["run"]],
  [["tag.run_id = 'abc'"], [], ["run"]],
  [["metadata.`mlflow.sourceRun` = 'abc'"], [], ["run"]],
  [["request_metadata.`mlflow.modelId` = 'm-1'"], [], ["logged_model"]],
  [["metadata.\"mlflow.modelId\" = 'm-1'"], [], ["logged_model"]],
  [["metadata.mlflow.modelId = 'm-1'"], [], ["logged_model"]],
  [["feedback.name = 'x'"], [], []],
  [["feedback.run_id = 'x'"], [], ["run"]],
  [["tags.foo = 'x' AND feedback.q = 'y'"], [], ["assessment"]],
  [["tags.foo = 'x' and metadata.`mlflow.sourceRun` = 'y'"], [], ["run"]],
  [["tags.foo = 'x' OR feedback.q = 'y'"], [], ["assessment", "logged_model", "run"]],
  [["foo = 'x'"], [], ["assessment", "logged_model", "run"]],
  [["bogus.foo = 'x'"], [], ["assessment", "logged_model", "run"]],
  [["name IN ('a', 'b')"], [], []],
  [["run_id IN ('a', 'b')"], [], ["run"]],
  [["span.name = 'x'"], [], []],
  [["span.run_id = 'x'"], [], ["assessment", "logged_model", "run"]],
  [["text LIKE '%x%'"], [], ["assessment", "logged_model", "run"]],
  [["tags.`a AND b` = 'x AND feedback.q = 1'"], [], []],
  [["metadata.`mlflow.sourceRun` IS NULL"], [], ["run"]],
  [["timestamp_ms > 10"], [], []],
  [[], ["run_id DESC"], ["run"]],
  [[], ["timestamp_ms DESC"], []],
  [[], ["metadata.`mlflow.modelId` ASC"], ["logged_model"]],
  [[], ["feedback.x"], []],
  [[], ["bogus"], ["assessment", "logged_model", "run"]],
  [[], ["run_id DESC extra"], ["assessment", "logged_model", "run"]],
  [[], ["run_id sideways"], ["assessment", "logged_model", "run"]],
  [["status = 'OK'", "feedback.x = 'y'"], [], ["assessment"]],
  [["status = 'OK'"], ["name"], []],
  [["trace.status = 'OK'"], [], []],
  [["expectation.`my key` = 'v'"], [], ["assessment"]],
  [["tags.'quoted' = 'v'"], [], []],
  [["status = 'it''s'"], [], []],
  [["feedback.x IN ('a')"], [], ["assessment", "logged_model", "run"]],
  [["status = OK"], [], ["assessment", "logged_model", "run"]],
  [["(status = 'OK')"], [], ["assessment", "logged_model", "run"]],
  [["span.attributes.foo = 'x'"], [], []],
  [["span.content LIKE '%x%'"], [], []],
  [["trace.run_id = 'x'"], [], ["run"]],
  [["feedback.timestamp = 'x'"], [], ["assessment"]],
  [["feedback.text = 'x'"], [], []],
  [["expectation.prompt = 'x'"], [], []],
  [[], ["`metadata`.`mlflow.sourceRun`"], ["run"]],
  [[], ["metadata.`mlflow.sourceRun` desc"], ["run"]],
  [["status = 'OK' AND"], [], []],
  [["feedback.x LIKE 'a%'"], [], ["assessment"]],
  [["feedback.x IN ('a')"], [], ["assessment", "logged_model", "run"]],
  [["feedback.x = 1"], [], ["assessment", "logged_model", "run"]],
  [["feedback.x > 'a'"], [], ["assessment", "logged_model", "run"]],
  [["feedback.`x y` >= 0.5 AND run_id = 'r'"], [], ["assessment", "run"]],
  [["metadata.`mlflow.modelId` LIKE 'm-%'"], [], ["logged_model"]],
  [["timestamp > 1 AND expectation.e IS NULL"], [], ["assessment"]],
  [["issue.id = 'x'"], [], []],
  [["text LIKE 'x'"], [], ["assessment", "logged_model", "run"]],
  [["span.name = 'x' AND feedback.q = 'y'"], [], ["assessment"]],
  [[], ["timestamp DESC"], []],
  [[], ["end_time_ms"], []],
  [[], ["metadata.`mlflow.trace.tokenUsage`"], []],
  [[], ["run_id", "run_id"], ["run"]],
  [[], ["name DESC", "metadata.`mlflow.modelId`"], ["logged_model"]],
];

describe("the tiers a trace search selects on", () => {
  it.each(CASES)("%j order by %j", (filters, orderBy, tiers) => {
    expect(traceSearchTiers(filters, orderBy).sort()).toEqual([...tiers].sort());
  });

  it("refuses an assessment comparison without a name, or with a lower-case comparator, as the reference does", () => {
    expect(() => traceSearchTiers(["feedback. = 'a'"])).toThrow("Assessment field name cannot be empty");
    expect(() => traceSearchTiers(["feedback.x like 'a%'"])).toThrow("assessment.x comparator 'like' not one of");
  });
});
