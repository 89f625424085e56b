import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { expect, test } from "vitest";
import { apiGet, apiPost, metricValues } from "./api.js";
import { ctx, e2eSuite, see, seed } from "./harness.js";

/** The UI's metric formatting (src/lib/format.ts formatNumber) for values in its plain range. */
const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** The run names of a runs grid, in row order (rows are absolutely placed: order by their index). */
const rowNames = (grid: Locator) =>
  grid.locator("[role=row][data-index]").evaluateAll((rows) =>
    rows
      .map((r) => ({
        i: Number(r.getAttribute("data-index")),
        name: r
          .querySelector('input[aria-label^="Select run "]')
          ?.getAttribute("aria-label")
          ?.slice("Select run ".length),
      }))
      .sort((a, b) => a.i - b.i)
      .map((r) => r.name ?? "?"),
  );

e2eSuite("experiment page: runs table", (ui) => {
  const exp = () => seed.experiments["team/vision"]!;
  const grid = () => ui.page.getByRole("grid", { name: "Runs" });
  const row = (name: string) =>
    grid().locator("[role=row]", { has: ui.page.getByRole("checkbox", { name: `Select run ${name}`, exact: true }) });
  const filterBox = () => ui.page.getByRole("combobox", { name: "Filter runs" });
  const TOP_LEVEL = ["diverged", "sweep", "resnet-wide", "resnet-baseline"];

  test("rows, fixed columns and metric/param columns", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await see(page.getByRole("heading", { level: 1 })).toContain("vision");
    await see(page.getByRole("tab", { selected: true })).toBe("Runs");
    // Newest first; children and deleted runs are not top-level rows.
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await grid().getByRole("columnheader").first().waitFor();
    const shown = await grid().getByRole("columnheader").allInnerTexts();
    for (const h of ["Run name", "Status", "Created", "Duration", "User", "Source", "Dataset", "Models"]) {
      expect(
        shown.some((t) => t.startsWith(h)),
        `column ${h} in ${JSON.stringify(shown)}`,
      ).toBe(true);
    }
    for (const h of ["train/loss", "val/accuracy"]) {
      expect(
        shown.some((t) => t.includes(h)),
        `column ${h} in ${JSON.stringify(shown)}`,
      ).toBe(true);
    }
    const loss = await metricValues(seed.runs["resnet-baseline"]!, "train/loss");
    const baseline = row("resnet-baseline");
    await see(baseline).toContain("Finished");
    await see(baseline).toContain("cifar-mini, val-split");
    // models-ui: the registered name and version of the run's model, not the logged model's id.
    await see(baseline).toContain("vision-classifier v1");
    await see(baseline).toContain(fmt(loss[loss.length - 1]!));
    await see(row("diverged")).toContain("Failed");
    await ui.shot("experiment-page");

    // The README's view: the sweep unfolded, the diverged run out of the charts, charts beside the table.
    await ui.goto(`/experiments/${exp()}?open=${seed.runs.sweep}&hide=${seed.runs.diverged}&beside=1`);
    await expect.poll(() => rowNames(grid())).toHaveLength(6);
    await page.locator("tl-metric-chart canvas").first().waitFor();
    await see(page.locator("tl-metric-chart tl-chart-legend").first()).toContain("sweep-trial-2");
    await ui.shot("experiment-page", true);
  });

  test("sorting by a metric happens on the server and lives in the URL", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    const header = grid().getByRole("columnheader").filter({ hasText: "val/accuracy" });
    const sortButton = header.getByRole("button", { name: "val/accuracy", exact: true });
    // Columns are virtualised: scrolling the grid re-uses header cells for other columns, so scroll first and let
    // the locator find the column's header again before clicking.
    await sortButton.scrollIntoViewIfNeeded();
    await expect.poll(async () => ((await sortButton.boundingBox())?.x ?? -1) >= 0).toBe(true);
    const searched = page.waitForRequest(
      (r) => r.url().includes("/runs/search") && /order_by.*val\/accuracy`? ASC/.test(r.postData() ?? ""),
    );
    await sortButton.click();
    await searched;
    await expect.poll(() => ui.query().get("sort")).toMatch(/^metrics\.val\/accuracy(\Wasc)?$/);
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    await expect.poll(async () => (await rowNames(grid())).slice(0, 2)).toEqual(["resnet-wide", "resnet-baseline"]);
    await sortButton.click();
    await expect.poll(() => ui.query().get("sort")).toMatch(/^metrics\.val\/accuracy\Wdesc$/);
    await expect.poll(async () => (await rowNames(grid())).slice(0, 2)).toEqual(["resnet-baseline", "resnet-wide"]);

    await page.reload();
    await expect.poll(async () => (await rowNames(grid())).slice(0, 2)).toEqual(["resnet-baseline", "resnet-wide"]);
    expect(await grid().getByRole("columnheader").filter({ hasText: "val/accuracy" }).getAttribute("aria-sort")).toBe(
      "descending",
    );
  });

  test("a filter narrows the rows, survives a reload; a bad filter says what is wrong", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await filterBox().fill("params.optimizer = 'sgd'");
    await filterBox().press("Escape");
    await filterBox().press("Enter");
    await expect.poll(() => rowNames(grid())).toEqual(["resnet-wide"]);
    expect(ui.query().get("filter")).toBe("params.optimizer = 'sgd'");

    await page.reload();
    await expect.poll(() => rowNames(grid())).toEqual(["resnet-wide"]);
    expect(await filterBox().inputValue()).toBe("params.optimizer = 'sgd'");

    await filterBox().fill("metrics.loss >>> 1");
    await filterBox().press("Escape");
    await filterBox().press("Enter");
    const alert = page.locator("tl-filter-box").getByRole("alert");
    await see(alert).toContain("'>>>'");
    expect(await filterBox().getAttribute("aria-invalid")).toBe("true");
    await ui.shot("experiment-bad-filter");

    await page.getByRole("button", { name: "Clear filter" }).click();
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await alert.waitFor({ state: "detached" });
  });

  test("filter keys autocomplete", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    // The keys come with the runs: once their columns show, the box knows them.
    await grid().getByRole("columnheader").filter({ hasText: "train/loss" }).waitFor({ state: "attached" });
    await filterBox().fill("metrics.val");
    const suggestions = page.getByRole("listbox", { name: "Filter suggestions" });
    await see(suggestions).toContain("val/accuracy");
    // Picking the suggestion writes the key in the grammar's quoting.
    await suggestions.getByRole("option").filter({ hasText: "val/accuracy" }).first().click();
    await expect.poll(() => filterBox().inputValue()).toMatch(/^metrics\.`val\/accuracy`/);
  });

  test("nested runs expand as a tree; pin keeps a run on top; the URL holds both", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await page.getByRole("button", { name: "Expand 2 child runs of sweep" }).click();
    await expect
      .poll(() => rowNames(grid()))
      .toEqual(["diverged", "sweep", "sweep-trial-2", "sweep-trial-1", "resnet-wide", "resnet-baseline"]);
    expect(ui.query().get("open")).toBe(seed.runs.sweep);
    await page.getByRole("button", { name: "Collapse 2 child runs of sweep" }).click();
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);

    await page.getByRole("button", { name: "Pin run resnet-baseline" }).click();
    await expect.poll(async () => (await rowNames(grid()))[0]).toBe("resnet-baseline");
    expect(ui.query().get("pin")).toBe(seed.runs["resnet-baseline"]);
    await page.reload();
    await expect.poll(async () => (await rowNames(grid()))[0]).toBe("resnet-baseline");
    await page.getByRole("button", { name: "Unpin run resnet-baseline" }).click();
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
  });

  test("metric cells show the last, min or max value", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    const loss = await metricValues(seed.runs["resnet-baseline"]!, "train/loss");
    const modes = page.getByRole("group", { name: "Metric values" });
    await see(row("resnet-baseline")).toContain(fmt(loss[loss.length - 1]!));
    await modes.getByRole("button", { name: "Min" }).click();
    await expect.poll(() => ui.query().get("mm")).toBe("min");
    await see(row("resnet-baseline")).toContain(fmt(Math.min(...loss)));
    await modes.getByRole("button", { name: "Max" }).click();
    await expect.poll(() => ui.query().get("mm")).toBe("max");
    await see(row("resnet-baseline")).toContain(fmt(Math.max(...loss)));
    expect(await modes.getByRole("button", { name: "Max" }).getAttribute("aria-pressed")).toBe("true");
  });

  test("paging, page size, and bulk delete and restore", async () => {
    const { experiment_id: id } = await apiPost("experiments/create", { name: "e2e-bulk" });
    const t0 = Date.now() - 1_000_000;
    for (let i = 0; i < 250; i += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, k) =>
          apiPost("runs/create", {
            experiment_id: id,
            run_name: `bulk-${String(i + k).padStart(3, "0")}`,
            start_time: t0 + (i + k) * 1000,
          }),
        ),
      );
    }
    await ui.goto(`/experiments/${id}`);
    const page = ui.page;
    const bar = page.getByRole("toolbar", { name: "Run actions" });
    const all = page.getByText("All 250 matching runs loaded");
    // The first page is 100 runs whatever the page size; "Load more" adds a page of the chosen size.
    await see(bar).toContain("100 runs loaded · more available");
    await page.getByRole("button", { name: "Load more" }).click();
    await see(bar).toContain("200 runs loaded · more available");
    await page.getByRole("button", { name: "Load more" }).click();
    await see(all).toBe("All 250 matching runs loaded");
    // Virtualised: the grid says it has 250 rows but only those in view are in the DOM; scrolling brings the last.
    expect(await grid().getAttribute("aria-rowcount")).toBe("251");
    expect(await grid().locator("[role=row][data-index]").count()).toBeLessThan(60);
    await grid().evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.getByRole("checkbox", { name: "Select run bulk-000", exact: true }).waitFor();
    expect(await grid().locator("[role=row][data-index]").count()).toBeLessThan(60);
    // A page size of 1000: after a reload the first 100 rows show, and one "Load more" brings the rest.
    await page.getByLabel("Page size").selectOption("1000");
    await expect.poll(() => ui.query().get("ps")).toBe("1000");
    await page.reload();
    await see(bar).toContain("100 runs loaded · more available");
    await page.getByRole("button", { name: "Load more" }).click();
    await see(all).toBe("All 250 matching runs loaded");

    await expect.poll(async () => (await rowNames(grid())).slice(0, 2)).toEqual(["bulk-249", "bulk-248"]);
    await page.getByRole("checkbox", { name: "Select run bulk-249", exact: true }).check();
    await page.getByRole("checkbox", { name: "Select run bulk-248", exact: true }).check();
    await see(bar).toContain("2 selected");
    await bar.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: "Delete 2 runs?" }).waitFor();
    await page.getByRole("button", { name: "Delete", exact: true }).last().click();
    await expect.poll(async () => (await rowNames(grid())).slice(0, 2)).toEqual(["bulk-247", "bulk-246"]);
    const lifecycle = async (name: string) => {
      const { runs } = await apiPost("runs/search", {
        experiment_ids: [id],
        filter: `attributes.run_name = '${name}'`,
        run_view_type: "ALL",
      });
      return runs[0].info.lifecycle_stage;
    };
    expect(await lifecycle("bulk-249")).toBe("deleted");

    await page.getByLabel("Runs shown").selectOption("deleted");
    await expect.poll(() => rowNames(grid())).toEqual(["bulk-249", "bulk-248"]);
    await page.getByRole("checkbox", { name: "Select all loaded runs" }).check();
    await bar.getByRole("button", { name: "Restore" }).click();
    await page.getByRole("dialog", { name: "Restore 2 runs?" }).waitFor();
    await page.getByRole("button", { name: "Restore", exact: true }).last().click();
    await expect.poll(() => rowNames(grid())).toEqual([]);
    expect(await lifecycle("bulk-249")).toBe("active");
    expect((await apiGet("experiments/get", { experiment_id: id })).experiment.lifecycle_stage).toBe("active");
  });

  test("keyboard: / focuses the filter, arrows move through rows, Enter opens the run", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    /** The aria-label of the focused element, through the shadow roots. */
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.getAttribute("aria-label");
      });
    await page.locator("body").press("/");
    await expect.poll(focused).toBe("Filter runs");
    await grid().focus();
    await expect.poll(focused).toBe("Runs");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => ui.route()).toMatch(new RegExp(`^/experiments/${exp()}/runs/\\w+$`));
    const opened = ui.route().split("/").pop();
    expect([seed.runs.diverged, seed.runs.sweep, seed.runs["resnet-wide"]]).toContain(opened);
  });

  test("deleted runs: the lifecycle choice shows them", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await page.getByLabel("Runs shown").selectOption("deleted");
    await expect.poll(() => rowNames(grid())).toEqual(["deleted-run"]);
    expect(ui.query().get("view")).toBe("deleted");
  });

  test("CSV download of the table", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = join(ctx.dir, "runs.csv");
    await download.saveAs(file);
    const lines = readFileSync(file, "utf8").trim().split(/\r?\n/);
    const header = lines[0]!.split(",");
    expect(header.slice(0, 2)).toEqual(["Run name", "Run ID"]);
    expect(header).toContain("metrics.train/loss");
    expect(header).toContain("params.lr");
    // Every loaded run of the view: the top-level ones and the children of the sweep.
    expect(
      lines
        .map((l) => l.split(",")[0])
        .slice(1)
        .sort(),
    ).toEqual([...TOP_LEVEL, "sweep-trial-1", "sweep-trial-2"].sort());
    const baseline = lines.find((l) => l.startsWith("resnet-baseline,"))!.split(",");
    expect(baseline[1]).toBe(seed.runs["resnet-baseline"]);
    const loss = await metricValues(seed.runs["resnet-baseline"]!, "train/loss");
    expect(Number(baseline[header.indexOf("metrics.train/loss")])).toBe(loss[loss.length - 1]);
    expect(baseline[header.indexOf("params.lr")]).toBe("0.01");
  });

  test("Models and Datasets tabs list the experiment's logged models and datasets", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await page.getByRole("tab", { name: "Models" }).click();
    await expect.poll(() => ui.query().get("tab")).toBe("models");
    const main = page.locator("tl-experiment-page");
    await see(main.locator("table")).toContain(seed.logged_models["resnet-baseline"]!.slice(0, 10));
    await see(main.locator("table")).toContain("resnet-wide");
    await page.getByRole("tab", { name: "Datasets", exact: true }).click();
    await expect.poll(() => ui.query().get("tab")).toBe("datasets");
    const datasets = main.locator("table");
    await see(datasets).toContain("cifar-mini");
    await see(datasets).toContain("s3://bucket/val.parquet");
  });

  test("select two runs and compare them", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    await expect.poll(() => rowNames(grid())).toEqual(TOP_LEVEL);
    await page.getByRole("checkbox", { name: "Select run resnet-baseline", exact: true }).check();
    await page.getByRole("checkbox", { name: "Select run resnet-wide", exact: true }).check();
    await see(page.getByRole("toolbar", { name: "Run actions" })).toContain("2 selected");
    expect(ui.query().get("sel")?.split(",").sort()).toEqual(
      [seed.runs["resnet-baseline"], seed.runs["resnet-wide"]].sort(),
    );
    await page.getByRole("button", { name: "Compare", exact: true }).click();
    await expect.poll(() => ui.route()).toMatch(/^\/compare\?runs=/);
    expect(ui.query().get("runs")?.split(",").sort()).toEqual(
      [seed.runs["resnet-baseline"], seed.runs["resnet-wide"]].sort(),
    );
  });
});
