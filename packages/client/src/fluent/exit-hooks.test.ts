import { afterEach, describe, expect, it, vi } from "vitest";
import { type ExitHandlers, installExitHooks } from "./exit-hooks.js";

const g = globalThis as Record<string, unknown>;

/** Handlers that record their calls; `pending` says whether there is work. */
function handlers(pending: boolean) {
  const calls: string[] = [];
  const h: ExitHandlers = {
    pending: () => pending,
    onExit: async () => {
      calls.push("exit");
    },
    onPageHide: () => calls.push("pagehide"),
  };
  return { h, calls };
}

/** A stand-in for the global event target of Deno and browsers. */
function fakeEventTarget() {
  const target = new EventTarget();
  vi.stubGlobal("addEventListener", target.addEventListener.bind(target));
  vi.stubGlobal("removeEventListener", target.removeEventListener.bind(target));
  return target;
}

/** Installs the hooks as a runtime without `process` would (Deno, browsers). */
function installWithoutProcess(h: ExitHandlers): () => void {
  const saved = globalThis.process;
  g.process = undefined;
  try {
    return installExitHooks(h);
  } finally {
    g.process = saved;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("installExitHooks", () => {
  it("on Node, listens to beforeExit until removed", () => {
    const before = process.listenerCount("beforeExit");
    const { h, calls } = handlers(true);
    const remove = installExitHooks(h);
    expect(process.listenerCount("beforeExit")).toBe(before + 1);
    process.listeners("beforeExit").at(-1)?.(0);
    expect(calls).toEqual(["exit"]);
    remove();
    expect(process.listenerCount("beforeExit")).toBe(before);
  });

  it("on Deno, keeps the program alive through beforeunload only while there is work", () => {
    const target = fakeEventTarget();
    vi.stubGlobal("Deno", {});
    for (const pending of [true, false]) {
      const { h, calls } = handlers(pending);
      const remove = installExitHooks(h);
      const event = new Event("beforeunload", { cancelable: true });
      target.dispatchEvent(event);
      expect(event.defaultPrevented).toBe(pending);
      expect(calls).toEqual(pending ? ["exit"] : []);
      remove();
    }
  });

  it("in a browser, flushes on pagehide", () => {
    const target = fakeEventTarget();
    vi.stubGlobal("document", {});
    const { h, calls } = handlers(true);
    const remove = installWithoutProcess(h);
    target.dispatchEvent(new Event("pagehide"));
    expect(calls).toEqual(["pagehide"]);
    remove();
    target.dispatchEvent(new Event("pagehide"));
    expect(calls).toEqual(["pagehide"]);
  });
});
