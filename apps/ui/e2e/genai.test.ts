import { expect, test } from "vitest";
import { ctx, e2eSuite, see, seeAll, seed } from "./harness.js";

/** What seed.py's `seed_genai` printed (under the key `genai`). */
interface GenaiSeed {
  experiment_id: string;
  datasets: Record<"qa-golden" | "smoke" | "to-delete", string>;
  review: { queue_id: string; empty_queue_id: string; traces: string[] };
}
const genai = (seed as unknown as { genai: GenaiSeed }).genai;

interface WireRecord {
  dataset_record_id: string;
  inputs: Record<string, unknown>;
  expectations?: Record<string, unknown>;
  tags?: Record<string, string>;
}

/** Every record of a dataset, read through the REST API (what the Python client would read back). */
async function recordsOf(datasetId: string): Promise<WireRecord[]> {
  const res = await fetch(`${ctx.baseUrl}/api/3.0/mlflow/datasets/${datasetId}/records?max_results=1000`);
  if (!res.ok) throw new Error(`records of ${datasetId} → ${res.status}: ${await res.text()}`);
  return JSON.parse((await res.json()).records) as WireRecord[];
}

/** A review queue's items by trace id, read through the REST API. */
async function itemsOf(queueId: string): Promise<Record<string, { status: string; completed_by?: string }>> {
  const res = await fetch(`${ctx.baseUrl}/api/3.0/mlflow/review-queues/items/list?queue_id=${queueId}`);
  if (!res.ok) throw new Error(`items of ${queueId} → ${res.status}: ${await res.text()}`);
  const items: { item_id: string; status: string; completed_by?: string }[] = (await res.json()).items ?? [];
  return Object.fromEntries(items.map((i) => [i.item_id, { status: i.status, completed_by: i.completed_by }]));
}

