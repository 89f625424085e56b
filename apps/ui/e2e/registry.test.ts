import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { apiGet } from "./api.js";
import { e2eSuite, see, seeAll, seed } from "./harness.js";

/** The value (<dd>) of a version page's detail (<dt>). */
const dd = (page: Page, term: string) => page.locator(`tl-model-version-page dl > dt:text-is("${term}") + dd`);

e2eSuite("model registry", (ui) => {
  test("models list: versions, aliases, tags, description; search; prompts apart", async () => {
    await ui.goto("/models");
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toBe("Models");
    const table = page.locator("tl-models-page table");
    await seeAll(table.locator("thead th")).toEqual([
      "Name ↑",
      "Latest version",
      "Aliases",
      "Tags",
      "Last modified",
      "Description",
    ]);
    const row = table.locator("tbody tr", { has: page.getByRole("link", { name: "vision-classifier", exact: true }) });
    await see(row).toContain("Version 2");
    await see(row).toContain("@champion: v2");
    await see(row).toContain("task: vision");
    await see(row).toContain("Classifies CIFAR-mini images.");
    const names = () => table.locator("tbody tr td:first-child").allInnerTexts();
    expect(await names()).toContain("nlp-sentiment");
    expect(await names()).not.toContain("summarize-prompt");
    await ui.shot("models");

    await page.getByRole("searchbox", { name: "Search models by name" }).fill("nlp");
    await expect.poll(() => ui.query().get("q")).toBe("nlp");
    await expect.poll(names).toEqual(["nlp-sentiment"]);

    // Prompts have their own page; the models list never shows them.
    await page.getByRole("searchbox", { name: "Search models by name" }).fill("summarize");
    await expect.poll(() => ui.query().get("q")).toBe("summarize");
    await see(page.locator("tl-models-page .empty")).toContain("No models match");
  });

  test("model page: description, versions with stage and source run, aliases, tags; set an alias", async () => {
    await ui.goto("/models/vision-classifier");
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toBe("vision-classifier");
    const main = page.locator("tl-model-page");
    await see(main.locator("tl-description strong")).toBe("CIFAR-mini");
    const versions = page.locator("tl-versions-table table");
    await seeAll(versions.locator("thead th")).toEqual([
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
      versions.locator("tbody tr").filter({ has: page.getByRole("link", { name: `Version ${n}`, exact: true }) });
    await see(v("1")).toContain("Production");
    await see(v("1")).toContain("resnet-baseline");
    await see(v("2")).toContain("@champion");
    await see(v("2")).toContain("resnet-wide");
    await see(v("2")).toContain("Wider network, sgd.");
    const aliases = main.locator("tl-alias-editor");
    await see(aliases).toContain("@champion Version 2");
    await see(main.locator("tl-tag-editor")).toContain("task");
    await ui.shot("model");

    await aliases.getByRole("button", { name: "Add alias" }).click();
    await aliases.getByLabel("Alias", { exact: true }).fill("e2e-candidate");
    await aliases.getByLabel("Version", { exact: true }).selectOption("1");
    await aliases.getByRole("button", { name: "Set alias" }).click();
    await see(aliases).toContain("@e2e-candidate Version 1");
    await expect
      .poll(
        async () =>
          (await apiGet("registered-models/alias", { name: "vision-classifier", alias: "e2e-candidate" })).model_version
            .version,
      )
      .toBe("1");

    await v("1").getByRole("link", { name: "Version 1", exact: true }).click();
    await expect.poll(() => ui.route()).toBe("/models/vision-classifier/versions/1");
  });

  test("version page: source run, stage, aliases, tags, signature; change the stage", async () => {
    await ui.goto("/models/vision-classifier/versions/2");
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toBe("vision-classifier · Version 2");
    await see(dd(page, "Source run")).toBe("resnet-wide");
    expect(await dd(page, "Source run").getByRole("link").getAttribute("href")).toBe(
      `#/experiments/${seed.experiments["team/vision"]}/runs/${seed.runs["resnet-wide"]}`,
    );
    await see(dd(page, "Source")).toContain(`/${seed.runs["resnet-wide"]}/artifacts/model`);
    await see(dd(page, "Status")).toContain("Ready");
    expect(await page.getByRole("combobox", { name: "Stage" }).inputValue()).toBe("None");
    await see(page.locator("tl-model-version-page tl-alias-editor")).toContain("@champion");
    await see(page.locator("tl-model-version-page tl-description")).toContain("Wider network, sgd.");
    // The signature of the MLmodel the version points at.
    const mlmodel = page.locator("tl-version-mlmodel");
    await see(mlmodel).toContain("Signature");
    await see(mlmodel).toContain("f1 double");
    await see(mlmodel).toContain("f2 double");
    await ui.shot("model-version");

    await page.getByRole("combobox", { name: "Stage" }).selectOption("Staging");
    await page.getByRole("button", { name: "Transition" }).click();
    await expect
      .poll(
        async () =>
          (await apiGet("model-versions/get", { name: "vision-classifier", version: "2" })).model_version.current_stage,
      )
      .toBe("Staging");

    await ui.goto("/models/vision-classifier/versions/1");
    expect(await page.getByRole("combobox", { name: "Stage" }).inputValue()).toBe("Production");
    await see(page.locator("tl-model-version-page tl-tag-editor")).toContain("validated");
  });
});
