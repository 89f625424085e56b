// @vitest-environment happy-dom
import { html, LitElement } from "lit";
import { afterEach, describe, expect, it } from "vitest";
import { SlashFocus } from "./slash-focus.js";

class SlashHost extends LitElement {
  focused = 0;
  blocked = false;
  constructor() {
    super();
    new SlashFocus(
      this,
      () => this.focused++,
      () => !this.blocked,
    );
  }
  override render() {
    return html`<input type="search" />`;
  }
}
customElements.define("tl-slash-host", SlashHost);

const press = (target: EventTarget, init: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent("keydown", { key: "/", bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
};

afterEach(() => {
  document.body.innerHTML = "";
});

describe("SlashFocus", () => {
  it("focuses on `/` while connected, but not while typing, with a modifier or when disabled", async () => {
    const el = document.createElement("tl-slash-host") as SlashHost;
    document.body.append(el);
    await el.updateComplete;
    expect(press(document.body).defaultPrevented).toBe(true);
    expect(el.focused).toBe(1);
    press(el.shadowRoot?.querySelector("input") as HTMLInputElement);
    press(document.body, { ctrlKey: true });
    el.blocked = true;
    press(document.body);
    expect(el.focused).toBe(1);
    el.blocked = false;
    el.remove();
    press(document.body);
    expect(el.focused).toBe(1);
  });
});
