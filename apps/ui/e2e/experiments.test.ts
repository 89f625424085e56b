import { expect, test } from "vitest";
import { apiGet } from "./api.js";
import { e2eSuite, see, seed } from "./harness.js";

e2eSuite("experiments list", (ui) => {
  const table = () => ui.page.getByRole("table", { name: "Experiments" });
  /** An experiment's link in the list (its title is the full name; the text may be the leaf of a folder). */
  const link = (name: string) => table().locator(`a[title="${name}"]`);

  test("lists experiments with `/` names as folders", async () => {
    await ui.goto("/");
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toBe("Experiments");
    await see(link("team/vision")).toBe("vision");
    await see(link("team/nlp")).toBe("nlp");
    await see(link("sandbox")).toBe("sandbox");
    expect(await link("team/vision").getAttribute("href")).toBe(`#/experiments/${seed.experiments["team/vision"]}`);
    const folder = page.getByRole("button", { name: "Collapse folder team" });
    await see(table().locator("tr", { has: folder })).toBe("team 2");
    await ui.shot("experiments");

    // Folding the folder hides its experiments, and unfolding shows them again.
    await folder.click();
    await link("team/vision").waitFor({ state: "detached" });
    expect(await link("sandbox").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Expand folder team" }).click();
    await link("team/vision").waitFor();
  });

  test("search narrows the list and lives in the URL", async () => {
    await ui.goto("/");
    const page = ui.page;
    await link("sandbox").waitFor();
    await page.getByRole("searchbox", { name: "Search experiments" }).fill("visi");
    await expect.poll(() => ui.query().get("q")).toBe("visi");
    await link("sandbox").waitFor({ state: "detached" });
    expect(await link("team/vision").isVisible()).toBe(true);
    expect(await link("team/nlp").count()).toBe(0);

    await page.reload();
    await link("team/vision").waitFor();
    expect(await page.getByRole("searchbox", { name: "Search experiments" }).inputValue()).toBe("visi");
    expect(await link("sandbox").count()).toBe(0);
  });

  test("details show the description and tags", async () => {
    await ui.goto("/");
    const page = ui.page;
    await page.getByRole("button", { name: "Details of team/vision" }).click();
    const details = table().locator("tr.details");
    await see(details).toContain("Image classifiers on CIFAR-mini.");
    await see(details.locator("tl-description strong")).toBe("CIFAR-mini");
    await see(details.locator("tl-tag-editor")).toContain("owner");
    await see(details.locator("tl-tag-editor")).toContain("vision-team");
    expect(ui.query().get("open")).toBe(seed.experiments["team/vision"]);
  });

  test("create, rename, delete and restore", async () => {
    await ui.goto("/");
    const page = ui.page;
    await link("sandbox").waitFor();

    await page.getByRole("button", { name: "New experiment" }).click();
    await page.getByRole("dialog", { name: "New experiment" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("e2e-lab/created");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await see(link("e2e-lab/created")).toBe("created");
    await page.getByRole("button", { name: "Collapse folder e2e-lab" }).waitFor();
    const { experiment } = await apiGet("experiments/get-by-name", { experiment_name: "e2e-lab/created" });
    const id: string = experiment.experiment_id;

    await page.getByRole("button", { name: "Rename e2e-lab/created" }).click();
    await page.getByRole("dialog", { name: "Rename experiment" }).waitFor();
    await page.getByLabel("New name", { exact: true }).fill("e2e-lab/renamed");
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    await see(link("e2e-lab/renamed")).toBe("renamed");
    expect(await link("e2e-lab/created").count()).toBe(0);
    expect((await apiGet("experiments/get", { experiment_id: id })).experiment.name).toBe("e2e-lab/renamed");

    await page.getByRole("button", { name: "Delete e2e-lab/renamed" }).click();
    await see(page.locator("tl-experiments-page form#experiment-form")).toContain("Delete e2e-lab/renamed?");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await link("e2e-lab/renamed").waitFor({ state: "detached" });
    expect((await apiGet("experiments/get", { experiment_id: id })).experiment.lifecycle_stage).toBe("deleted");

    await page.getByRole("button", { name: "Deleted", exact: true }).click();
    await expect.poll(() => ui.query().get("view")).toBe("deleted");
    const row = table().locator("tr", { has: page.locator('a[title="e2e-lab/renamed"]') });
    await see(row).toContain("Deleted");
    await page.getByRole("button", { name: "Restore e2e-lab/renamed" }).click();
    await link("e2e-lab/renamed").waitFor({ state: "detached" });
    expect((await apiGet("experiments/get", { experiment_id: id })).experiment.lifecycle_stage).toBe("active");

    await page.getByRole("button", { name: "Active", exact: true }).click();
    await see(link("e2e-lab/renamed")).toBe("renamed");
  });
});
