// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { mount } from "../dom.test-helpers.js";
import "./image-grid.js";
import type { ImageGridLoad, ImageGridLoader, TlImageGrid } from "./image-grid.js";
import type { RunImageData } from "./image-grid-model.js";
import { groupLoggedImages } from "./logged-images.js";

const file = (key: string, step: number, run: string, thumb = false) =>
  `images/${key}+step+${step}+timestamp+${1000 + step}+${run}-${step}${thumb ? "+compressed.webp" : ".png"}`;
const logged = (run: string, steps: number[]): RunImageData => ({
  logged: groupLoggedImages(steps.flatMap((s) => [file("pred", s, run), file("pred", s, run, true)])),
  files: [],
});
const RUNS = [
  { runId: "r1", name: "first", color: "#111111" },
  { runId: "r2", name: "second", color: "#222222" },
];
/** Images handed in without a server: what `serverLoader` would return for these runs. */
const loader: ImageGridLoader = async (runId) => (runId === "r1" ? logged("r1", [0, 1, 2]) : logged("r2", [0, 2]));

async function settle(el: TlImageGrid) {
  for (let i = 0; i < 5; i++) await el.updateComplete;
}
const imgs = (el: TlImageGrid) =>
  [...(el.shadowRoot as ShadowRoot).querySelectorAll(".grid img")].map((i) =>
    decodeURIComponent(i.getAttribute("src") ?? ""),
  );

describe("<tl-image-grid>", () => {
  it("shows each run's thumbnail at the slider's step and follows the slider", async () => {
    const loads: ImageGridLoad[] = [];
    const steps: number[] = [];
    const el = await mount<TlImageGrid>("tl-image-grid", { eager: true, runs: RUNS, loader });
    el.addEventListener("images-load", (e) => loads.push((e as CustomEvent<ImageGridLoad>).detail));
    el.addEventListener("step-change", (e) => steps.push((e as CustomEvent<number>).detail));
    await settle(el);
    const root = el.shadowRoot as ShadowRoot;
    expect(imgs(el)).toEqual([expect.stringContaining(`run_uuid=r1`), expect.stringContaining(`run_uuid=r2`)]);
    expect(imgs(el)[0]).toContain(file("pred", 2, "r1", true));
    expect(root.querySelector("output")?.textContent).toBe("Step 2");
    const slider = root.querySelector<HTMLInputElement>('input[type="range"]') as HTMLInputElement;
    slider.value = "1";
    slider.dispatchEvent(new Event("input"));
    await settle(el);
    expect(steps).toEqual([1]);
    expect(imgs(el)[0]).toContain(file("pred", 1, "r1", true));
    // The second run logged nothing at step 1: it shows step 0, captioned so.
    expect(imgs(el)[1]).toContain(file("pred", 0, "r2", true));
    expect([...root.querySelectorAll("figcaption")].map((f) => f.textContent)).toEqual(["step 1", "step 0"]);
    expect(loads.at(-1)).toEqual({ keys: ["pred"], files: [], steps: [0, 1, 2] });
    el.remove();
  });

  it("enlarges the full-size image on click and moves through steps and runs with the arrow keys", async () => {
    const el = await mount<TlImageGrid>("tl-image-grid", { eager: true, runs: RUNS, loader, step: 2 });
    await settle(el);
    const root = el.shadowRoot as ShadowRoot;
    root.querySelector<HTMLButtonElement>("button.box")?.click();
    await settle(el);
    const box = root.querySelector("tl-image-lightbox") as HTMLElement & { updateComplete: Promise<unknown> };
    await box.updateComplete;
    const big = () => decodeURIComponent(box.shadowRoot?.querySelector("img")?.getAttribute("src") ?? "");
    expect(big()).toContain(file("pred", 2, "r1"));
    const key = (k: string) =>
      box.shadowRoot?.querySelector("dialog")?.dispatchEvent(new KeyboardEvent("keydown", { key: k }));
    key("ArrowLeft");
    await settle(el);
    await box.updateComplete;
    expect(el.step).toBe(1);
    expect(big()).toContain(file("pred", 1, "r1"));
    key("ArrowDown");
    await settle(el);
    await box.updateComplete;
    expect(big()).toContain(file("pred", 0, "r2"));
    el.remove();
  });

  it("says what is missing, and shows a run's read error in its cells", async () => {
    const none = await mount<TlImageGrid>("tl-image-grid", {
      eager: true,
      runs: RUNS,
      loader: async () => ({ logged: new Map(), files: [] }),
    });
    await settle(none);
    expect(none.shadowRoot?.textContent).toContain("No images logged with mlflow.log_image");
    none.remove();
    const failing = await mount<TlImageGrid>("tl-image-grid", {
      eager: true,
      runs: RUNS,
      loader: async (id: string) => {
        if (id === "r2") throw new Error("boom");
        return logged("r1", [0]);
      },
    });
    await settle(failing);
    expect(failing.shadowRoot?.textContent).toContain("Could not read the images");
    expect(imgs(failing)).toHaveLength(1);
    failing.remove();
  });

  it("reads the runs again on a new tick, keeping the old images on screen meanwhile", async () => {
    let calls = 0;
    const waiting: (() => void)[] = [];
    const growing: ImageGridLoader = async (runId) => {
      calls++;
      if (calls > 2) await new Promise<void>((r) => waiting.push(r));
      return logged(runId, calls > 2 ? [0, 1] : [0]);
    };
    const el = await mount<TlImageGrid>("tl-image-grid", { eager: true, runs: RUNS, loader: growing });
    await settle(el);
    expect(imgs(el)[0]).toContain(file("pred", 0, "r1", true));
    el.tick = 1;
    await settle(el);
    expect(calls).toBe(4);
    expect(imgs(el)).toHaveLength(2);
    for (const r of waiting) r();
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    expect(imgs(el)[0]).toContain(file("pred", 1, "r1", true));
    el.remove();
  });

  it("transposed: a column per run", async () => {
    const el = await mount<TlImageGrid>("tl-image-grid", { eager: true, runs: RUNS, loader, transpose: true });
    await settle(el);
    const heads = [...(el.shadowRoot as ShadowRoot).querySelectorAll(".runname")].map((h) => h.textContent?.trim());
    expect(heads).toEqual(["first", "second"]);
    const grid = el.shadowRoot?.querySelector<HTMLElement>(".grid");
    expect(grid?.getAttribute("style")).toContain("repeat(2, 160px)");
    el.remove();
  });
});
