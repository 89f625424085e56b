// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import "./runs-table.js";
import { buildColumns } from "./columns.js";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun } from "./run-fields.js";
import { buildRows } from "./run-tree.js";
import type { TlRunsTable } from "./runs-table.js";

const many = (n: number) =>
  buildRows(
    Array.from({ length: n }, (_, i) => indexRun(fakeRun(`r${i}`, { name: `run-${i}`, metrics: { loss: i } }))),
  );

async function mount(props: Partial<TlRunsTable>): Promise<TlRunsTable> {
  const el = Object.assign(document.createElement("tl-runs-table"), {
    columns: buildColumns([{ kind: "metrics", key: "loss" }], "last"),
    experimentId: "7",
    ...props,
  });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: TlRunsTable) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = "";
});

// happy-dom does no layout: give every element a 1200×600 box so the table computes a real window.
const sizes = ["clientWidth", "clientHeight"] as const;
beforeAll(() => {
  for (const p of sizes) {
    Object.defineProperty(HTMLElement.prototype, p, {
      configurable: true,
      get: () => (p === "clientWidth" ? 1200 : 600),
    });
  }
});
afterAll(() => {
  for (const p of sizes) Reflect.deleteProperty(HTMLElement.prototype, p);
});

describe("tl-runs-table", () => {
  it("draws only a window of rows out of 10,000, with links to the run pages", async () => {
    const el = await mount({ rows: many(10_000) });
    const rows = root(el).querySelectorAll(".row");
    // 600 px tall: about 20 rows on screen plus 10 of overscan below (none above at the top).
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.length).toBeLessThan(40);
    const link = root(el).querySelector<HTMLAnchorElement>(".row a.nm");
    expect(link?.textContent).toBe("run-0");
    expect(link?.getAttribute("href")).toBe("#/experiments/7/runs/r0");
    expect(root(el).querySelector(".scroller")?.getAttribute("aria-rowcount")).toBe("10001");
  });

  it("shows the column headers and group headers", async () => {
    const el = await mount({ rows: many(3) });
    const heads = [...root(el).querySelectorAll("[role=columnheader]")].map((h) =>
      h.textContent?.replace(/\s+/g, " ").trim(),
    );
    expect(heads.slice(0, 3)).toEqual(["Run name", "Status", "Created▼"]);
    expect(heads).toContain("loss last");
    expect(root(el).querySelector(".group.g-metrics")?.textContent).toBe("Metrics");
  });

  it("fires sort-change from a header, toggling the direction of the current sort", async () => {
    const el = await mount({ rows: many(3), sort: { key: "metrics.loss", asc: true } });
    const got: unknown[] = [];
    el.addEventListener("sort-change", (e) => got.push((e as CustomEvent).detail));
    const button = [...root(el).querySelectorAll<HTMLButtonElement>(".th button.label")].find((b) =>
      b.textContent?.includes("loss"),
    );
    button?.click();
    expect(got).toEqual([{ key: "metrics.loss", asc: false }]);
  });

  it("fires select with the shift key, and pin / hide / expand from the row buttons", async () => {
    const rows = buildRows([indexRun(fakeRun("p")), indexRun(fakeRun("c", { parent: "p" }))]);
    const el = await mount({ rows });
    const events: string[] = [];
    for (const name of ["select", "pin", "hide", "expand"]) {
      el.addEventListener(name, (e) => events.push(`${name}:${JSON.stringify((e as CustomEvent).detail)}`));
    }
    const box = root(el).querySelector<HTMLInputElement>('input[data-act="select"]');
    box?.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    root(el).querySelector<HTMLButtonElement>('[data-act="pin"]')?.click();
    root(el).querySelector<HTMLButtonElement>('[data-act="hide"]')?.click();
    const expander = root(el).querySelector<HTMLButtonElement>('[data-act="expand"]');
    expect(expander?.getAttribute("aria-expanded")).toBe("false");
    expander?.click();
    expect(events).toEqual(['select:{"id":"p","shift":true}', 'pin:"p"', 'hide:"p"', 'expand:"p"']);
  });

  it("moves the focused row with the arrow keys and opens it with Enter", async () => {
    const el = await mount({ rows: many(5) });
    const grid = root(el).querySelector<HTMLElement>(".scroller");
    grid?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    grid?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    await el.updateComplete;
    expect(root(el).querySelector(".row.focus a.nm")?.textContent).toBe("run-2");
    grid?.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(location.hash).toBe("#/experiments/7/runs/r2");
  });

  it("shows skeleton rows while the first page loads", async () => {
    const el = await mount({ rows: [], loading: true });
    expect(root(el).querySelector("tl-skeleton")).not.toBeNull();
  });
});

describe("tl-runs-table visible rows", () => {
  it("reports the rows on screen again when the columns change", async () => {
    const el = await mount({ rows: many(3) });
    const seen: string[][] = [];
    el.addEventListener("visible-rows", (e) => seen.push((e as CustomEvent<string[]>).detail));
    await new Promise((r) => setTimeout(r, 150));
    el.columns = buildColumns([{ kind: "metrics", key: "loss", mode: "min" }], "last");
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([
      ["r0", "r1", "r2"],
      ["r0", "r1", "r2"],
    ]);
  });
});
