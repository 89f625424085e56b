// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount } from "../dom.test-helpers.js";
import "./column-chooser.js";
import type { TlColumnChooser } from "./column-chooser.js";
import type { ChosenColumn } from "./view-state.js";

afterEach(() => {
  document.body.innerHTML = "";
});

/** A chooser over 3,000 metric and 9,000 param keys, opened, with `search` typed. */
async function open(chosen: ChosenColumn[], search: string) {
  const keys = {
    metrics: Array.from({ length: 3000 }, (_, k) => `loss_${k}`),
    params: Array.from({ length: 9000 }, (_, k) => `p_${k}`),
    tags: ["mlflow.user"],
  };
  const el = await mount<TlColumnChooser>("tl-column-chooser", { keys, chosen });
  const events: (ChosenColumn[] | undefined)[] = [];
  el.addEventListener("columns-change", (e) => events.push((e as CustomEvent<ChosenColumn[] | undefined>).detail));
  el.shadowRoot?.querySelector<HTMLButtonElement>("button")?.click();
  await el.updateComplete;
  el.search = search;
  await el.updateComplete;
  const button = (label: RegExp) =>
    [...(el.shadowRoot?.querySelectorAll<HTMLButtonElement>(".matching button") ?? [])].find((b) =>
      label.test(b.textContent?.trim() ?? ""),
    ) as HTMLButtonElement;
  return { el, events, button };
}

describe("tl-column-chooser with thousands of keys", () => {
  it("adds every key the search matches, after the ones chosen", async () => {
    const { events, button, el } = await open([{ kind: "metrics", key: "loss_1" }], "_1");
    // loss_1, loss_10…loss_1999 and p_1… : 1,111 metrics + 1,111 params match "_1"; one is chosen already.
    expect(el.shadowRoot?.querySelector(".matching")?.textContent).toContain("1 of 2,222 shown");
    button(/^Add all 2,221/).click();
    const next = events[0] ?? [];
    expect(next).toHaveLength(2222);
    expect(next[0]).toEqual({ kind: "metrics", key: "loss_1" });
    expect(next.filter((c) => c.kind === "params")).toHaveLength(1111);
  });

  it("removes every chosen key the search matches and keeps the others", async () => {
    const chosen: ChosenColumn[] = [
      { kind: "metrics", key: "loss_5" },
      { kind: "params", key: "p_5" },
      { kind: "params", key: "p_7" },
    ];
    const { events, button } = await open(chosen, "p_");
    button(/^Remove all 2/).click();
    expect(events[0]).toEqual([{ kind: "metrics", key: "loss_5" }]);
  });

  it("lists at most 300 keys per kind and says how many more the search would show", async () => {
    const { el } = await open([], "");
    const text = el.shadowRoot?.textContent ?? "";
    expect(text).toContain("8700 more: refine the search");
    expect(el.shadowRoot?.querySelectorAll("label").length).toBe(300 + 300 + 1);
  });
});
