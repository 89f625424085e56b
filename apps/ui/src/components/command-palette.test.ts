// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";

const calls: { method: string; args: unknown[] }[] = [];
const answer =
  (method: string, items: unknown[]) =>
  (...args: unknown[]) => {
    calls.push({ method, args });
    return Promise.resolve({ items });
  };
vi.mock("../api.js", () => ({
  client: {
    searchExperiments: answer("searchExperiments", [{ experiment_id: "7", name: "vision/resnet" }]),
    searchRegisteredModels: answer("searchRegisteredModels", [{ name: "resnet-clf" }]),
    searchRuns: answer("searchRuns", [
      { info: { run_id: "abc", run_name: "resnet-lr1", experiment_id: "7", status: "FINISHED" } },
    ]),
  },
}));

const { TlCommandPalette } = await import("./command-palette.js");

afterEach(() => {
  document.body.innerHTML = "";
  calls.length = 0;
  location.hash = "";
});

async function typed(text: string) {
  const el = document.createElement("tl-command-palette") as InstanceType<typeof TlCommandPalette>;
  document.body.append(el);
  await el.open();
  const input = el.shadowRoot?.querySelector("input") as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new InputEvent("input"));
  await vi.waitFor(() => expect(el.shadowRoot?.querySelectorAll('[role="option"]').length).toBe(3), { timeout: 2000 });
  return { el, input };
}

describe("tl-command-palette", () => {
  it("searches experiments, runs and models by name, case-insensitively", async () => {
    await typed("res");
    const filters = calls.map((c) => [c.method, (c.args.at(-1) as { filterString?: string }).filterString]);
    expect(filters).toContainEqual(["searchExperiments", "name ILIKE '%res%'"]);
    expect(filters).toContainEqual(["searchRuns", "attributes.run_name ILIKE '%res%'"]);
    expect(filters).toContainEqual(["searchRegisteredModels", "name ILIKE '%res%'"]);
    const runs = calls.find((c) => c.method === "searchRuns");
    expect(runs?.args[0]).toEqual(["7"]);
    expect(runs?.args[1]).toMatchObject({ maxResults: 10 });
  });

  it("moves with the arrows and opens with Enter", async () => {
    const { input } = await typed("res");
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown" }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    expect(location.hash).toBe("#/experiments/7/runs/abc");
  });
});
