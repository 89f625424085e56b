import type { Locator, Page } from "playwright-core";
import { expect, test } from "vitest";
import { apiGet, metricValues } from "./api.js";
import { e2eSuite, see, seeAll, seed, textOf } from "./harness.js";

const vision = () => seed.experiments["team/vision"];
const runPath = (name: string, query = "") => `/experiments/${vision()}/runs/${seed.runs[name]}${query}`;

/** The value cell of a row of the run's Details table. */
const detail = (page: Page, label: string): Locator =>
  page
    .locator("table.details tr")
    .filter({ has: page.getByRole("rowheader", { name: label, exact: true }) })
    .locator("td");

/** The row of a table whose first cell is exactly `key`. */
const rowOf = (table: Locator, key: string): Locator =>
  table
    .locator("tbody tr")
    .filter({ has: table.page().locator("td:first-child", { hasText: new RegExp(`^${key}$`) }) });

e2eSuite("run page", (ui) => {
  test("overview: id, status, times, user, source, git commit, parent and child runs, models", async () => {
    await ui.goto(runPath("resnet-baseline"));
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1, name: "resnet-baseline" })).toBe("resnet-baseline");
    await see(detail(page, "Run ID")).toContain(seed.runs["resnet-baseline"]);
    await see(detail(page, "Status")).toContain("Finished");
    await see(detail(page, "Experiment")).toBe("team/vision");
    await see(detail(page, "Started")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    await see(detail(page, "Ended")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    await see(detail(page, "Duration")).toMatch(/^\d+(\.\d)?(ms|s)$|^\d+m \d\ds$/);
    const { run } = await apiGet("runs/get", { run_id: seed.runs["resnet-baseline"]! });
    await see(detail(page, "User")).toBe(run.info.user_id);
    await see(detail(page, "Source")).toContain("seed.py");
    // The copy button shortens the commit; its tooltip/label holds the whole value.
    await see(detail(page, "Git commit")).toContain(seed.git_commit.slice(0, 8));
    await see(detail(page, "Parent run")).toBe("None");
    await see(detail(page, "Logged models")).toContain("model");
    await see(detail(page, "Registered models")).toContain("vision-classifier v1");
    await ui.shot("run-page", true);

    await ui.goto(runPath("sweep"));
    await see(detail(page, "Child runs")).toContain("sweep-trial-1");
    await see(detail(page, "Child runs")).toContain("sweep-trial-2");
    await detail(page, "Child runs").getByRole("link", { name: "sweep-trial-1" }).click();
    await page.getByRole("heading", { level: 1, name: "sweep-trial-1" }).waitFor();
    expect(ui.route()).toContain(seed.runs["sweep-trial-1"]);
    await see(detail(page, "Parent run")).toBe("sweep");
  });

  test("description (markdown), tags, datasets, params and metrics with last/min/max", async () => {
    await ui.goto(runPath("resnet-baseline"));
    const page = ui.page;
    const description = page.locator("tl-description");
    // Markdown rendered: the bold word is a <strong>, not asterisks.
    await see(description.locator("strong")).toBe("ResNet");
    await see(description).toContain("trained with adam");
    await see(description).not.toContain("**");

    const tags = page.locator("tl-tag-editor").first();
    await see(tags).toContain("priority");
    await see(tags).toContain("high");

    const datasets = page.locator("section", { has: page.getByRole("heading", { name: /^Datasets/ }) });
    const dsText = await textOf(datasets);
    for (const s of ["cifar-mini", "val-split", "training", "validation"]) expect(dsText).toContain(s);

    const params = page.locator("tl-params-table table");
    await seeAll(rowOf(params, "lr").locator("td")).toEqual(["lr", "0.01"]);
    await seeAll(rowOf(params, "optimizer").locator("td")).toEqual(["optimizer", "adam"]);

    const metrics = page.locator("tl-metrics-table table");
    await seeAll(metrics.locator("thead th")).toEqual(["Metric", "Last", "Min", "Max", "Step"]);
    const values = await metricValues(seed.runs["resnet-baseline"]!, "train/loss");
    const row = rowOf(metrics, "train/loss");
    // The cells' tooltips hold the full values: last, min, max of the whole history.
    const titles = async () => row.locator("td").evaluateAll((tds) => tds.map((td) => td.getAttribute("title")));
    const isNumber = (v: string | null | undefined) => v !== null && v !== undefined && v !== "" && !Number.isNaN(+v);
    await expect.poll(async () => (await titles()).slice(1, 4).every(isNumber), { timeout: 15_000 }).toBe(true);
    const [, last, min, max] = (await titles()).map(Number);
    expect(last).toBeCloseTo(values[values.length - 1]!, 9);
    expect(min).toBeCloseTo(Math.min(...values), 9);
    expect(max).toBeCloseTo(Math.max(...values), 9);
    await see(row.locator("td").last()).toBe("199");
  });

  test("metrics and system tabs draw charts", async () => {
    await ui.goto(runPath("resnet-baseline", "?tab=metrics"));
    const page = ui.page;
    await page.locator("canvas").first().waitFor();
    await see(page.getByRole("tab", { selected: true })).toContain("Metrics");
    for (const key of ["train/loss", "val/accuracy"]) await page.getByText(key, { exact: true }).first().waitFor();

    await page.getByRole("tab", { name: /System/ }).click();
    await expect.poll(() => ui.query().get("tab")).toBe("system");
    await page.getByText("system/cpu_utilization_percentage", { exact: true }).first().waitFor();
    await page.locator("canvas").first().waitFor();
    await ui.shot("run-system");
  });

  test("artifacts: tree with sizes, and a preview of every kind", async () => {
    await ui.goto(runPath("resnet-baseline"));
    const page = ui.page;
    await page.getByRole("tab", { name: "Artifacts" }).click();
    const tree = page.getByRole("tree", { name: "Artifacts" });
    const link = (path: string) => tree.locator(`a[title="${path}"]`);
    await link("config.json").waitFor();
    await see(tree).toContain("64 B");
    const preview = page.locator("tl-artifact-preview");

    // JSON, pretty-printed.
    await link("config.json").click();
    await expect.poll(() => ui.query().get("path")).toBe("config.json");
    await see(preview.locator("pre")).toContain('{\n  "model": "resnet18",\n  "optimizer": {\n');

    // CSV and TSV as tables (opened by expanding the folder in the tree).
    await link("data").click();
    await link("data/predictions.csv").click();
    const table = preview.locator("table");
    await seeAll(table.locator("thead th")).toEqual(["#", "id", "label", "score"]);
    await seeAll(table.locator("tbody tr").nth(1).locator("td")).toEqual(["2", "2", "dog", "0.72"]);
    await link("data/predictions.tsv").click();
    await seeAll(table.locator("tbody tr")).toHaveLength(2);
    await seeAll(table.locator("tbody tr").first().locator("td")).toEqual(["1", "1", "cat", "0.91"]);

    // Image: loads (natural size of the seeded 24×16 PNG).
    await link("images").click();
    await link("images/sample.png").click();
    const img = preview.locator('img[alt="sample.png"]');
    await img.waitFor();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(24);
    await ui.shot("run-artifact-image");

    // Text, log and YAML as text.
    await link("notes.txt").click();
    await see(preview.locator("pre")).toContain("plain text preview line 2");
    await link("config.yaml").click();
    await see(preview.locator("pre")).toContain("optimizer:\n  name: adam");
    await link("logs").click();
    await link("logs/train.log").click();
    await see(preview.locator("pre")).toContain("epoch 19 loss=0.0500");

    // A large file: only its first bytes, and the page says so.
    await link("logs/big.log").click();
    await see(preview.getByRole("note")).toMatch(/^Showing the first .* of 1\.1 MB/);
    const shown = await textOf(preview.locator("pre"));
    expect(shown.length).toBeLessThan(1_000_000);
    expect(shown).toContain("large file line for the first-bytes preview");

    // HTML in a sandboxed frame: rendered, and its script did not run.
    await link("report.html").click();
    const frame = preview.locator("iframe");
    await frame.waitFor();
    expect(await frame.getAttribute("sandbox")).toBe("");
    await page.frameLocator("tl-artifact-preview iframe").getByRole("heading", { name: "Evaluation report" }).waitFor();
    expect(await page.title()).not.toBe("html-escaped-sandbox");
    await ui.shot("run-artifact-html");

    // The MLmodel file: flavors and signature.
    await link("model").click();
    await link("model/MLmodel").click();
    const mlmodel = preview.locator("tl-mlmodel-view");
    await see(mlmodel).toContain("python_function");
    const sig = await textOf(mlmodel.locator("table").first());
    expect(sig).toContain("f1");
    expect(sig).toContain("double");
    await ui.shot("run-artifact-mlmodel");
  });

  test("models tab: the run's logged models and registered versions", async () => {
    await ui.goto(runPath("resnet-baseline", "?tab=models"));
    const page = ui.page;
    const models = page.locator("tl-run-models");
    await see(models).toContain("Logged models");
    await see(models).toContain(seed.logged_models["resnet-baseline"]!.slice(0, 10));
    await see(models).toContain("Registered model versions");
    await see(models).toContain("vision-classifier");
  });

  test("register a model from the run's artifacts", async () => {
    await ui.goto(runPath("resnet-baseline", "?tab=artifacts&path=model"));
    const page = ui.page;
    await page.getByRole("button", { name: "Register model" }).first().click();
    await page.getByRole("dialog", { name: "Register model" }).waitFor();
    // The dialog's body is slotted content: scope by the element that renders it, not by the <dialog>.
    const dialog = page.locator("tl-register-model-dialog");
    await see(dialog.locator("form")).toContain(`runs:/${seed.runs["resnet-baseline"]}/model`);
    await dialog.getByLabel("Model name").fill("e2e-registered");
    await dialog.getByRole("button", { name: "Register", exact: true }).click();
    await see(dialog.getByRole("status")).toBe("Registered e2e-registered version 1.");
    await dialog.getByRole("link", { name: "Open version 1 of e2e-registered" }).click();
    await page.getByText("Source run").first().waitFor();
    expect(ui.route()).toBe("/models/e2e-registered/versions/1");
    await see(page.locator("tl-model-version-page")).toContain("resnet-baseline");
  });
});
