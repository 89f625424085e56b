import { expect, test } from "vitest";
import type { Seed } from "./context.js";
import { e2eSuite, see, seed, textOf } from "./harness.js";

/** What seed.py's seed_chart_builder adds: the experiment "charts/builder" and its four runs. */
const cb = () => (seed as Seed & { chart_builder: { experiment: string; runs: Record<string, string> } }).chart_builder;

e2eSuite("charts: bars for single values, the chart builder, search, settings, full screen, reorder", (ui) => {
  const charts = () => `/experiments/${cb().experiment}?tab=charts`;
  const card = (key: string) => ui.page.locator(`tl-chart-card[data-key="${key}"]`);
  /** The keys of the cards of a section, in the order shown. */
  const keysOf = (section: string) =>
    ui.page.evaluate((title) => {
      const find = (root: Document | ShadowRoot): ShadowRoot | null | undefined => {
        const hit = root.querySelector("tl-chart-grid");
        if (hit) return hit.shadowRoot;
        for (const el of root.querySelectorAll("*")) {
          const inner = el.shadowRoot && find(el.shadowRoot);
          if (inner) return inner;
        }
        return undefined;
      };
      const grid = find(document);
      const sec = [...(grid?.querySelectorAll("section") ?? [])].find((s) =>
        s.querySelector(".sec-head")?.textContent?.includes(title),
      );
      return [...(sec?.querySelectorAll("tl-chart-card") ?? [])].map((c) => (c as HTMLElement).dataset.key);
    }, section);
  const board = () => JSON.parse(ui.query().get("cb") ?? "{}");

  test("a metric logged once per run is a bar chart with the value on each bar, switchable to a line", async () => {
    await ui.goto(charts());
    const acc = card("accuracy");
    await see(acc.locator("tl-bar-chart svg")).toContain("cb-gamma");
    const text = await textOf(acc.locator("tl-bar-chart svg"));
    for (const v of ["0.81", "0.86", "0.91", "0.88", "cb-alpha", "cb-beta", "cb-delta"]) expect(text).toContain(v);
    expect(await acc.locator("tl-bar-chart rect").count()).toBe(4);
    await see(card("f1").locator("tl-bar-chart svg")).toContain("0.9");
    // The loss has 20 steps: a line chart.
    await card("loss").locator("tl-metric-chart canvas").first().waitFor();
    expect(await card("loss").locator("tl-bar-chart").count()).toBe(0);
    await ui.shot("chart-builder-bars");

    await ui.page.getByRole("button", { name: "Show accuracy as a line" }).click();
    await expect.poll(() => board().o?.accuracy).toEqual({ k: "line" });
    await acc.locator("tl-metric-chart canvas").first().waitFor();
    await see(acc.locator("tl-chart-legend")).toContain("cb-gamma");
    await ui.page.reload();
    await acc.locator("tl-metric-chart canvas").first().waitFor();
    await ui.page.getByRole("button", { name: "Show accuracy as bars" }).click();
    await acc.locator("tl-bar-chart rect").first().waitFor();
    expect(board().o?.accuracy).toEqual({ k: "bar" });
  });

  test("Add chart: scatter, contour, parallel coordinates and difference view, saved in the link", async () => {
    await ui.goto(charts());
    const page = ui.page;
    const add = async (kind: string, fill?: (d: ReturnType<typeof page.getByRole>) => Promise<void>) => {
      await page.getByRole("button", { name: "Add chart" }).click();
      const dialog = page.getByRole("dialog", { name: "Add chart" });
      await dialog.getByRole("button", { name: kind }).click();
      await fill?.(dialog);
      await dialog.getByRole("button", { name: "Add chart" }).click();
      await dialog.waitFor({ state: "detached" });
    };
    await add("Scatter chart", async (d) => {
      await d.getByRole("combobox", { name: "X axis" }).selectOption("p:lr");
      await d.getByRole("combobox", { name: "Y axis" }).selectOption("m:accuracy");
      // The dialog previews the chart before it is added.
      await d.locator(".preview tl-scatter-plot circle").first().waitFor();
      expect(await d.locator(".preview tl-scatter-plot circle").count()).toBe(4);
      await ui.shot("chart-builder-dialog");
    });
    await expect.poll(() => board().c).toEqual([{ i: "c1", k: "scatter", c: ["p:lr", "m:accuracy"] }]);
    const scatter = card("c1");
    await scatter.locator("tl-scatter-plot circle").first().waitFor();
    expect(await scatter.locator("tl-scatter-plot circle").count()).toBe(4);
    await see(scatter.locator(".title")).toBe("accuracy vs lr");
    await see(scatter.locator("tl-scatter-plot svg")).toContain("cb-gamma");

    await add("Contour chart", async (d) => {
      await d.getByRole("combobox", { name: "X axis" }).selectOption("p:lr");
      await d.getByRole("combobox", { name: "Y axis" }).selectOption("p:depth");
      await d.getByRole("combobox", { name: "Z (colour)" }).selectOption("m:accuracy");
    });
    const contour = card("c2");
    await contour.locator("tl-contour-plot svg").waitFor();
    expect(await contour.locator("tl-contour-plot circle").count()).toBe(4);
    await see(contour.locator("tl-contour-plot svg")).toContain("0.91");
    await see(contour.locator(".title")).toBe("accuracy over lr × depth");

    // Parallel coordinates start with the params that vary and the metrics.
    await add("Parallel coordinates");
    expect(board().c[2]).toEqual({ i: "c3", k: "parallel", c: ["p:depth", "p:lr", "m:accuracy", "m:f1", "m:loss"] });
    await card("c3").locator("tl-parallel-coords path.run").first().waitFor();
    expect(await card("c3").locator("tl-parallel-coords path.run").count()).toBe(4);

    await add("Difference view", async (d) => {
      await d.getByRole("checkbox", { name: "Differences only" }).check();
    });
    const diff = card("c4").locator("tl-difference-view");
    await see(diff.locator("thead")).toContain("(baseline)");
    // Runs are newest first: cb-delta is the baseline; cb-gamma's accuracy is 0.03 above it.
    await see(diff.locator("thead th").nth(1)).toBe("cb-delta (baseline)");
    const accRow = diff.locator("tr", { has: page.locator("td.key", { hasText: /^accuracy$/ }) });
    await see(accRow).toContain("0.91 +0.03 (+3.41%)");
    expect(await textOf(diff)).not.toContain("optimizer");
    await diff.getByRole("combobox", { name: "Baseline run" }).selectOption({ label: "cb-alpha" });
    await expect.poll(() => board().c[3]?.b).toBe(cb().runs["cb-alpha"]);
    await see(diff.locator("thead th").nth(1)).toBe("cb-alpha (baseline)");
    await see(accRow).toContain("0.91 +0.1 (+12.3%)");
    await card("c4").scrollIntoViewIfNeeded();
    await ui.shot("chart-builder-difference");
    await card("c1").scrollIntoViewIfNeeded();
    await ui.shot("chart-builder-added");

    // The link reproduces the view in a fresh page.
    const link = ui.route();
    await ui.newContext();
    await ui.goto(link);
    await card("c1").locator("tl-scatter-plot circle").first().waitFor();
    await see(card("c4").locator("tl-difference-view thead th").nth(1)).toBe("cb-alpha (baseline)");
    expect(await keysOf("Added charts")).toEqual(["c1", "c2", "c3", "c4"]);

    // Settings of an added chart, and removing one.
    await page_(ui).getByRole("button", { name: "Settings of accuracy vs lr" }).click();
    const dialog = page_(ui).getByRole("dialog", { name: "Chart settings" });
    await dialog.getByRole("combobox", { name: "Y axis" }).selectOption("m:f1");
    await dialog.getByRole("button", { name: "Save" }).click();
    await see(card("c1").locator(".title")).toBe("f1 vs lr");
    await page_(ui).getByRole("button", { name: "Remove f1 vs lr" }).click();
    await card("c1").waitFor({ state: "detached" });
    expect(board().c.map((c: { i: string }) => c.i)).toEqual(["c2", "c3", "c4"]);
  });

  test("Add chart: an image grid (the image-grid area's panel), its step kept in the link", async () => {
    await ui.goto(charts());
    const page = ui.page;
    await page.getByRole("button", { name: "Add chart" }).click();
    const dialog = page.getByRole("dialog", { name: "Add chart" });
    await dialog.getByRole("button", { name: "Image grid" }).click();
    await see(dialog).toContain("mlflow.log_image");
    await dialog.getByRole("button", { name: "Add chart" }).click();
    await expect.poll(() => board().c).toEqual([{ i: "c1", k: "images" }]);
    const grid = card("c1");
    await see(grid.locator(".title")).toBe("Image grid");
    // cb-alpha and cb-beta logged `samples` at steps 0 and 5.
    await grid.locator("tl-image-grid img").first().waitFor();
    await see(grid.locator("tl-image-grid")).toContain("cb-alpha");
    await see(grid.locator("tl-image-grid")).toContain("cb-beta");
    // The grid's view (here the step slider) is kept in the chart, so the link reproduces it.
    await grid.locator('tl-image-grid input[type="range"]').fill("0");
    await expect.poll(() => board().c[0]?.v?.step).toBe(0);
    await page.reload();
    await see(card("c1").locator("tl-image-grid")).toContain("Step 0");
    await ui.shot("chart-builder-images");
  });

  test("chart search filters the cards by key and lives in the URL", async () => {
    await ui.goto(charts());
    const search = ui.page.getByRole("searchbox", { name: "Search charts" });
    await card("loss").waitFor();
    await search.fill("acc");
    await expect.poll(() => ui.query().get("cq")).toBe("acc");
    await card("loss").waitFor({ state: "detached" });
    expect(await keysOf("Metrics")).toEqual(["accuracy"]);
    await see(ui.page.locator("tl-chart-grid .matches")).toBe("1 of 3 charts match “acc”");
    await ui.shot("chart-builder-search");
    await ui.page.reload();
    await card("accuracy").waitFor();
    expect(await search.inputValue()).toBe("acc");
    await search.fill("");
    await card("loss").waitFor();
  });

  test("per-chart settings, full screen and drag to reorder", async () => {
    await ui.goto(charts());
    const page = ui.page;
    await card("loss").locator("tl-metric-chart canvas").first().waitFor();
    await page.getByRole("button", { name: "Settings of loss" }).click();
    const dialog = page.getByRole("dialog", { name: "Chart settings" });
    await dialog.getByRole("combobox", { name: "Chart y axis" }).selectOption("log");
    await dialog.getByRole("combobox", { name: "Chart x axis" }).selectOption("relative");
    await dialog.locator(".preview tl-metric-chart canvas").first().waitFor();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => board().o?.loss).toEqual({ k: "line", x: "relative", log: true });
    await see(card("loss").locator("tl-chart-legend")).toContain("Latest values");
    // The page's own settings are untouched.
    expect(ui.query().get("clog")).toBeNull();

    await page.getByRole("button", { name: "Full screen loss" }).click();
    await expect.poll(() => card("loss").evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(1100);
    await expect
      .poll(() =>
        card("loss")
          .locator("tl-metric-chart .plot")
          .evaluate((el) => el.getBoundingClientRect().height),
      )
      .toBeGreaterThan(400);
    await ui.shot("chart-builder-fullscreen");
    await page.keyboard.press("Escape");
    await expect.poll(() => card("loss").evaluate((el) => el.getBoundingClientRect().width)).toBeLessThan(1100);

    expect(await keysOf("Metrics")).toEqual(["accuracy", "f1", "loss"]);
    await card("loss").locator(".grip").dragTo(card("accuracy"));
    await expect.poll(() => keysOf("Metrics")).toEqual(["loss", "accuracy", "f1"]);
    expect(board().r).toEqual(["loss", "accuracy"]);
    await page.reload();
    await card("loss").waitFor();
    expect(await keysOf("Metrics")).toEqual(["loss", "accuracy", "f1"]);
    await ui.shot("chart-builder-reordered");

    // The keyboard moves a card too: the handle takes the focus, arrow keys move it, the focus stays with it.
    await page.getByRole("button", { name: "Move loss: drag, or arrow keys" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => keysOf("Metrics")).toEqual(["accuracy", "loss", "f1"]);
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => keysOf("Metrics")).toEqual(["accuracy", "f1", "loss"]);
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => keysOf("Metrics")).toEqual(["accuracy", "loss", "f1"]);
  });

  test("the run page and the compare page have the same board: bars, Add chart, kept in their URL", async () => {
    const runs = cb().runs;
    await ui.goto(`/experiments/${cb().experiment}/runs/${runs["cb-gamma"]}?tab=metrics`);
    const page = ui.page;
    await see(card("accuracy").locator("tl-bar-chart svg")).toContain("0.91");
    expect(await card("accuracy").locator("tl-bar-chart rect").count()).toBe(1);
    await page.getByRole("button", { name: "Add chart" }).click();
    const dialog = page.getByRole("dialog", { name: "Add chart" });
    await dialog.getByRole("button", { name: "Bar chart" }).click();
    await dialog.getByRole("combobox", { name: "Metric" }).fill("loss");
    await dialog.getByRole("combobox", { name: "Metric" }).press("Tab");
    await dialog.getByRole("button", { name: "Add chart" }).click();
    await expect.poll(() => board().c).toEqual([{ i: "c1", k: "bar", m: ["loss"] }]);
    // loss's last value for cb-gamma: 1 / (1 + 19 · 0.03 · 10) + 0.09.
    await see(card("c1").locator("tl-bar-chart svg")).toContain(
      String(Number((1 / (1 + 19 * 0.3) + 0.09).toPrecision(6))),
    );
    await ui.shot("chart-builder-run-page");

    await ui.goto(`/compare?runs=${[runs["cb-alpha"], runs["cb-gamma"]].join(",")}`);
    await see(card("f1").locator("tl-bar-chart svg")).toContain("0.78");
    await see(card("f1").locator("tl-bar-chart svg")).toContain("0.9");
  });
});

/** The page of a Ui (after newContext the page object changes). */
const page_ = (ui: { page: import("playwright-core").Page }) => ui.page;
