// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./filter-box.js";
import type { TlFilterBox } from "./filter-box.js";

async function mount(props: Partial<TlFilterBox>): Promise<TlFilterBox> {
  const el = Object.assign(document.createElement("tl-filter-box"), {
    keys: { metrics: ["loss", "val/loss"], params: ["lr"], tags: [] },
    ...props,
  });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const input = (el: TlFilterBox) => el.shadowRoot?.querySelector("input") as HTMLInputElement;
const options = (el: TlFilterBox) =>
  [...(el.shadowRoot?.querySelectorAll("[role=option]") ?? [])].map((o) => o.querySelector(".l")?.textContent);
const type = async (el: TlFilterBox, text: string) => {
  const i = input(el);
  i.value = text;
  i.setSelectionRange(text.length, text.length);
  i.dispatchEvent(new Event("input"));
  await el.updateComplete;
};
const key = async (el: TlFilterBox, k: string) => {
  input(el).dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  await el.updateComplete;
};

afterEach(() => {
  document.body.innerHTML = "";
});

describe("tl-filter-box", () => {
  it("suggests keys while typing and takes one with the arrows and Enter", async () => {
    const el = await mount({});
    await type(el, "metrics.");
    expect(options(el)).toEqual(["metrics.loss", "metrics.`val/loss`"]);
    await key(el, "ArrowDown");
    await key(el, "ArrowDown");
    await key(el, "Enter");
    expect(input(el).value).toBe("metrics.`val/loss` ");
  });

  it("applies the filter with Enter when no suggestion is picked", async () => {
    const el = await mount({});
    const got: string[] = [];
    el.addEventListener("filter-submit", (e) => got.push((e as CustomEvent<string>).detail));
    await type(el, "metrics.loss < 1 ");
    expect(options(el)).toEqual(["and"]);
    await key(el, "Enter");
    expect(got).toEqual(["metrics.loss < 1"]);
  });

  it("shows the server's message for a bad filter", async () => {
    const el = await mount({ value: "oops", error: "Invalid clause(s) in filter string: 'oops'" });
    const msg = el.shadowRoot?.querySelector("#msg");
    expect(msg?.textContent).toContain("Invalid clause(s)");
    expect(msg?.getAttribute("role")).toBe("alert");
    expect(input(el).getAttribute("aria-invalid")).toBe("true");
  });
});
