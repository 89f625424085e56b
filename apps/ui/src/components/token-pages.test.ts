// @vitest-environment happy-dom
import { html, LitElement, render } from "lit";
import { describe, expect, it } from "vitest";
import { type TokenPage, TokenPages } from "./token-pages.js";

/** A host whose pages are answered by hand, in any order. */
class Host extends LitElement {
  answers: { token: string; resolve: (p: TokenPage<string>) => void; reject: (e: unknown) => void }[] = [];
  token = "";
  list = new TokenPages<string>(
    this,
    () =>
      new Promise((resolve, reject) => {
        this.answers.push({ token: this.token, resolve, reject });
      }),
  );
}
customElements.define("tl-token-pages-host", Host);

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("TokenPages", () => {
  it("loads when the view's key changes, and keeps only the newest answer", async () => {
    const host = document.createElement("tl-token-pages-host") as Host;
    host.list.sync("a");
    expect(host.list.loading).toBe(true);
    host.list.sync("b");
    const [first, newest] = host.answers;
    newest?.resolve({ items: ["b1"], nextPageToken: "t2" });
    first?.resolve({ items: ["a1"] }); // late: dropped
    await settle();
    expect(host.list.data).toEqual({ key: "b", items: ["b1"], next: "t2" });
    expect(host.list.loading).toBe(false);
    host.list.sync("b"); // shown already: no call
    expect(host.answers).toHaveLength(2);
  });

  it("keeps an error until the next load, and the shown page with it", async () => {
    const host = document.createElement("tl-token-pages-host") as Host;
    host.list.sync("a");
    host.answers[0]?.resolve({ items: ["x"] });
    await settle();
    void host.list.load("a");
    host.answers[1]?.reject(new Error("down"));
    await settle();
    expect((host.list.error as Error).message).toBe("down");
    expect(host.list.data?.items).toEqual(["x"]);
  });

  it("pages forward by the server's tokens and back by the ones it remembers", async () => {
    const host = document.createElement("tl-token-pages-host") as Host;
    const went: (string | undefined)[] = [];
    const draw = (current: string) => {
      const root = document.createElement("div");
      render(html`${host.list.pager(current, (t) => went.push(t))}`, root);
      return root;
    };
    host.list.sync("p1");
    host.answers[0]?.resolve({ items: ["1"] });
    await settle();
    expect(draw("").querySelector(".pager")).toBeNull(); // all on one page

    host.list.sync("p1b");
    host.answers[1]?.resolve({ items: ["1"], nextPageToken: "t2" });
    await settle();
    let root = draw("");
    const [prev, next] = root.querySelectorAll("button");
    expect(prev?.disabled).toBe(true);
    next?.click();
    expect(went).toEqual(["t2"]);

    host.list.sync("p2");
    host.answers[2]?.resolve({ items: ["2"], nextPageToken: "t3" });
    await settle();
    root = draw("t2");
    root.querySelectorAll("button")[1]?.click();
    root.querySelectorAll("button")[0]?.click();
    expect(went).toEqual(["t2", "t3", "t2"]);
    host.list.restart();
    draw("t2").querySelectorAll("button")[0]?.click();
    expect(went.at(-1)).toBeUndefined();
  });

  it("draws a skeleton, then the rows or the empty state, faded while the next answer loads, and errors with a retry", async () => {
    const host = document.createElement("tl-token-pages-host") as Host;
    const draw = () => {
      const root = document.createElement("div");
      const view = host.list.view({
        key: "k",
        label: "Loading things",
        current: "",
        go: () => {},
        empty: () => html`<p class="empty">none</p>`,
        columns: () => html`<thead><tr><th>Name</th></tr></thead>`,
        rows: (items) => items.map((i) => html`<tr><td>${i}</td></tr>`),
      });
      render(html`${view}`, root);
      return root;
    };
    host.list.sync("k");
    expect(draw().querySelector("tl-skeleton")?.getAttribute("label")).toBe("Loading things");
    host.answers[0]?.resolve({ items: ["a", "b"] });
    await settle();
    let root = draw();
    expect([...root.querySelectorAll("tbody td")].map((td) => td.textContent)).toEqual(["a", "b"]);
    expect(root.querySelector("th")?.textContent).toBe("Name");
    expect(root.querySelector("table")?.className).toBe("");

    void host.list.load("k");
    expect(draw().querySelector("table")?.className).toBe("stale");
    host.answers[1]?.reject(new Error("down"));
    await settle();
    root = draw();
    expect(root.querySelector("tl-error")).not.toBeNull();
    expect(root.querySelectorAll("tbody td")).toHaveLength(2); // the shown page stays under the error
    root.querySelector("tl-error")?.dispatchEvent(new CustomEvent("retry"));
    expect(host.answers).toHaveLength(3);
    host.answers[2]?.resolve({ items: [] });
    await settle();
    expect(draw().querySelector(".empty")?.textContent).toBe("none");
  });
});
