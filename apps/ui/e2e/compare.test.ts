import { expect, test } from "vitest";
import { e2eSuite, see, seeAll, seed } from "./harness.js";

e2eSuite("compare runs", (ui) => {
  const ids = (...names: string[]) => names.map((n) => seed.runs[n]).join(",");
  const table = () => ui.page.locator("tl-compare-page table").first();
  /** A param or metric row of the side-by-side table: its key and one cell per run. */
  const row = (key: string) =>
    table()
      .locator("tbody tr")
      .filter({ has: ui.page.locator(`th[title="${key}"]`) });
  const keys = () => table().locator("tbody tr:not(.group) th").allInnerTexts();

  test("params and metrics side by side, with only the differences on demand", async () => {
    await ui.goto(`/compare?runs=${ids("resnet-baseline", "resnet-wide", "sweep-trial-1")}`);
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toBe("Compare runs 3 runs");
    await seeAll(table().locator("thead th")).toEqual(["Run", "resnet-baseline", "resnet-wide", "sweep-trial-1"]);
    await seeAll(row("lr").locator("td")).toEqual(["0.01", "0.02", "0.005"]);
    await seeAll(row("optimizer").locator("td")).toEqual(["adam", "sgd", "adam"]);
    await seeAll(row("epochs").locator("td")).toEqual(["200", "200", "–"]);
    await see(row("val/accuracy")).toContain("0.938789");
    await ui.shot("compare");

    // Two runs that share batch_size and epochs: "Only differences" hides those rows.
    await ui.goto(`/compare?runs=${ids("resnet-baseline", "resnet-wide")}`);
    await seeAll(row("batch_size").locator("td")).toEqual(["32", "32"]);
    expect(await keys()).toContain("epochs");
    await page.getByRole("checkbox", { name: "Only differences" }).check();
    await expect.poll(() => ui.query().get("diff")).toBe("1");
    await row("batch_size").waitFor({ state: "detached" });
    const left = await keys();
    expect(left).not.toContain("epochs");
    expect(left).toContain("lr");
    expect(left).toContain("optimizer");
    expect(left).toContain("train/loss");
    await page.reload();
    await row("lr").waitFor();
    expect(await row("batch_size").count()).toBe(0);
    expect(await page.getByRole("checkbox", { name: "Only differences" }).isChecked()).toBe(true);
  });

  test("overlaid charts, parallel coordinates and a scatter of two chosen columns", async () => {
    const runs = ["resnet-baseline", "resnet-wide", "sweep-trial-1", "sweep-trial-2"];
    await ui.goto(`/compare?runs=${ids(...runs)}`);
    const page = ui.page;
    const lossChart = page.locator("tl-compare-page tl-metric-chart", {
      has: page.locator(".title", { hasText: /^train\/loss$/ }),
    });
    await lossChart.locator("canvas").first().waitFor();
    for (const name of runs) await see(lossChart.locator("tl-chart-legend")).toContain(name);

    const parallel = page.getByRole("img", { name: /^Parallel coordinates of \d+ columns$/ });
    await parallel.scrollIntoViewIfNeeded();
    // One line per run, named after it.
    await parallel.locator("path.run").first().waitFor();
    const lines = await parallel
      .locator("path.run")
      .evaluateAll((paths) => paths.map((p) => p.querySelector("title")?.textContent ?? ""));
    expect(lines.sort()).toEqual([...runs].sort());
    await ui.shot("compare-parallel");

    const scatter = page.locator("tl-compare-page tl-scatter-plot");
    await scatter.scrollIntoViewIfNeeded();
    await page.getByRole("combobox", { name: "X", exact: true }).selectOption({ label: "lr" });
    await page.getByRole("combobox", { name: "Y", exact: true }).selectOption({ label: "val/accuracy" });
    await expect.poll(() => ui.query().get("sy")).toContain("val/accuracy");
    await page.getByRole("img", { name: "Scatter plot of val/accuracy against lr" }).waitFor();
    await expect.poll(() => scatter.locator("circle").count()).toBe(4);
    const points = await scatter.locator("circle title").allTextContents();
    const baseline = points.find((t) => t.startsWith("resnet-baseline"));
    expect(baseline).toContain("lr: 0.01");
    await ui.shot("compare-scatter");
  });
});
