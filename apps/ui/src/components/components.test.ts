// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./copy.js";
import "./description.js";
import "./error.js";
import "./pill.js";
import "./tabs.js";
import "./tag-editor.js";
import { mount, shadowText as text } from "../dom.test-helpers.js";
import { renderMarkdown } from "./description.js";
import { statusInfo } from "./pill.js";
import { toast } from "./toast.js";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("tl-pill", () => {
  it("shows an icon and a label for every status, never colour alone", async () => {
    const el = await mount("tl-pill", { status: "FAILED" });
    expect(text(el)).toBe("Failed");
    expect(el.shadowRoot?.querySelector("svg")).not.toBeNull();
    expect(statusInfo("LOGGED_MODEL_READY").label).toBe("Ready");
    expect(statusInfo("SOMETHING_NEW").label).toBe("Something new");
  });
});

describe("tl-copy", () => {
  it("shows the first characters and keeps the full value in the tooltip and label", async () => {
    const el = await mount("tl-copy", { value: "0123456789abcdef" });
    const code = el.shadowRoot?.querySelector("code");
    expect(code?.textContent).toBe("01234567");
    expect(code?.getAttribute("title")).toBe("0123456789abcdef");
    expect(el.shadowRoot?.querySelector("button")?.getAttribute("aria-label")).toBe("Copy 0123456789abcdef");
  });
});

describe("tl-tabs", () => {
  it("fires tab-change with the tab id", async () => {
    const el = await mount("tl-tabs", {
      tabs: [
        { id: "runs", label: "Runs", count: 3 },
        { id: "charts", label: "Charts" },
      ],
      active: "runs",
    });
    const got: string[] = [];
    el.addEventListener("tab-change", (e) => got.push((e as CustomEvent<string>).detail));
    const buttons = [...(el.shadowRoot?.querySelectorAll("button") ?? [])];
    expect(buttons.map((b) => b.getAttribute("aria-selected"))).toEqual(["true", "false"]);
    buttons[1]?.click();
    buttons[0]?.click(); // already active: no event
    expect(got).toEqual(["charts"]);
  });
});

describe("tl-tag-editor", () => {
  it("hides system tags until asked and emits edits", async () => {
    const el = await mount<HTMLElement & { showSystem: boolean; updateComplete: Promise<unknown> }>("tl-tag-editor", {
      tags: { team: "vision", "mlflow.user": "ann" },
      editable: true,
    });
    expect(text(el)).toContain("team");
    expect(text(el)).not.toContain("mlflow.user");
    expect(text(el)).toContain("Show 1 system tag");
    const deleted: unknown[] = [];
    el.addEventListener("tag-delete", (e) => deleted.push((e as CustomEvent).detail));
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Delete tag team"]')?.click();
    expect(deleted).toEqual([{ key: "team" }]);
    el.showSystem = true;
    await el.updateComplete;
    expect(text(el)).toContain("mlflow.user");
  });
  it("adds a tag through its form", async () => {
    const el = await mount<HTMLElement & { updateComplete: Promise<unknown> }>("tl-tag-editor", {
      tags: {},
      editable: true,
    });
    const set: unknown[] = [];
    el.addEventListener("tag-set", (e) => set.push((e as CustomEvent).detail));
    [...(el.shadowRoot?.querySelectorAll("button") ?? [])].find((b) => b.textContent?.includes("Add tag"))?.click();
    await el.updateComplete;
    const root = el.shadowRoot as ShadowRoot;
    (root.querySelector("input[name=key]") as HTMLInputElement).value = "stage";
    (root.querySelector("input[name=value]") as HTMLInputElement).value = "dev";
    root.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(set).toEqual([{ key: "stage", value: "dev" }]);
  });
});

describe("tl-error", () => {
  it("shows the MLflow error code once, the message and a Retry that fires retry", async () => {
    const err = Object.assign(new Error("RESOURCE_DOES_NOT_EXIST: No experiment 42"), {
      errorCode: "RESOURCE_DOES_NOT_EXIST",
    });
    const el = await mount("tl-error", { error: err });
    expect(text(el)).toBe("RESOURCE_DOES_NOT_EXIST No experiment 42 Retry");
    let retried = 0;
    el.addEventListener("retry", () => retried++);
    el.shadowRoot?.querySelector("button")?.click();
    expect(retried).toBe(1);
  });
});

describe("renderMarkdown", () => {
  it("renders markdown and shows raw HTML as text", async () => {
    const out = await renderMarkdown("# Title\n\n**bold** <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>");
    expect(out).toContain("<strong>bold</strong>");
    expect(out).toContain("&lt;img");
    expect(out).toContain("&lt;script&gt;");
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
  });
  it("drops javascript: links, keeps http links", async () => {
    const out = await renderMarkdown("[a](javascript:alert(1)) [b](https://example.com) [c](java%09script:x)");
    expect(out).not.toMatch(/href="javascript/i);
    expect(out).toContain('href="https://example.com"');
  });
});

describe("toast", () => {
  it("adds messages to one stack with a live-region role", async () => {
    toast("Copied");
    toast("Boom", "error");
    const host = document.querySelector("tl-toaster") as HTMLElement & { updateComplete: Promise<unknown> };
    await host.updateComplete;
    expect(document.querySelectorAll("tl-toaster")).toHaveLength(1);
    const roles = [...(host.shadowRoot?.querySelectorAll(".toast") ?? [])].map((t) => t.getAttribute("role"));
    expect(roles).toEqual(["status", "alert"]);
  });
});
