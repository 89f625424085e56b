import { describe, expect, it } from "vitest";
import { datasetView } from "./dataset-view.js";
import { latestScorers, summarizeScorer } from "./scorer-summary.js";

/** A judge as MLflow 3.17.2's `make_judge(...).register()` serializes it. */
const JUDGE = (instructions: string) =>
  JSON.stringify({
    name: "politeness",
    aggregations: [],
    description: null,
    is_session_level_scorer: false,
    mlflow_version: "3.17.2",
    serialization_version: 1,
    builtin_scorer_class: null,
    builtin_scorer_pydantic_data: null,
    call_source: null,
    call_signature: null,
    original_func_name: null,
    instructions_judge_pydantic_data: {
      instructions,
      model: "openai:/gpt-4o-mini",
      feedback_value_type: { title: "Result", type: "string" },
    },
  });

/** A built-in scorer as `Safety().register()` serializes it. */
const SAFETY = JSON.stringify({
  name: "safety",
  aggregations: null,
  description: "No harmful content.",
  mlflow_version: "3.17.2",
  serialization_version: 1,
  builtin_scorer_class: "Safety",
  builtin_scorer_pydantic_data: { name: "safety", required_columns: ["inputs", "outputs"], instructions: "Be safe." },
  instructions_judge_pydantic_data: null,
});

describe("reading GenAI wire values", () => {
  it("summarizes a judge, a built-in scorer, a custom scorer and junk", () => {
    expect(summarizeScorer(JUDGE("Is {{ outputs }} polite?"))).toMatchObject({
      kind: "judge",
      instructions: "Is {{ outputs }} polite?",
      model: "openai:/gpt-4o-mini",
      feedbackType: "string",
      aggregations: [],
    });
    expect(summarizeScorer(SAFETY)).toMatchObject({
      kind: "builtin",
      className: "Safety",
      instructions: "Be safe.",
      description: "No harmful content.",
    });
    const custom = summarizeScorer(
      JSON.stringify({
        call_source: "return len(outputs) < 9",
        original_func_name: "is_short",
        aggregations: ["mean"],
      }),
    );
    expect(custom).toMatchObject({ kind: "decorator", className: "is_short", aggregations: ["mean"] });
    expect(summarizeScorer("not json")).toMatchObject({ kind: "unknown", raw: {} });
  });

  it("reads a dataset's tags and record count, and tolerates a null profile", () => {
    const v = datasetView({
      dataset_id: "d-1",
      name: "qa",
      tags: '{"team": "ml", "n": 3}',
      profile: '{"num_records": 12}',
      schema: '{"inputs": {"q": "string"}}',
    });
    expect(v.tags).toEqual({ team: "ml", n: "3" });
    expect(v.recordCount).toBe(12);
    expect(v.schema).toEqual({ inputs: { q: "string" } });
    expect(datasetView({ dataset_id: "d-2", name: "empty", profile: "null" }).recordCount).toBeUndefined();
  });

  it("keeps the latest version of each scorer, by name", () => {
    const s = (name: string, v: number) => ({
      experiment_id: 1,
      scorer_name: name,
      scorer_version: v,
      serialized_scorer: "{}",
      creation_time: v,
    });
    expect(
      latestScorers([s("b", 1), s("a", 2), s("b", 3), s("a", 1)]).map((x) => [x.scorer_name, x.scorer_version]),
    ).toEqual([
      ["a", 2],
      ["b", 3],
    ]);
  });
});
