// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount, shadowText as text } from "../dom.test-helpers.js";
import { settingRows } from "./prompt-compare.js";
import type { PromptVersionView } from "./prompt-version.js";
import "./prompt-diff.js";
import "./prompt-template.js";

afterEach(() => {
  document.body.innerHTML = "";
});

const all = (el: Element, selector: string) =>
  [...(el.shadowRoot?.querySelectorAll(selector) ?? [])].map((e) => (e.textContent ?? "").trim());

describe("tl-prompt-template", () => {
  it("marks the variables of a text template", async () => {
    const el = await mount("tl-prompt-template", { template: "Hi {{ name }}, see {{x}}." });
    expect(text(el)).toBe("Hi {{ name }}, see {{x}}.");
    expect(all(el, ".var")).toEqual(["{{ name }}", "{{x}}"]);
  });

  it("shows a chat template as one block per message under its role", async () => {
    const el = await mount("tl-prompt-template", {
      template: [
        { role: "system", content: "Be kind." },
        { role: "user", content: "" },
      ],
    });
    expect(all(el, ".role")).toEqual(["system", "user"]);
    expect(all(el, "pre")).toEqual(["Be kind.", "(empty)"]);
  });
});

describe("tl-prompt-diff", () => {
  it("shows the two sides, the changed words and a summary", async () => {
    const el = await mount("tl-prompt-diff", {
      left: "Hello {{ name }}.\nBye.",
      right: "Hello dear {{ name }}.\nBye.\nP.S. {{ sig }}",
      leftLabel: "Version 1",
      rightLabel: "Version 2",
      leftVariables: ["name"],
      rightVariables: ["name", "sig"],
    });
    expect(all(el, "thead th")).toEqual(["Version 1", "Version 2"]);
    expect(all(el, "ins")).toEqual(["dear", "P.S. {{ sig }}"]);
    expect(all(el, "del")).toEqual([]);
    expect(all(el, ".summary")[0]?.replace(/\s+/g, " ")).toBe("+2 lines −1 line Variables: + sig");
    expect(el.shadowRoot?.querySelectorAll("tbody tr").length).toBe(3);
  });

  it("says when the templates are the same", async () => {
    const el = await mount("tl-prompt-diff", { left: "same", right: "same" });
    expect(all(el, ".summary")).toEqual(["No changes in the template."]);
  });
});

describe("settingRows", () => {
  const version = (extra: Partial<PromptVersionView>): PromptVersionView => ({
    version: "1",
    type: "text",
    template: "",
    commitMessage: "",
    created: undefined,
    aliases: [],
    tags: [],
    modelConfig: undefined,
    responseFormat: undefined,
    ...extra,
  });

  it("lists every model-config key of either version, and the response format", () => {
    const left = version({ modelConfig: { temperature: 0.2, stop: ["\n"] } });
    const right = version({ modelConfig: { temperature: 0.5, model_name: "m" }, responseFormat: { type: "object" } });
    expect(settingRows(left, right)).toEqual([
      { key: "temperature", left: "0.2", right: "0.5" },
      { key: "stop", left: '["\\n"]', right: undefined },
      { key: "model_name", left: undefined, right: "m" },
      { key: "response format", left: undefined, right: '{"type":"object"}' },
    ]);
    expect(settingRows(version({}), version({}))).toEqual([]);
  });
});