async function datasetNames(): Promise<string[]> {
  const res = await fetch(`${ctx.baseUrl}/api/3.0/mlflow/datasets/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ experiment_ids: [genai.experiment_id] }),
  });
  return ((await res.json()).datasets ?? []).map((d: { name: string }) => d.name).sort();
}

e2eSuite("GenAI views", (ui) => {
  const exp = genai.experiment_id;
  const rowOf = (table: string, text: string) =>
    ui.page.locator(`table[aria-label="${table}"] tbody tr`, { hasText: text });

  test("the experiment's tabs lead to its evaluation datasets, listed with their record counts and tags", async () => {
    const page = ui.page;
    await ui.goto(`/experiments/${exp}`);
    await page.getByRole("tab", { name: "Evaluation datasets" }).click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${exp}/datasets`);
    await see(page.getByRole("tab", { selected: true })).toBe("Evaluation datasets");
    await see(page.getByRole("heading", { level: 1 })).toBe("genai/eval");
    const rows = page.locator('table[aria-label="Evaluation datasets"] tbody tr');
    await seeAll(rows.locator("td.name")).toEqual(["to-delete", "smoke", "qa-golden"]);
    await see(rowOf("Evaluation datasets", "qa-golden").locator("td.num")).toBe("30");
    await see(rowOf("Evaluation datasets", "qa-golden")).toContain("team: genai");
    await see(rowOf("Evaluation datasets", "qa-golden")).toContain("stage: dev");
    await see(rowOf("Evaluation datasets", "smoke").locator("td.num")).toBe("2");
    await see(rowOf("Evaluation datasets", "to-delete").locator("td.num")).toBe("0");
    await ui.shot("genai-datasets");

    // Delete, after a confirmation: gone from the list and from the server.
    await rowOf("Evaluation datasets", "to-delete").getByRole("button", { name: "Delete to-delete" }).click();
    // The dialog's body and buttons are slotted into <tl-dialog>: look inside the element, not its <dialog>.
    await see(page.getByRole("dialog", { name: "Delete dataset" })).toContain("Delete to-delete and its 0 records?");
    const dialog = page.locator('tl-dialog[heading="Delete dataset"]');
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await seeAll(rows.locator("td.name")).toEqual(["smoke", "qa-golden"]);
    expect(await datasetNames()).toEqual(["qa-golden", "smoke"]);
  });

  test("a dataset's records page by page, with their inputs, expectations and tags (MLflow's URL)", async () => {
    const page = ui.page;
    const id = genai.datasets["qa-golden"];
    await ui.goto(`/experiments/${exp}/datasets/${id}`);
    await see(page.locator("tl-genai-dataset-page h2")).toBe("qa-golden");
    await see(page.locator("dd.count")).toBe("30");
    await see(page.locator(".range")).toBe("Records 1–25 of 30");
    const rows = page.locator('table[aria-label="Records"] tbody tr');
    await seeAll(rows).toHaveLength(25);
    const firstPage = await rows.locator("td:first-child").allInnerTexts();

    await page.getByRole("button", { name: "Next" }).click();
    await see(page.locator(".range")).toBe("Records 26–30 of 30");
    await seeAll(rows).toHaveLength(5);
    expect(ui.query().get("p")).toBe("1");
    expect(ui.query().get("from")).toBeTruthy();
    const secondPage = await rows.locator("td:first-child").allInnerTexts();
    // The two pages together are the 30 questions, each once.
    const questions = [...firstPage, ...secondPage].map((t) => t.replace(/^question\s*/, "").trim()).sort();
    expect(questions).toEqual(Array.from({ length: 30 }, (_, n) => `What is ${n} + ${n}?`).sort());
    await expect(page.getByRole("button", { name: "Next" }).isDisabled()).resolves.toBe(true);

    // Each record shows its own values: question n expects 2n, odd n are in the train split, even n in test.
    const all = await recordsOf(id);
    expect(all.find((r) => r.inputs.question === "What is 7 + 7?")?.expectations).toEqual({ answer: "14" });
    if (!secondPage.some((t) => t.includes("What is 7 + 7?"))) {
      await page.getByRole("button", { name: "Previous" }).click();
      await see(page.locator(".range")).toBe("Records 1–25 of 30");
    }
    const row = rowOf("Records", "What is 7 + 7?");
    await see(row.locator("td.exp")).toBe("answer 14");
    await see(row.locator("td.tags")).toBe("split train");
    // Every row of the page: [question, answer, split], read from the cells' value spans.
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ["td:first-child .v", "td.exp .v", "td.tags .v"].map((c) => tr.querySelector(c)?.textContent)),
    );
    expect(shown.length).toBeGreaterThanOrEqual(5);
    for (const [question, answer, split] of shown) {
      const n = Number(/^What is (\d+) \+ \1\?$/.exec(question ?? "")?.[1]);
      expect([question, answer, split]).toEqual([`What is ${n} + ${n}?`, String(2 * n), n % 2 ? "train" : "test"]);
    }
    await ui.shot("genai-records");

    // MLflow's own link to a dataset (`?selectedDatasetId=`) opens the same page.
    await ui.goto(`/experiments/${exp}/datasets?selectedDatasetId=${id}`);
    await expect.poll(() => ui.route()).toBe(`/experiments/${exp}/datasets/${id}`);
    await see(page.locator("tl-genai-dataset-page h2")).toBe("qa-golden");

    // Back to the first page; 50 per page shows all 30.
    await ui.goto(`/experiments/${exp}/datasets/${id}`);
    await page.getByRole("combobox", { name: "Records per page" }).selectOption("50");
    await see(page.locator(".range")).toBe("Records 1–30 of 30");
    expect(ui.query().get("size")).toBe("50");
    await seeAll(rows).toHaveLength(30);
  });

  test("editing a record's expectations and tags round-trips to the server; deleting a record", async () => {
    const page = ui.page;
    const id = genai.datasets.smoke;
    const before = (await recordsOf(id)).find((r) => r.inputs.question === "Who makes tracklite?");
    await ui.goto(`/experiments/${exp}/datasets/${id}`);
    const row = rowOf("Records", "Who makes tracklite?");
    await see(row.locator("td.exp")).toBe("answer Us");
    await see(row).toContain("Us.");
    await row.getByRole("button", { name: "Edit record" }).click();
    await page.getByRole("dialog", { name: "Edit record" }).waitFor();
    const dialog = page.locator('tl-dialog[heading="Edit record"]');
    const expectations = dialog.getByLabel("Expectations (JSON)");
    const tags = dialog.getByLabel("Tags (JSON, string values)");
    await expect.poll(() => expectations.inputValue()).toContain('"answer": "Us"');

    // Bad JSON is refused before anything is sent.
    await expectations.fill("{ nope");
    await dialog.getByRole("button", { name: "Save" }).click();
    await see(dialog.getByRole("alert")).toContain("Expectations is not valid JSON");

    await expectations.fill('{"answer": "The tracklite team", "confidence": 0.9}');
    await tags.fill(JSON.stringify({ ...before?.tags, reviewed: "yes" }));
    await ui.shot("genai-record-edit");
    await dialog.getByRole("button", { name: "Save" }).click();
    await see(row.locator("td.exp")).toBe("answer The tracklite team confidence 0.9");
    await see(row.locator("td.tags")).toBe("reviewed yes");
    const merged = (await recordsOf(id)).find((r) => r.inputs.question === "Who makes tracklite?");
    expect(merged?.dataset_record_id).toBe(before?.dataset_record_id);
    expect(merged?.expectations).toEqual({ answer: "The tracklite team", confidence: 0.9 });
    expect(merged?.tags?.reviewed).toBe("yes");

    // Removing a key re-creates the record (an upsert only merges): the server then has exactly the edited value.
    await row.getByRole("button", { name: "Edit record" }).click();
    await expect.poll(() => expectations.inputValue()).toContain("confidence");
    await expectations.fill('{"answer": "The tracklite team"}');
    await dialog.getByRole("button", { name: "Save" }).click();
    await see(row.locator("td.exp")).toBe("answer The tracklite team");
    const recreated = (await recordsOf(id)).find((r) => r.inputs.question === "Who makes tracklite?");
    expect(recreated?.expectations).toEqual({ answer: "The tracklite team" });
    expect(recreated?.tags?.reviewed).toBe("yes");
    await see(page.locator("dd.count")).toBe("2");

    await rowOf("Records", "What is MLflow?").getByRole("button", { name: "Delete record" }).click();
    await page
      .locator('tl-dialog[heading="Delete record"]')
      .getByRole("button", { name: "Delete", exact: true })
      .click();
    await seeAll(page.locator('table[aria-label="Records"] tbody tr')).toHaveLength(1);
    await see(page.locator("dd.count")).toBe("1");
    expect((await recordsOf(id)).map((r) => r.inputs.question)).toEqual(["Who makes tracklite?"]);
  });

  test("judges: each scorer's latest version, its versions and the serialized scorer read out", async () => {
    const page = ui.page;
    await ui.goto(`/experiments/${exp}/judges`);
    await see(page.getByRole("tab", { selected: true })).toBe("Judges");
    const politeness = rowOf("Judges", "politeness");
    await see(politeness).toContain("LLM judge");
    await see(politeness).toContain("openai:/gpt-4o-mini");
    await see(politeness.locator("td.num")).toBe("2");
    const safety = rowOf("Judges", "safety");
    await see(safety).toContain("Built-in scorer");
    await see(safety).toContain("Safety");
    await see(safety.locator("td.num")).toBe("1");

    // The first scorer is shown: its latest version's instructions.
    const detail = page.locator("tl-scorer-detail");
    await seeAll(page.getByRole("group", { name: "Versions" }).getByRole("button")).toEqual(["v2", "v1"]);
    await see(detail.locator("pre.instructions")).toBe("Is {{ outputs }} polite and concise? Answer yes or no.");
    await see(detail.locator("dd.model")).toBe("openai:/gpt-4o-mini");
    await page.getByRole("button", { name: "v1", exact: true }).click();
    await see(detail.locator("pre.instructions")).toBe("Is {{ outputs }} polite? Answer yes or no.");
    expect(ui.query().get("scorer")).toBe("politeness");
    expect(ui.query().get("version")).toBe("1");
    await ui.shot("genai-judges");

    await safety.getByRole("button", { name: "safety" }).click();
    await see(detail.locator("dd.kind")).toBe("Built-in scorer · Safety");
    await see(detail.locator("pre.instructions")).toContain("harmful");
    await page.locator("tl-scorer-detail summary").click();
    await see(detail.locator("pre.raw")).toContain('"builtin_scorer_class": "Safety"');
  });

  test("review: the labeling session's progress, its items' statuses, label schemas and issues", async () => {
    const page = ui.page;
    const [done, declined, pending] = genai.review.traces;
    await ui.goto(`/experiments/${exp}`);
    await page.getByRole("tab", { name: "Review" }).click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${exp}/review-queue`);
    const session = rowOf("Labeling sessions", "Week 1 review");
    await seeAll(session.locator("td")).toEqual([
      "Week 1 review",
      "Session",
      "alice, bob",
      expect.stringMatching(/^(?=.*Correct\?)(?=.*Tone)/),
      "3",
      "1",
      "1",
      "1",
      expect.stringContaining("ago"),
    ]);
    // Newest session first; choosing one shows its items.
    await seeAll(page.locator('table[aria-label="Labeling sessions"] tbody tr td:first-child')).toEqual([
      "Week 2 review",
      "Week 1 review",
    ]);
    await session.getByRole("button", { name: "Week 1 review" }).click();
    await expect.poll(() => ui.query().get("selectedQueueId")).toBe(genai.review.queue_id);
    const item = (traceId = "") => page.locator(`table[aria-label="Review items"] tr[data-id="${traceId}"]`);
    await see(item(done)).toContain("Completed");
    await see(item(done)).toContain("alice");
    await see(item(done)).toContain('{"question": "What is 1 + 1?"}');
    await see(item(declined)).toContain("Declined");
    await see(item(declined)).toContain("bob");
    await see(item(pending)).toContain("Pending");
    await see(rowOf("Label schemas", "Correct?")).toContain("Pass/fail (Yes / No)");
    await see(rowOf("Label schemas", "Correct?")).toContain("Is the answer right?");
    await see(rowOf("Label schemas", "Tone")).toContain("One of: calm, rude");
    await see(rowOf("Label schemas", "Tone")).toContain("Expectation");
    await seeAll(page.locator('table[aria-label="Issues"] tbody tr td:first-child')).toEqual([
      "Wrong sums",
      "Slow answers",
    ]);
    await see(rowOf("Issues", "Wrong sums")).toContain("Resolved");
    await see(rowOf("Issues", "Wrong sums")).toContain("high");
    await see(rowOf("Issues", "Slow answers")).toContain("Pending");
    await ui.shot("genai-review");

    // The status filter goes into the URL; a trace opens its page.
    await page.getByRole("combobox", { name: "Filter items by status" }).selectOption("PENDING");
    await expect.poll(() => ui.query().get("status")).toBe("PENDING");
    await seeAll(page.locator('table[aria-label="Review items"] tbody tr')).toHaveLength(1);
    await item(pending).getByRole("link").click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${exp}/traces/${pending}`);

    // Another session: its own (empty) items.
    await ui.goto(`/experiments/${exp}/review-queue?selectedQueueId=${genai.review.queue_id}`);
    await rowOf("Labeling sessions", "Week 2 review").getByRole("button", { name: "Week 2 review" }).click();
    await expect.poll(() => ui.query().get("selectedQueueId")).toBe(genai.review.empty_queue_id);
    await see(page.locator("tr.selected")).toContain("carol");
    await see(page.locator("tl-review-items")).toContain("No items.");

    // MLflow's link to a queue names it `selectedQueueId`.
    await ui.goto(`/experiments/${exp}/review-queue?selectedQueueId=${genai.review.queue_id}&status=COMPLETE`);
    await seeAll(page.locator('table[aria-label="Review items"] tbody tr')).toHaveLength(1);
    await see(item(done)).toContain("alice");
    await see(page.locator("tr.selected")).toContain("Week 1 review");

    // Reviewing: the pending item completed in a reviewer's name, then reopened; the server has each change.
    const queue = genai.review.queue_id;
    await ui.goto(`/experiments/${exp}/review-queue?selectedQueueId=${queue}`);
    await page.getByRole("textbox", { name: "Reviewer" }).fill("dana");
    await item(pending).getByRole("button", { name: "Complete", exact: true }).click();
    await see(item(pending)).toContain("Completed");
    await see(item(pending)).toContain("dana");
    await seeAll(session.locator("td.num")).toEqual(["3", "2", "1", "0"]);
    expect((await itemsOf(queue))[pending ?? ""]).toEqual({ status: "COMPLETE", completed_by: "dana" });
    await ui.shot("genai-review-complete");
    await item(pending).getByRole("button", { name: "Reopen", exact: true }).click();
    await see(item(pending)).toContain("Pending");
    await seeAll(session.locator("td.num")).toEqual(["3", "1", "1", "1"]);
    expect((await itemsOf(queue))[pending ?? ""]?.status).toBe("PENDING");
  });
});
