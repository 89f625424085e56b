/**
 * MLflow's own UI URLs (as MLflow 3.17.2's UI and client write them) opened in tracklite: each lands on the same view
 * with the same content, and the address bar then holds tracklite's URL of it. Seeded by seed.py's `seed_links`.
 */
import { expect, test } from "vitest";
import { ctx, e2eSuite, see, seeAll, seed } from "./harness.js";

interface LinksSeed {
  experiment: string;
  runs: Record<"links-alpha" | "links-beta", string>;
  logged_model: string;
  version: string;
  trace: string;
}
const links = () => (seed as unknown as { links: LinksSeed }).links;
const alpha = () => links().runs["links-alpha"];
const beta = () => links().runs["links-beta"];

/** The value cell of a row of the run page's Details table. */
const detail = (ui: { page: import("playwright-core").Page }, label: string) =>
  ui.page
    .locator("table.details tr")
    .filter({ has: ui.page.getByRole("rowheader", { name: label, exact: true }) })
    .locator("td");

e2eSuite("MLflow's links", (ui) => {
  test("the runs list with MLflow's search facets: filter, sort and view mode become tracklite's", async () => {
    const e = links().experiment;
    const filter = encodeURIComponent("params.lr = '0.1'");
    await ui.goto(
      `/experiments/${e}/runs?searchFilter=${filter}&orderByKey=metrics.%60loss%60&orderByAsc=true&compareRunsMode=TABLE`,
    );
    const page = ui.page;
    await expect.poll(() => ui.route()).toMatch(new RegExp(`^/experiments/${e}\\?`));
    expect(ui.query().get("filter")).toBe("params.lr = '0.1'");
    expect(ui.query().get("sort")).toBe("metrics.loss~asc");
    expect(ui.query().has("searchFilter")).toBe(false);
    await see(page.getByRole("heading", { level: 1 })).toBe("links/mlflow-urls");
    await see(page.getByRole("tab", { selected: true })).toBe("Runs");
    expect(await page.getByRole("combobox", { name: "Filter runs" }).inputValue()).toBe("params.lr = '0.1'");
    await see(page.locator("tl-runs-table")).toContain("links-alpha");
    await see(page.locator("tl-runs-table")).not.toContain("links-beta");
    await ui.shot("links-experiment-runs");

    // The chart view mode opens the Charts tab.
    await ui.goto(`/experiments/${e}?compareRunsMode=CHART`);
    await see(page.getByRole("tab", { selected: true })).toBe("Charts");
    expect(ui.query().get("tab")).toBe("charts");
  });

  test("a run's artifact path opens the Artifacts tab with the file previewed", async () => {
    const e = links().experiment;
    await ui.goto(`/experiments/${e}/runs/${alpha()}/artifacts/reports/summary.txt`);
    const page = ui.page;
    await expect
      .poll(() => ui.route())
      .toBe(`/experiments/${e}/runs/${alpha()}?tab=artifacts&path=reports/summary.txt`);
    await see(page.getByRole("tab", { selected: true })).toBe("Artifacts");
    await see(page.locator("tl-artifact-preview pre")).toMatch(/^links-alpha summary: lr 0\.1\s*$/);
    await ui.shot("links-run-artifact");

    // MLflow's older form, `artifactPath/…`.
    await ui.goto(`/experiments/${e}/runs/${alpha()}/artifactPath/reports/summary.txt`);
    await see(page.locator("tl-artifact-preview pre")).toMatch(/^links-alpha summary: lr 0\.1\s*$/);
  });

  test("model-metrics and system-metrics open the run's Metrics and System tabs", async () => {
    const e = links().experiment;
    const page = ui.page;
    await ui.goto(`/experiments/${e}/runs/${alpha()}/system-metrics`);
    await see(page.getByRole("tab", { selected: true })).toContain("System");
    expect(ui.query().get("tab")).toBe("system");
    await seeAll(page.locator("tl-metric-chart .title")).toContain("system/cpu_utilization_percentage");
    await ui.shot("links-run-system-metrics");

    await ui.goto(`/experiments/${e}/runs/${alpha()}/model-metrics`);
    await see(page.getByRole("tab", { selected: true })).toContain("Metrics");
    await seeAll(page.locator("tl-metric-chart .title")).toEqual(["loss"]);
  });

  test("`#/runs/<id>` finds the run's experiment; the overview shows the git branch", async () => {
    await ui.goto(`/runs/${alpha()}`);
    const page = ui.page;
    await expect.poll(() => ui.route()).toBe(`/experiments/${links().experiment}/runs/${alpha()}`);
    await see(page.getByRole("heading", { level: 1, name: "links-alpha" })).toBe("links-alpha");
    await see(detail(ui, "Git branch")).toBe("feature/mlflow-links");
    await see(detail(ui, "Git commit")).toContain(seed.git_commit.slice(0, 8));
    await ui.shot("links-run-git-branch");
  });

  test("compare-runs with MLflow's JSON lists opens the compare page", async () => {
    await ui.goto(`/compare-runs?runs=["${alpha()}","${beta()}"]&experiments=["${links().experiment}"]`);
    const page = ui.page;
    await expect.poll(() => ui.route()).toBe(`/compare?runs=${alpha()},${beta()}`);
    await see(page.getByRole("heading", { level: 1 })).toBe("Compare runs 2 runs");
    const table = page.locator("tl-compare-page table").first();
    await seeAll(table.locator("thead th")).toEqual(["Run", "links-alpha", "links-beta"]);
    const lr = table.locator("tbody tr").filter({ has: page.locator('th[title="lr"]') });
    await seeAll(lr.locator("td")).toEqual(["0.1", "0.3"]);
    await ui.shot("links-compare-runs");
  });

  test("the metric page (as getMetricPageRoute writes it) opens the compare page on that metric", async () => {
    const link =
      `/metric/?runs=["${alpha()}","${beta()}"]&metric=${encodeURIComponent('"loss"')}` +
      `&experiments=["${links().experiment}"]&plot_metric_keys=${encodeURIComponent('["loss"]')}&plot_layout={}` +
      "&x_axis=step&y_axis_scale=log&line_smoothness=1&show_point=false&deselected_curves=[]&last_linear_y_axis_range=[]";
    await ui.goto(link);
    const page = ui.page;
    await expect.poll(() => ui.route()).toBe(`/compare?runs=${alpha()},${beta()}&q=loss&cq=loss&clog=1`);
    await see(page.getByRole("heading", { level: 1 })).toBe("Compare runs 2 runs");
    expect(await page.getByRole("searchbox", { name: "Filter keys" }).inputValue()).toBe("loss");
    const table = page.locator("tl-compare-page table").first();
    const loss = table.locator("tbody tr").filter({ has: page.locator('th[title="loss"]') });
    await seeAll(loss.locator("td")).toEqual(["0.2", "0.4"]);
    const chart = page.locator("tl-compare-page tl-metric-chart", {
      has: page.locator(".title", { hasText: /^loss$/ }),
    });
    await chart.locator("canvas").first().waitFor();
    await see(chart.locator("tl-chart-legend")).toContain("links-alpha");
    // The charts are searched for the metric too (chart-builder's chart search): only loss is drawn.
    await see(page.getByText(/charts match/)).toBe("1 of 4 charts match “loss”");
    await ui.shot("links-metric-page");
  });

  test("a trace selected in MLflow's traces tab opens the trace", async () => {
    const e = links().experiment;
    const t = links().trace;
    await ui.goto(`/experiments/${e}/traces?selectedEvaluationId=${t}&traceId=${t}&compareRunsMode=TRACES`);
    const page = ui.page;
    await expect.poll(() => ui.route()).toBe(`/experiments/${e}/traces/${t}`);
    await see(page.locator("tl-trace-page h1")).toBe("links-answer");
    await ui.shot("links-trace");

    await ui.goto(`/experiments/${e}/traces`);
    await see(page.getByRole("tab", { selected: true })).toBe("Traces");
  });

  test("registry links: version page, model subpages, compare versions, the logged model", async () => {
    const page = ui.page;
    await ui.goto(`/models/links-model/versions/${links().version}`);
    await see(page.getByRole("heading", { level: 1 })).toBe(`links-model · Version ${links().version}`);
    await ui.shot("links-model-version");

    await ui.goto("/models/links-model/serving");
    await expect.poll(() => ui.route()).toBe("/models/links-model");
    await see(page.getByRole("heading", { level: 1 })).toBe("links-model");

    // MLflow's compare-versions link: models-ui's compare page.
    const name = encodeURIComponent(JSON.stringify(encodeURIComponent("links-model")));
    const runs = encodeURIComponent(JSON.stringify({ [links().version]: alpha() }));
    await ui.goto(`/compare-model-versions?name=${name}&runs=${runs}`);
    await expect.poll(() => ui.route()).toBe(`/models/links-model/compare?versions=${links().version}`);
    await see(page.locator("main")).toContain("links-model");

    // The logged model: models-ui's page, at MLflow's own path; its tabs open the same page.
    await ui.goto(`/experiments/${links().experiment}/models/${links().logged_model}/artifacts`);
    await expect.poll(() => ui.route()).toBe(`/experiments/${links().experiment}/models/${links().logged_model}`);
    await see(page.getByRole("heading", { level: 1 })).toContain("links-model");
    await see(page.locator("main")).toContain(links().logged_model);
    await ui.shot("links-logged-model");
  });

  test("GenAI tabs: labeling sessions and label schemas open genai-ui's review view, the datasets tab its own", async () => {
    const e = links().experiment;
    const page = ui.page;
    for (const tab of ["labeling-sessions", "label-schemas", "issues"]) {
      await ui.goto(`/experiments/${e}/${tab}`);
      await expect.poll(() => ui.route()).toBe(`/experiments/${e}/review-queue`);
      await see(page.getByRole("tab", { selected: true })).toBe("Review");
      await see(page.getByRole("heading", { level: 1 })).toBe("links/mlflow-urls");
    }
    await ui.shot("links-genai-review");
    await ui.goto(`/experiments/${e}/datasets`);
    await see(page.getByRole("tab", { selected: true })).toBe("Evaluation datasets");
  });

  test("pages tracklite has not got say so; Not found otherwise", async () => {
    const page = ui.page;
    await ui.goto("/gateway/endpoints/e-1");
    await see(page.getByRole("heading", { level: 1 })).toBe("Not found");
    await see(page.locator("main")).toContain("This MLflow link has no page in tracklite: MLflow's AI gateway");
    await ui.shot("links-unsupported");
    await ui.goto("/no-such-page");
    await see(page.getByRole("heading", { level: 1 })).toBe("Not found");
    await see(page.locator("main")).not.toContain("MLflow link");
  });

  test("the experiment header: tags in a row under the title, + Add tag right after them", async () => {
    const e = links().experiment;
    await ui.goto(`/experiments/${e}`);
    const page = ui.page;
    const title = page.getByRole("heading", { level: 1, name: "links/mlflow-urls" });
    const add = page.locator("tl-experiment-page tl-tag-editor").getByRole("button", { name: "Add tag" });
    const description = page.locator("tl-experiment-page tl-description");
    await add.waitFor();
    const [t, a, d] = await Promise.all([title.boundingBox(), add.boundingBox(), description.boundingBox()]);
    if (!t || !a || !d) throw new Error("header parts not laid out");
    // Left-aligned under the title (not floating mid-page), above the description.
    expect(a.x).toBeLessThan(160);
    expect(a.y).toBeGreaterThan(t.y + t.height - 1);
    expect(a.y + a.height).toBeLessThanOrEqual(d.y + 1);

    await add.click();
    await page.getByRole("textbox", { name: "Tag key" }).fill("owner");
    await page.getByRole("textbox", { name: "Tag value" }).fill("links-team");
    await page.getByRole("button", { name: "Save tag" }).click();
    const chip = page.locator("tl-experiment-page tl-tag-editor .chip", { hasText: "owner" });
    await see(chip).toBe("owner: links-team");
    const [c, a2] = await Promise.all([chip.boundingBox(), add.boundingBox()]);
    if (!c || !a2) throw new Error("tag chip not laid out");
    // The chip, then + Add tag, on one line.
    expect(a2.x).toBeGreaterThan(c.x + c.width - 1);
    expect(Math.abs(a2.y + a2.height / 2 - (c.y + c.height / 2))).toBeLessThan(6);
    await ui.shot("links-experiment-header");
  });

  test("MLflow's non-hash page, the notebook trace renderer, opens the trace", async () => {
    const e = links().experiment;
    const t = links().trace;
    await ui.page.goto(
      `${ctx.baseUrl}/static-files/lib/notebook-trace-renderer/index.html?trace_id=${t}&experiment_id=${e}&version=3.17.2`,
    );
    await expect.poll(() => ui.route()).toBe(`/experiments/${e}/traces/${t}?embed=1`);
    await see(ui.page.locator("tl-trace-page h1")).toBe("links-answer");
    await ui.shot("links-notebook-trace");
  });
});
