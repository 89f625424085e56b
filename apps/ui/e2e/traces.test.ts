import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, expect, test } from "vitest";
import { REPO } from "./context.js";
import { ctx, e2eSuite, see, seeAll } from "./harness.js";

const run = promisify(execFile);

/** Runs traces.py (the real MLflow 3 client) against the e2e server; its last line of output is JSON. */
async function logTraces(...args: string[]): Promise<Record<string, string>> {
  const out = await run(ctx.python, [join(REPO, "apps/ui/e2e/traces.py"), ...args], {
    cwd: REPO,
    env: { ...process.env, MLFLOW_TRACKING_URI: ctx.baseUrl, PYTHONDONTWRITEBYTECODE: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = out.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "{}");
}

/** The assessments of a trace, read through the REST API (the trace info, `GET traces/{id}`). */
async function assessmentsOf(traceId: string): Promise<{ assessment_name: string; feedback?: { value: unknown } }[]> {
  const res = await fetch(`${ctx.baseUrl}/api/3.0/mlflow/traces/${traceId}`);
  if (!res.ok) throw new Error(`traces/${traceId} → ${res.status}: ${await res.text()}`);
  return (await res.json()).trace.trace_info.assessments ?? [];
}

e2eSuite("traces", (ui) => {
  // An experiment of its own per run: the counts below hold on a server that already has traces.
  const experiment = `traces-e2e-${Date.now()}`;
  let ids: Record<string, string> = {};
  beforeAll(async () => {
    ids = await logTraces(experiment);
  }, 120_000);

  const grid = () => ui.page.getByRole("grid", { name: "Traces" });
  const rows = () => grid().locator("a[role=row]");
  const rowOf = (traceId: string) => grid().locator(`a[role=row][data-id="${traceId}"]`);

  test("the Traces tab lists the experiment's traces, filters them and takes new ones live", async () => {
    const page = ui.page;
    await ui.goto(`/experiments/${ids.experiment_id}?tab=traces`);
    await see(page.getByRole("tab", { selected: true })).toBe("Traces");
    await seeAll(rows()).toHaveLength(3);
    // Newest first: the second answer, the failure, then the traced run's answer.
    const first = rowOf(ids.second ?? "");
    await see(first).toContain("Second question?");
    await see(first).toContain("Paris.");
    await see(first).toContain("answer");
    await see(first).toContain("OK");
    await see(first).toContain("env: e2e");
    await see(rowOf(ids.failed ?? "")).toContain("Error");
    await see(rowOf(ids.failed ?? "")).toContain("broken");
    const inRun = rowOf(ids.in_run ?? "");
    await see(inRun).toContain("19");
    await see(inRun).toContain("correct: true");
    await see(inRun).toContain("expected_answer: Paris");
    await ui.shot("traces-tab", true);

    // The search_traces grammar, applied on the server; the filter goes into the URL.
    const filter = page.getByRole("combobox", { name: "Filter traces" });
    // `/` focuses the filter box.
    await page.keyboard.press("/");
    await expect.poll(() => filter.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    await filter.fill("trace.status = 'ERROR'");
    await filter.press("Enter");
    await seeAll(rows()).toHaveLength(1);
    await see(rows().first()).toContain("broken");
    expect(ui.query().get("tfilter")).toBe("trace.status = 'ERROR'");
    await filter.fill("feedback.correct = 'true'");
    await filter.press("Enter");
    await seeAll(rows()).toHaveLength(1);
    await see(rows().first()).toContain("What is the capital of France?");
    await filter.fill("");
    await filter.press("Enter");
    await seeAll(rows()).toHaveLength(3);
    // Autocomplete offers the tag keys of the loaded traces.
    await filter.fill("tags.");
    await see(page.getByRole("listbox", { name: "Filter suggestions" })).toContain("tags.env");
    await filter.fill("");

    // A trace logged now shows up on top without a reload.
    const fresh = await logTraces(experiment, "--one", "A live question?");
    await see(rowOf(fresh.trace ?? "")).toContain("A live question?");
    await seeAll(rows()).toHaveLength(4);
  });

  test("the trace view: span tree with timeline, conversation, exception, and assessments written", async () => {
    const page = ui.page;
    await ui.goto(`/experiments/${ids.experiment_id}?tab=traces`);
    await rowOf(ids.in_run ?? "").click();
    await page.getByRole("tree", { name: "Spans" }).waitFor();
    expect(ui.route()).toContain(`/traces/${ids.in_run}`);
    const tree = page.getByRole("tree", { name: "Spans" });
    await seeAll(tree.getByRole("treeitem").locator(".nm")).toEqual(["answer", "retrieve", "llm"]);
    await see(page.locator("tl-trace-page")).toContain("Tokens 19");
    await tree.getByRole("treeitem").filter({ hasText: "llm" }).click();
    const chat = page.getByRole("list", { name: "Conversation" });
    // The role labels are upper-cased by CSS (what innerText reports).
    await seeAll(chat.first().getByRole("listitem")).toEqual([
      "SYSTEM You are terse.",
      "USER What is the capital of France?",
    ]);
    await see(chat.nth(1)).toBe("ASSISTANT Paris.");
    expect(ui.query().get("span")).toMatch(/^[0-9a-f]{16}$/);
    await ui.shot("trace-view", true);

    // Assessments: add one through the UI, read it back through the API.
    await page.getByRole("button", { name: "Add assessment" }).click();
    const form = page.getByRole("form", { name: "Add assessment" });
    await form.getByRole("textbox", { name: "Name" }).fill("helpful");
    await form.getByRole("textbox", { name: "Value" }).fill("0.75");
    await form.getByRole("button", { name: "Add", exact: true }).click();
    await see(page.getByRole("list", { name: "Assessments" })).toContain("helpful 0.75");
    await expect
      .poll(async () => (await assessmentsOf(ids.in_run ?? "")).find((a) => a.assessment_name === "helpful")?.feedback)
      .toEqual({ value: 0.75 });

    // The failing trace: its exception with the stack trace.
    await ui.goto(`/experiments/${ids.experiment_id}/traces/${ids.failed}`);
    const exceptions = page.getByRole("region", { name: "Span details" }).locator("section", { hasText: "Exceptions" });
    await see(exceptions).toContain("ValueError: cannot handle 3");
    await see(exceptions).toContain("Traceback (most recent call last)");
  });

  test("the run page's Traces tab shows only the run's traces", async () => {
    await ui.goto(`/experiments/${ids.experiment_id}/runs/${ids.run_id}?tab=traces`);
    await seeAll(rows()).toHaveLength(1);
    await see(rows().first()).toContain("What is the capital of France?");
  });
});
