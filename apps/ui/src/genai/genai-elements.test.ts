// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./record-editor.js";
import "./records-table.js";
import "./scorer-detail.js";
import type { DatasetRecord } from "@tracklite/client";
import { mount, shadowText as text } from "../dom.test-helpers.js";
import type { RecordEdit, TlRecordEditor } from "./record-editor.js";

afterEach(() => {
  document.body.innerHTML = "";
});

const RECORD: DatasetRecord = {
  dataset_record_id: "dr-1",
  dataset_id: "d-1",
  inputs: { question: "What is 2 + 2?" },
  expectations: { answer: "4", facts: ["even"] },
  outputs: { answer: "4." },
  tags: { "mlflow.user": "root", split: "test" },
  source: { source_type: "TRACE", source_data: { trace_id: "tr-abc" } },
  source_id: "tr-abcdef0123456789",
  last_update_time: 1,
};

describe("tl-records-table", () => {
  it("shows each field as key and value, hides MLflow's own tags, links a trace source, and asks to edit", async () => {
    const el = await mount<HTMLElement>("tl-records-table", { records: [RECORD], experimentId: "7" });
    const row = el.shadowRoot?.querySelector("tbody tr");
    expect(row?.getAttribute("data-id")).toBe("dr-1");
    expect(text(el)).toContain("questionWhat is 2 + 2?");
    expect(row?.querySelector("td.exp")?.textContent?.replace(/\s+/g, " ").trim()).toBe('answer4facts["even"]');
    expect(row?.querySelector("td.tags")?.textContent?.trim()).toBe("splittest");
    expect(row?.querySelector("td.src a")?.getAttribute("href")).toBe("#/experiments/7/traces/tr-abcdef0123456789");
    let edited: DatasetRecord | undefined;
    el.addEventListener("record-edit", (e) => {
      edited = (e as CustomEvent<DatasetRecord>).detail;
    });
    row?.querySelector<HTMLButtonElement>('button[aria-label="Edit record"]')?.click();
    expect(edited).toBe(RECORD);
  });
});

describe("tl-record-editor", () => {
  async function open() {
    const el = await mount<TlRecordEditor>("tl-record-editor", { record: RECORD });
    const saves: RecordEdit[] = [];
    el.addEventListener("record-save", (e) => saves.push((e as CustomEvent<RecordEdit>).detail));
    const area = (name: string) => el.shadowRoot?.querySelector<HTMLTextAreaElement>(`textarea[name=${name}]`);
    const save = async () => {
      [...(el.shadowRoot?.querySelectorAll<HTMLButtonElement>("button") ?? [])]
        .find((b) => b.textContent?.trim() === "Save")
        ?.click();
      await el.updateComplete;
    };
    return { el, saves, area, save };
  }

  it("refuses JSON that is not an object, and tags that are not strings, before saving", async () => {
    const { el, saves, area, save } = await open();
    expect(JSON.parse(area("expectations")?.value ?? "")).toEqual(RECORD.expectations);
    (area("expectations") as HTMLTextAreaElement).value = "[1, 2]";
    await save();
    expect(text(el)).toContain("Expectations must be a JSON object");
    (area("expectations") as HTMLTextAreaElement).value = '{"answer": "four"}';
    (area("tags") as HTMLTextAreaElement).value = '{"split": 1}';
    await save();
    expect(text(el)).toContain('Tags: the value of "split" must be a string.');
    expect(saves).toEqual([]);
  });

  it("saves a merge when keys only change, a re-creation when one is removed", async () => {
    const { saves, area, save } = await open();
    (area("expectations") as HTMLTextAreaElement).value = '{"answer": "four", "facts": [], "extra": 1}';
    await save();
    expect(saves[0]).toMatchObject({ expectations: { answer: "four", facts: [], extra: 1 }, recreate: false });
    (area("expectations") as HTMLTextAreaElement).value = '{"answer": "four"}';
    await save();
    expect(saves[1]).toMatchObject({ expectations: { answer: "four" }, recreate: true });
    expect(saves[1]?.tags).toEqual(RECORD.tags);
  });
});

describe("tl-scorer-detail", () => {
  it("reads out a judge: kind, model, instructions and the JSON under a disclosure", async () => {
    const serialized = JSON.stringify({
      name: "polite",
      aggregations: ["mean"],
      instructions_judge_pydantic_data: { instructions: "Is {{ outputs }} polite?", model: "openai:/gpt-4o-mini" },
    });
    const el = await mount<HTMLElement>("tl-scorer-detail", {
      scorer: {
        experiment_id: 1,
        scorer_name: "polite",
        scorer_version: 3,
        serialized_scorer: serialized,
        creation_time: 1,
      },
    });
    const dd = (cls: string) => el.shadowRoot?.querySelector(`dd.${cls}`)?.textContent?.trim();
    expect(dd("kind")).toBe("LLM judge");
    expect(dd("model")).toBe("openai:/gpt-4o-mini");
    expect(el.shadowRoot?.querySelector("pre.instructions")?.textContent).toBe("Is {{ outputs }} polite?");
    expect(text(el)).toContain("Aggregationsmean");
    expect(el.shadowRoot?.querySelector("details pre.raw")?.textContent).toContain('"aggregations": [');
  });
});
