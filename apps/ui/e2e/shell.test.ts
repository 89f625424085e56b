import { expect, test } from "vitest";
import { e2eSuite, see, seed } from "./harness.js";

e2eSuite("app frame: theme, command palette, embed mode", (ui) => {
  const theme = () => ui.page.evaluate(() => document.documentElement.dataset.theme);
  const background = () => ui.page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  test("the theme follows the OS, and the switch sets light or dark (kept over a reload)", async () => {
    await ui.newContext({ colorScheme: "dark" });
    await ui.goto("/");
    await expect.poll(theme).toBe("dark");
    await ui.newContext({ colorScheme: "light" });
    await ui.goto("/");
    await expect.poll(theme).toBe("light");
    const lightBg = await background();

    const page = ui.page;
    const button = page.getByRole("button", { name: /^Theme: / });
    // The switch cycles System → Light → Dark.
    for (let i = 0; i < 3 && (await button.getAttribute("aria-label"))?.startsWith("Theme: Dark") !== true; i++) {
      await button.click();
    }
    await see(button).toBe("Dark");
    await expect.poll(theme).toBe("dark");
    expect(await background()).not.toBe(lightBg);
    await page.locator("tl-experiments-page table").waitFor();
    await ui.shot("experiments-dark");
    await page.reload();
    await expect.poll(theme).toBe("dark");

    await button.click();
    await see(button).toBe("System");
    await expect.poll(theme).toBe("light");
  });

  test("Ctrl+K finds runs, experiments and models by name; Enter opens", async () => {
    await ui.newContext();
    await ui.goto("/");
    const page = ui.page;
    await page.locator("tl-experiments-page table").waitFor();
    const input = page.getByRole("combobox", { name: "Search experiments, runs and models" });

    const find = async (text: string, label: string) => {
      await page.keyboard.press("Control+k");
      await input.waitFor();
      await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await input.fill(text);
      await see(page.getByRole("option", { selected: true })).toContain(label);
      await page.keyboard.press("Enter");
      await input.waitFor({ state: "hidden" });
    };

    await find("resnet-wi", "resnet-wide");
    await expect
      .poll(() => ui.route())
      .toBe(`/experiments/${seed.experiments["team/vision"]}/runs/${seed.runs["resnet-wide"]}`);
    await see(page.getByRole("heading", { level: 1, name: "resnet-wide" })).toBe("resnet-wide");
    await ui.shot("command-palette-result");

    await find("vision-class", "vision-classifier");
    await expect.poll(() => ui.route()).toBe("/models/vision-classifier");

    await find("team/nl", "team/nlp");
    await expect.poll(() => ui.route()).toBe(`/experiments/${seed.experiments["team/nlp"]}`);
  });

  test("embed mode: one run card, one chart, or a page with ?embed=1, without the app's header", async () => {
    await ui.newContext();
    const page = ui.page;
    // The app's header: the one with the product link (pages have headers of their own).
    const header = page.locator("tl-app header", { has: page.getByRole("link", { name: "tracklite", exact: true }) });
    const runId = seed.runs["resnet-baseline"]!;

    await ui.goto(`/embed/run/${runId}`);
    const card = page.getByRole("article", { name: "Run resnet-baseline" });
    await see(card).toContain("Parameters");
    await see(card).toContain("optimizer");
    await see(card).toContain("Metrics");
    await see(card).toContain("train/loss");
    expect(await header.count()).toBe(0);
    await ui.shot("embed-run");

    const runs = `${runId},${seed.runs["resnet-wide"]}`;
    await ui.goto(`/embed/chart?runs=${runs}&key=train/loss`);
    await page.locator("tl-embed-chart canvas").first().waitFor();
    await see(page.locator("tl-embed-chart")).toContain("resnet-wide");
    expect(await header.count()).toBe(0);
    await ui.shot("embed-chart");

    await ui.goto(`/experiments/${seed.experiments["team/vision"]}?embed=1`);
    await page.getByRole("grid", { name: "Runs" }).waitFor();
    expect(await header.count()).toBe(0);

    // Without embed, the same page has the header.
    await ui.goto(`/experiments/${seed.experiments["team/vision"]}`);
    await page.getByRole("grid", { name: "Runs" }).waitFor();
    await see(header).toContain("Experiments");
  });
});
