import { describe, expect, it } from "vitest";
import {
  aliasesByVersion,
  excerpt,
  firstLine,
  isPrompt,
  latestVersion,
  modelSearchFilter,
  parseModelSort,
  promptTemplate,
  quoteFilterValue,
  toggleModelSort,
  userTags,
  versionSearchFilter,
} from "./model-filters.js";

describe("registry filters", () => {
  it("quotes values, switching to double quotes for a single quote", () => {
    expect(quoteFilterValue("iris")).toBe("'iris'");
    expect(quoteFilterValue("bob's")).toBe('"bob\'s"');
  });

  it("builds the models list filter from the search box and the tab", () => {
    expect(modelSearchFilter("")).toBeUndefined();
    expect(modelSearchFilter("  iris ")).toBe("name ILIKE '%iris%'");
  });

  it("filters one model's versions, asking for prompts when the model is one", () => {
    expect(versionSearchFilter("iris", false)).toBe("name = 'iris'");
    expect(versionSearchFilter("p", true)).toBe("name = 'p' AND tags.`mlflow.prompt.is_prompt` = 'true'");
  });

  it("recognises prompts by their tag", () => {
    expect(isPrompt({ tags: [{ key: "mlflow.prompt.is_prompt", value: "True" }] })).toBe(true);
    expect(isPrompt({ tags: [{ key: "mlflow.prompt.is_prompt", value: "false" }] })).toBe(false);
    expect(isPrompt({ tags: [] })).toBe(false);
    expect(isPrompt(undefined)).toBe(false);
  });

  it("reads text and chat prompt templates", () => {
    expect(promptTemplate({ tags: [{ key: "mlflow.prompt.text", value: "Hi {{ name }}" }] })).toBe("Hi {{ name }}");
    const chat = {
      tags: [
        { key: "mlflow.prompt.text", value: JSON.stringify([{ role: "system", content: "Be brief" }]) },
        { key: "_mlflow_prompt_type", value: "chat" },
      ],
    };
    expect(promptTemplate(chat)).toBe("system: Be brief");
    expect(promptTemplate({ tags: [] })).toBeUndefined();
  });

  it("groups aliases by version", () => {
    expect(
      aliasesByVersion([
        { alias: "champion", version: "2" },
        { alias: "b", version: "1" },
        { alias: "a", version: "2" },
      ]),
    ).toEqual({ "2": ["a", "champion"], "1": ["b"] });
    expect(aliasesByVersion(undefined)).toEqual({});
  });

  it("finds the highest of the latest versions numerically", () => {
    const v = (version: string) => ({ name: "m", version, creation_timestamp: 0 });
    expect(latestVersion({ name: "m", latest_versions: [v("9"), v("10"), v("2")] })?.version).toBe("10");
    expect(latestVersion({ name: "m" })).toBeUndefined();
  });

  it("leaves MLflow's own tags out of the user's tags", () => {
    const tags = [
      { key: "team", value: "a" },
      { key: "mlflow.prompt.is_prompt", value: "true" },
      { key: "_mlflow_experiment_ids", value: ",0," },
    ];
    expect(userTags({ tags })).toEqual([{ key: "team", value: "a" }]);
  });

  it("parses and toggles sorts", () => {
    expect(parseModelSort("-updated")).toBe("-updated");
    expect(parseModelSort("bogus")).toBe("name");
    expect(parseModelSort(null)).toBe("name");
    expect(toggleModelSort("name", "name")).toBe("-name");
    expect(toggleModelSort("-name", "name")).toBe("name");
    expect(toggleModelSort("name", "updated")).toBe("-updated");
    expect(toggleModelSort("-updated", "updated")).toBe("updated");
    expect(toggleModelSort("-updated", "name")).toBe("name");
  });

  it("cuts a description to its first plain line", () => {
    expect(excerpt("\n# Title **bold**\nmore")).toBe("Title bold");
    expect(excerpt("See [docs](http://x) and `code`")).toBe("See docs and code");
    expect(excerpt("a".repeat(100), 10)).toBe(`${"a".repeat(9)}…`);
    expect(excerpt(undefined)).toBe("");
    expect(excerpt("uses my_feature and __init__ *fast*")).toBe("uses my_feature and init fast");
    expect(firstLine("\n  {{ num_sentences }} words\nrest", 12)).toBe("{{ num_sent…");
  });
});
