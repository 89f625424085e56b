import { expect, test } from "vitest";
import { e2eSuite, see, seed, textOf } from "./harness.js";

e2eSuite("experiment page: charts", (ui) => {
  const exp = () => seed.experiments["team/vision"]!;
  /** The chart of one metric. */
  const chart = (key: string) =>
    ui.page.locator("tl-metric-chart", { has: ui.page.locator(".title", { hasText: new RegExp(`^${key}$`) }) });
  const section = (title: string) => ui.page.locator("tl-metric-charts button.sec-head", { hasText: title });

  test("one chart per metric, in sections by prefix, drawn as they scroll into view", async () => {
    await ui.goto(`/experiments/${exp()}?tab=charts`);
    const page = ui.page;
    await see(page.getByRole("tab", { selected: true })).toBe("Charts");
    await see(section("train/")).toBe("train/ 1");
    await see(section("val/")).toBe("val/ 1");
    await see(section("system/")).toBe("system/ 3");
    for (const key of ["train/loss", "val/accuracy"]) {
      await chart(key).locator("canvas").first().waitFor();
      await see(chart(key).locator("tl-chart-legend")).toContain("resnet-baseline");
      await see(chart(key).locator("tl-chart-legend")).toContain("resnet-wide");
    }
    await see(chart("train/loss").locator("tl-chart-legend")).toContain("Latest values");
    await ui.shot("charts");

    // Lower charts are drawn once they scroll into view: the last one, far below the fold, is not drawn yet.
    // (Cards mount their chart once in view: chart-builder, issue 15.)
    const card = (key: string) => page.locator(`tl-chart-card[data-key="${key}"]`);
    const last = card("system/system_memory_usage_percentage");
    await last.waitFor({ state: "attached" });
    expect(await last.locator("canvas").count()).toBe(0);
    // best_val_accuracy is logged once (by the sweep): a bar chart (chart-builder, issue 15).
    const best = page.locator("tl-bar-chart", { has: page.locator(".title", { hasText: /^best_val_accuracy$/ }) });
    await page.locator('tl-chart-card[data-key="best_val_accuracy"]').scrollIntoViewIfNeeded();
    await see(best.locator("svg")).toContain("0.94");
    for (const key of [
      "system/cpu_utilization_percentage",
      "system/system_memory_usage_megabytes",
      "system/system_memory_usage_percentage",
    ]) {
      await card(key).scrollIntoViewIfNeeded();
      await chart(key).locator("canvas").first().waitFor();
    }
    expect(await page.locator("tl-metric-chart").count()).toBe(5);

    // The README's view: the sweep's trials charted too, the diverged run left out.
    await ui.goto(`/experiments/${exp()}?tab=charts&open=${seed.runs.sweep}&hide=${seed.runs.diverged}`);
    for (const key of ["train/loss", "val/accuracy"]) {
      await chart(key).locator("canvas").first().waitFor();
      await see(chart(key).locator("tl-chart-legend")).toContain("sweep-trial-1");
    }
    await ui.shot("charts", true);
    await section("system/").scrollIntoViewIfNeeded();

    // A section folds.
    await section("system/").click();
    await chart("system/cpu_utilization_percentage").waitFor({ state: "detached" });
    await section("system/").click();
    await card("system/cpu_utilization_percentage").waitFor();
  });

  test("x axis, log scale and smoothing live in the URL", async () => {
    await ui.goto(`/experiments/${exp()}?tab=charts`);
    const page = ui.page;
    await chart("train/loss").locator("canvas").first().waitFor();
    const xAxis = page.getByRole("combobox", { name: "X axis" });
    await xAxis.selectOption("time");
    await expect.poll(() => ui.query().get("cx")).toBe("time");
    await xAxis.selectOption("relative");
    await expect.poll(() => ui.query().get("cx")).toBe("relative");
    await page.getByRole("checkbox", { name: "Log scale" }).check();
    await expect.poll(() => ui.query().get("clog")).toBe("1");
    await page.getByRole("slider", { name: "Smoothing" }).fill("0.6");
    await expect.poll(() => ui.query().get("csmooth")).toBe("0.6");
    await page.reload();
    await chart("train/loss").locator("canvas").first().waitFor();
    expect(await page.getByRole("combobox", { name: "X axis" }).inputValue()).toBe("relative");
    expect(await page.getByRole("checkbox", { name: "Log scale" }).isChecked()).toBe(true);
    expect(await page.getByRole("slider", { name: "Smoothing" }).inputValue()).toBe("0.6");
    await ui.shot("charts-relative-log");
  });

  test("drag to zoom: synced across charts, re-fetched for the window, double-click resets", async () => {
    await ui.goto(`/experiments/${exp()}?tab=charts`);
    const page = ui.page;
    const over = chart("train/loss").locator(".u-over");
    await over.waitFor();
    await chart("val/accuracy").locator(".u-over").waitFor();
    const box = (await over.boundingBox())!;
    const refetch = page.waitForRequest((r) => r.url().includes("/metrics/buckets") && r.url().includes("start_step="));
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.up();
    await refetch;
    for (const key of ["train/loss", "val/accuracy"]) {
      await chart(key).getByRole("button", { name: "Reset zoom" }).waitFor();
    }
    await ui.shot("charts-zoomed");
    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    for (const key of ["train/loss", "val/accuracy"]) {
      await chart(key).getByRole("button", { name: "Reset zoom" }).waitFor({ state: "detached" });
    }
  });

  test("a run hidden in the table is left out of the charts", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await page.getByRole("button", { name: "Hide run resnet-wide in charts" }).click();
    await expect.poll(() => ui.query().get("hide")).toBe(seed.runs["resnet-wide"]);
    await page.getByRole("tab", { name: "Charts" }).click();
    const legend = chart("train/loss").locator("tl-chart-legend");
    await see(legend).toContain("resnet-baseline");
    expect(await textOf(legend)).not.toContain("resnet-wide");
  });
});
