/**
 * Issue 15, models-ui: the runs table's Models column shows registered names and versions as links, the run page's
 * Models tab shows aliases, a logged model has a page of its own, and the version list has tags and "compare
 * versions". Data: seed.py's `seed_models_ui` (experiment `models-ui/wine`).
 */
import type { Locator } from "playwright-core";
import { expect, test } from "vitest";
import { apiGet, apiPost } from "./api.js";
import { e2eSuite, see, seeAll, seed, textOf } from "./harness.js";

interface ModelsUiSeed {
  experiment: string;
  runs: Record<"wine-rf-shallow" | "wine-rf-deep" | "wine-unregistered", string>;
  logged_models: Record<"wine-rf-shallow" | "wine-rf-deep" | "wine-unregistered", string>;
  versions: Record<"wine-rf-shallow" | "wine-rf-deep", string>;
}
const mu = (seed as unknown as { models_ui: ModelsUiSeed }).models_ui;

/** The cells of a table's row whose first cell (or any cell) has `text`, as texts. */
const rowTexts = (table: Locator, text: string) =>
  table.locator("tbody tr").filter({ hasText: text }).first().locator("td").allInnerTexts();

e2eSuite("models-ui: registered versions, aliases, logged model page, compare versions", (ui) => {
  const grid = () => ui.page.getByRole("grid", { name: "Runs" });
  const row = (name: string) =>
    grid().locator("[role=row]", { has: ui.page.getByRole("checkbox", { name: `Select run ${name}`, exact: true }) });
  const modelsCell = (name: string) => row(name).locator(".cell.models");

  test("runs table: the Models column shows `name vN` links to the version, unregistered models by name", async () => {
    await ui.goto(`/experiments/${mu.experiment}`);
    const page = ui.page;
    await see(modelsCell("wine-rf-deep")).toBe(`wine-classifier v${mu.versions["wine-rf-deep"]}`);
    await see(modelsCell("wine-rf-shallow")).toBe(`wine-classifier v${mu.versions["wine-rf-shallow"]}`);
    await see(modelsCell("wine-unregistered")).toBe("unregistered-model");
    // The ids are no longer what the cell shows.
    expect(await textOf(row("wine-rf-deep"))).not.toContain(mu.logged_models["wine-rf-deep"].slice(0, 10));
    const deepLink = modelsCell("wine-rf-deep").getByRole("link");
    expect(await deepLink.getAttribute("href")).toBe(
      `#/models/wine-classifier/versions/${mu.versions["wine-rf-deep"]}`,
    );
    expect(await modelsCell("wine-unregistered").getByRole("link").getAttribute("href")).toBe(
      `#/experiments/${mu.experiment}/models/${mu.logged_models["wine-unregistered"]}`,
    );
    await ui.shot("models-ui-runs-table");

    await deepLink.click();
    await expect.poll(() => ui.route()).toBe(`/models/wine-classifier/versions/${mu.versions["wine-rf-deep"]}`);
    await see(page.getByRole("heading", { level: 1 })).toBe(`wine-classifier · Version ${mu.versions["wine-rf-deep"]}`);
    // The version names the logged model it was made from, linked to its page.
    const logged = page.locator('tl-model-version-page dl > dt:text-is("Logged model") + dd');
    await see(logged).toContain(`wine-model ${mu.logged_models["wine-rf-deep"]}`);
    expect(await logged.getByRole("link", { name: "wine-model" }).getAttribute("href")).toBe(
      `#/experiments/${mu.experiment}/models/${mu.logged_models["wine-rf-deep"]}`,
    );
  });

  test("Refresh reads the Models cells again: a version registered since shows", async () => {
    await ui.goto(`/experiments/${mu.experiment}`);
    await see(modelsCell("wine-unregistered")).toBe("unregistered-model");
    await apiPost("registered-models/create", { name: "wine-refresh" });
    await apiPost("model-versions/create", {
      name: "wine-refresh",
      source: `models:/${mu.logged_models["wine-unregistered"]}`,
      run_id: mu.runs["wine-unregistered"],
      model_id: mu.logged_models["wine-unregistered"],
    });
    await ui.page.getByRole("button", { name: "Refresh runs" }).click();
    // Registered from that logged model: the version replaces the model's own link.
    await see(modelsCell("wine-unregistered")).toBe("wine-refresh v1");
  });

  test("run page Models tab: aliases of the registered versions and what each logged model is registered as", async () => {
    await ui.goto(`/experiments/${mu.experiment}/runs/${mu.runs["wine-rf-deep"]}?tab=models`);
    const models = ui.page.locator("tl-run-models");
    const versions = models.getByRole("table").nth(1);
    await see(versions.locator("tbody tr")).toContain("@champion");
    expect((await rowTexts(versions, "wine-classifier")).slice(0, 3)).toEqual([
      "wine-classifier",
      `Version ${mu.versions["wine-rf-deep"]}`,
      "@champion",
    ]);
    const logged = models.getByRole("table").first();
    await see(logged.locator("tbody tr")).toContain(`wine-classifier v${mu.versions["wine-rf-deep"]}`);
    expect(await logged.getByRole("link", { name: "wine-model" }).getAttribute("href")).toBe(
      `#/experiments/${mu.experiment}/models/${mu.logged_models["wine-rf-deep"]}`,
    );
    await ui.shot("models-ui-run-models-tab");

    await ui.goto(`/experiments/${mu.experiment}/runs/${mu.runs["wine-rf-shallow"]}?tab=models`);
    await see(ui.page.locator("tl-run-models").getByRole("table").nth(1).locator("tbody tr")).toContain("@challenger");
  });

  test("logged model page: details, registered versions with aliases, metrics, params, tags", async () => {
    const modelId = mu.logged_models["wine-rf-deep"];
    // Reached from the experiment's Models tab.
    await ui.goto(`/experiments/${mu.experiment}?tab=models`);
    const page = ui.page;
    const list = page.locator("tl-experiment-models table");
    await see(list.locator("tbody")).toContain("unregistered-model");
    const deepRow = list.locator("tbody tr").filter({ hasText: modelId.slice(0, 12) });
    await see(deepRow).toContain(`wine-classifier v${mu.versions["wine-rf-deep"]}`);
    await deepRow.getByRole("link", { name: "wine-model" }).click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${mu.experiment}/models/${modelId}`);

    const main = page.locator("tl-logged-model-page");
    await see(page.getByRole("heading", { level: 1 })).toBe("wine-model");
    const dd = (term: string) => main.locator(`dl > dt:text-is("${term}") + dd`);
    await see(dd("Model ID")).toContain(modelId);
    await see(dd("Status")).toContain("Ready");
    await see(dd("Type")).toBe("classifier");
    await see(dd("Source run")).toBe("wine-rf-deep");
    expect(await dd("Source run").getByRole("link").getAttribute("href")).toBe(
      `#/experiments/${mu.experiment}/runs/${mu.runs["wine-rf-deep"]}`,
    );
    expect(await dd("Files").getByRole("link").getAttribute("href")).toBe(
      `#/experiments/${mu.experiment}/runs/${mu.runs["wine-rf-deep"]}?tab=artifacts&src=${modelId}`,
    );

    const versions = main.getByRole("table", { name: "Registered versions" });
    await see(versions.locator("tbody")).toContain("@champion");
    expect(await rowTexts(versions, "wine-classifier")).toEqual([
      "wine-classifier",
      `Version ${mu.versions["wine-rf-deep"]}`,
      "@champion",
      "None",
      expect.any(String),
    ]);

    const metrics = main.getByRole("table", { name: "Metrics" });
    await see(metrics.locator("tbody")).toContain("accuracy");
    expect(await rowTexts(metrics, "accuracy")).toEqual(["accuracy", "0.947", "0", "—"]);
    expect(await rowTexts(metrics, "f1")).toEqual(["f1", "0.927", "0", "—"]);

    const params = main.getByRole("table", { name: "Parameters" });
    expect(await rowTexts(params, "max_depth")).toEqual(["max_depth", "12"]);
    expect(await rowTexts(params, "criterion")).toEqual(["criterion", "gini"]);
    const tags = main.getByRole("table", { name: "Tags" });
    expect(await rowTexts(tags, "framework")).toEqual(["framework", "sklearn"]);
    // The registrations tag is shown as the versions above, not as a raw tag.
    expect(await textOf(tags)).not.toContain("mlflow.modelVersions");
    await ui.shot("models-ui-logged-model");

    // The same path as MLflow's UI; a model that does not exist says so.
    await ui.goto(`/experiments/${mu.experiment}/models/m-00000000000000000000000000000000`);
    await see(page.locator("tl-logged-model-page tl-error")).toContain("RESOURCE_DOES_NOT_EXIST");
  });

  test("version list: a tags column; pick two versions and compare them side by side", async () => {
    const [v1, v2] = [mu.versions["wine-rf-shallow"], mu.versions["wine-rf-deep"]];
    await ui.goto("/models/wine-classifier");
    const page = ui.page;
    const table = page.locator("tl-versions-table table");
    await seeAll(table.locator("thead th")).toEqual([
      "Compare",
      "Version",
      "Stage",
      "Aliases",
      "Tags",
      "Created",
      "Source run",
      "Status",
      "Description",
    ]);
    const v = (n: string) =>
      table.locator("tbody tr").filter({ has: page.getByRole("link", { name: `Version ${n}`, exact: true }) });
    await see(v(v2).locator("td.tags")).toBe("framework: sklearn validation: passed");
    await see(v(v1).locator("td.tags")).toBe("framework: sklearn validation: pending");
    await see(v(v2)).toContain("@champion");
    await see(v(v1)).toContain("@challenger");

    const versions = page.locator("tl-versions-table");
    await expect.poll(() => versions.getByRole("button", { name: "Compare versions" }).isDisabled()).toBe(true);
    await page.getByRole("checkbox", { name: `Compare version ${v1}` }).check();
    await page.getByRole("checkbox", { name: `Compare version ${v2}` }).check();
    await ui.shot("models-ui-versions");
    await versions.getByRole("link", { name: "Compare 2 versions" }).click();
    await expect.poll(() => ui.route()).toBe(`/models/wine-classifier/compare?versions=${v1},${v2}`);

    await see(page.getByRole("heading", { level: 1 })).toBe("Compare 2 versions of wine-classifier");
    const cmp = page.locator("tl-compare-versions-page table");
    await seeAll(cmp.locator("thead th")).toEqual(["Field", `Version ${v1} @challenger`, `Version ${v2} @champion`]);
    const values = (key: string) =>
      cmp
        .locator("tbody tr")
        .filter({ has: page.locator(`td.key:text-is("${key}")`) })
        .first()
        .locator("td")
        .allInnerTexts();
    await expect.poll(() => values("max_depth")).toEqual(["max_depth", "4", "12"]);
    expect(await values("n_estimators")).toEqual(["n_estimators", "100", "100"]);
    expect(await values("accuracy")).toEqual(["accuracy", "0.912", "0.947"]);
    expect(await values("validation")).toEqual(["validation", "pending", "passed"]);
    expect(await values("Source run")).toEqual(["Source run", "wine-rf-shallow", "wine-rf-deep"]);
    await expect
      .poll(() => values("inputs"))
      .toEqual(["inputs", "alcohol: double, acidity: double", "alcohol: double, acidity: double"]);
    // Rows whose values differ are marked.
    const marked = await cmp.locator("tbody tr.differs td.key").allInnerTexts();
    expect(marked).toEqual(expect.arrayContaining(["max_depth", "accuracy", "validation", "Aliases"]));
    expect(marked).not.toContain("n_estimators");
    await ui.shot("models-ui-compare-versions");

    await page.getByRole("checkbox", { name: "Only differences" }).check();
    await expect.poll(() => ui.query().get("diff")).toBe("1");
    await expect.poll(() => cmp.locator("td.key").allInnerTexts()).not.toContain("n_estimators");
    expect(await cmp.locator("td.key").allInnerTexts()).toContain("max_depth");

    // The values shown are the server's.
    const run = await apiGet("runs/get", { run_id: mu.runs["wine-rf-deep"] });
    const acc = run.run.data.metrics.find((m: { key: string }) => m.key === "accuracy");
    expect(acc.value).toBe(0.947);
  });
});
