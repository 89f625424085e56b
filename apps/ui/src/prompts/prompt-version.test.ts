import type { ModelVersion } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import {
  defaultComparedVersion,
  promptExperimentIds,
  promptsFilter,
  readPromptVersion,
  splitVariables,
  templateText,
  templateVariables,
} from "./prompt-version.js";

const mv = (tags: Record<string, string>, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  name: "p",
  version: "2",
  creation_timestamp: 1000,
  description: "Ground answers",
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  ...extra,
});

describe("readPromptVersion", () => {
  it("reads a text prompt, its commit message and its own tags", () => {
    const v = readPromptVersion(
      mv({
        "mlflow.prompt.is_prompt": "true",
        "mlflow.prompt.text": "Hi {{ name }}",
        _mlflow_prompt_type: "text",
        author: "ana",
      }),
      ["production"],
    );
    expect(v).toMatchObject({
      version: "2",
      type: "text",
      template: "Hi {{ name }}",
      commitMessage: "Ground answers",
      created: 1000,
      aliases: ["production"],
      tags: [{ key: "author", value: "ana" }],
      modelConfig: undefined,
    });
  });

  it("reads a chat prompt's messages and its model config", () => {
    const messages = [
      { role: "system", content: "You help with {{ product }}." },
      { role: "user", content: "{{ question }}" },
    ];
    const v = readPromptVersion(
      mv({
        "mlflow.prompt.text": JSON.stringify(messages),
        _mlflow_prompt_type: "chat",
        _mlflow_prompt_model_config: '{"model_name":"gpt-4o-mini","temperature":0.2}',
      }),
    );
    expect(v.type).toBe("chat");
    expect(v.template).toEqual(messages);
    expect(v.modelConfig).toEqual({ model_name: "gpt-4o-mini", temperature: 0.2 });
    expect(templateText(v.template)).toBe("[system]\nYou help with {{ product }}.\n\n[user]\n{{ question }}");
  });

  it("falls back to the text when a chat template is not JSON", () => {
    const v = readPromptVersion(mv({ "mlflow.prompt.text": "not json", _mlflow_prompt_type: "chat" }));
    expect(v).toMatchObject({ type: "text", template: "not json" });
  });
});

describe("variables", () => {
  it("finds MLflow's {{ var }} placeholders once each, in order", () => {
    expect(templateVariables("{{ b }} and {{a}} and {{ b }}, not {{ 1x }} nor { a }")).toEqual(["b", "a"]);
    expect(templateVariables([{ role: "user", content: "{{ user.name }} asks {{q}}" }])).toEqual(["user.name", "q"]);
    expect(splitVariables("Hi {{ name }}!")).toEqual([
      { text: "Hi " },
      { text: "{{ name }}", variable: "name" },
      { text: "!" },
    ]);
    expect(splitVariables("")).toEqual([]);
  });
});

describe("prompt lists", () => {
  it("filters prompts by name and by experiment", () => {
    expect(promptsFilter("")).toBe("tags.`mlflow.prompt.is_prompt` = 'true'");
    expect(promptsFilter(" qa ", "4")).toBe(
      "tags.`mlflow.prompt.is_prompt` = 'true' AND name ILIKE '%qa%' AND tags._mlflow_experiment_ids LIKE '%,4,%'",
    );
    expect(promptsFilter("", "x'")).toBe("tags.`mlflow.prompt.is_prompt` = 'true'");
    expect(promptExperimentIds({ name: "p", tags: [{ key: "_mlflow_experiment_ids", value: ",1,4," }] })).toEqual([
      "1",
      "4",
    ]);
  });

  it("compares with the previous version by default", () => {
    expect(defaultComparedVersion(["3", "1", "2"], "3")).toBe("2");
    expect(defaultComparedVersion(["2", "1"], "1")).toBe("2");
    expect(defaultComparedVersion(["1"], "1")).toBeUndefined();
    expect(defaultComparedVersion(["1"], "9")).toBeUndefined();
  });
});
