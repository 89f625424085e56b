import type { Locator } from "playwright-core";
import { expect, test } from "vitest";
import { e2eSuite, see, seeAll, seed } from "./harness.js";

/** What seed.py's `seed_image_grid` logged: runs of experiment `image-grid`, their steps and each image's colour. */
interface ImageGridSeed {
  experiment: string;
  runs: Record<string, string>;
  steps: Record<string, number[]>;
  colors: Record<string, Record<string, [number, number, number]>>;
}
const grid = (seed as unknown as { image_grid: ImageGridSeed }).image_grid;
const RUNS = ["img-alpha", "img-beta", "img-gamma"];

/** The centre pixel of a shown image, read back through a canvas (same origin, so not tainted). */
const pixel = (img: Locator) =>
  img.evaluate(async (el: HTMLImageElement) => {
    if (!el.complete || !el.naturalWidth) await new Promise((r) => el.addEventListener("load", r, { once: true }));
    const c = document.createElement("canvas");
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext("2d") as CanvasRenderingContext2D;
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
    return { rgb: [d[0] ?? -1, d[1] ?? -1, d[2] ?? -1], width: el.naturalWidth, height: el.naturalHeight };
  });

/** Colours match within the loss of the WebP thumbnails. */
const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - (want[i] ?? -99)) <= 10);

e2eSuite("image grid", (ui) => {
  const cell = (label: string, run: string) =>
    ui.page.locator(`tl-image-grid button.box[aria-label^="Enlarge ${label} of ${run}"]`);

  /** The step a run's `samples` cell shows (from its label), its image's file name and centre colour. */
  async function shown(run: string) {
    const button = cell("samples", run);
    await button.scrollIntoViewIfNeeded();
    const label = (await button.getAttribute("aria-label")) ?? "";
    const img = button.locator("img");
    const src = decodeURIComponent((await img.getAttribute("src")) ?? "");
    return { step: Number(label.replace(/.* at step /, "")), src, ...(await pixel(img)) };
  }

  async function expectStep(run: string, step: number) {
    await expect.poll(async () => (await shown(run)).step).toBe(step);
    const s = await shown(run);
    expect(s.src).toContain(`run_uuid=${grid.runs[run]}`);
    expect(s.src).toMatch(
      new RegExp(`path=images/samples\\+step\\+${step}\\+timestamp\\+\\d+\\+[0-9a-f-]+\\+compressed\\.webp`),
    );
    const want = grid.colors[run]?.[String(step)] ?? [];
    expect(near(s.rgb, want), `${run} at step ${step}: ${s.rgb} ≈ ${want}`).toBe(true);
  }

  test("compare: each run's logged image at the slider's step, enlarged on click", async () => {
    await ui.goto(`/compare?runs=${RUNS.map((r) => grid.runs[r]).join(",")}`);
    const page = ui.page;
    const panel = page.locator("tl-image-grid-panel");
    await panel.scrollIntoViewIfNeeded();
    // Columns: the two keys; rows: the three runs; the slider starts at the last step.
    await seeAll(page.locator("tl-image-grid .head.col")).toEqual(["samples", "val/masks"]);
    await see(page.locator("tl-image-grid output")).toBe("Step 10");
    for (const run of RUNS) await expectStep(run, 10);

    // One step back: 5. img-beta logged nothing at 5, so it shows its step 0, captioned so.
    const slider = page.getByRole("slider", { name: "Step" });
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await see(page.locator("tl-image-grid output")).toBe("Step 5");
    await expect.poll(() => ui.query().get("istep")).toBe("5");
    await expectStep("img-alpha", 5);
    await expectStep("img-gamma", 5);
    await expectStep("img-beta", 0);
    await see(cell("samples", "img-beta").locator("xpath=..").locator("figcaption")).toBe("step 0");
    await cell("samples", "img-gamma").scrollIntoViewIfNeeded();
    await ui.shot("image-grid-compare");

    // The URL holds the step: a reload shows the same grid.
    await page.reload();
    await see(page.locator("tl-image-grid output")).toBe("Step 5");
    await expectStep("img-alpha", 5);

    // Click to enlarge: the full-size PNG (64×48) of that run and step; → moves to the next step, Esc closes.
    await cell("samples", "img-alpha").click();
    const dialog = page.getByRole("dialog", { name: "samples of img-alpha at step 5" });
    await dialog.waitFor();
    const big = dialog.locator("img");
    expect(decodeURIComponent((await big.getAttribute("src")) ?? "")).toMatch(
      /path=images\/samples\+step\+5\+timestamp\+\d+\+[0-9a-f-]+\.png&/,
    );
    const full = await pixel(big);
    expect([full.width, full.height]).toEqual([64, 48]);
    expect(full.rgb).toEqual(grid.colors["img-alpha"]?.["5"]);
    await ui.shot("image-grid-enlarged");
    await page.keyboard.press("ArrowRight");
    await page.getByRole("dialog", { name: "samples of img-alpha at step 10" }).waitFor();
    await expect
      .poll(async () => (await pixel(page.getByRole("dialog").locator("img"))).rgb)
      .toEqual(grid.colors["img-alpha"]?.["10"]);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await see(page.locator("tl-image-grid output")).toBe("Step 10");
  });

  test("compare: image artifacts of several runs, a column per file", async () => {
    await ui.goto(`/compare?runs=${RUNS.map((r) => grid.runs[r]).join(",")}`);
    const page = ui.page;
    await page.locator("tl-image-grid-panel").scrollIntoViewIfNeeded();
    await page.getByRole("button", { name: "Image artifacts" }).click();
    await expect.poll(() => ui.query().get("img")).toBe("artifacts");
    await seeAll(page.locator("tl-image-grid .head.col")).toEqual(["plots/confusion.png"]);
    for (const [i, run] of RUNS.entries()) {
      const img = cell("plots/confusion.png", run).locator("img");
      await img.scrollIntoViewIfNeeded();
      expect(decodeURIComponent((await img.getAttribute("src")) ?? "")).toContain(
        `path=plots/confusion.png&run_uuid=${grid.runs[run]}`,
      );
      expect((await pixel(img)).rgb).toEqual([250, 220, 50 * i]);
    }
    await ui.shot("image-grid-artifacts");
  });

  test("run page: an Images tab, the steps of one key side by side", async () => {
    const run = "img-alpha";
    await ui.goto(`/experiments/${grid.experiment}/runs/${grid.runs[run]}`);
    const page = ui.page;
    await page.getByRole("tab", { name: "Images" }).click();
    await expect.poll(() => ui.query().get("tab")).toBe("images");
    await see(page.locator("tl-image-grid output")).toBe("Step 10");
    await page.getByRole("combobox", { name: "Key" }).selectOption("samples");
    await page.getByRole("combobox", { name: "Columns" }).selectOption("steps");
    await expect.poll(() => ui.query().get("iacross")).toBe("steps");
    await seeAll(page.locator("tl-image-grid .head.col")).toEqual(["Step 0", "Step 5", "Step 10"]);
    for (const step of grid.steps[run] ?? []) {
      const img = page.locator(`tl-image-grid button.box[aria-label="Enlarge samples of ${run} at step ${step}"] img`);
      expect(near((await pixel(img)).rgb, grid.colors[run]?.[String(step)] ?? [])).toBe(true);
    }
    await ui.shot("image-grid-run-steps");
  });
});
