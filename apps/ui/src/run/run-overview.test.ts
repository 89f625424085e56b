// @vitest-environment happy-dom
import type { Run } from "@tracklite/schemas";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeRun } from "../runs/fake-runs.test-helpers.js";

const data = vi.hoisted(() => ({
  loadChildRuns: vi.fn(),
  loadLoggedModels: vi.fn(),
  loadRegisteredVersions: vi.fn(),
  loadSummaries: vi.fn(),
}));
vi.mock("./run-data.js", () => data);
vi.mock("../api.js", () => ({ client: {} }));

await import("./run-overview.js");

afterEach(() => {
  document.body.innerHTML = "";
});

const row = (el: Element, label: string) =>
  [...(el.shadowRoot?.querySelectorAll("tr") ?? [])]
    .find((tr) => tr.querySelector("th")?.textContent === label)
    ?.querySelector("td");

describe("tl-run-overview related lists", () => {
  it("lists child runs, logged models and versions; says None, or shows the error with Retry", async () => {
    data.loadChildRuns.mockResolvedValue({ runs: [fakeRun("c1", { name: "child-one" })], more: true });
    data.loadLoggedModels.mockResolvedValue([]);
    data.loadRegisteredVersions
      .mockRejectedValueOnce(new Error("boom"))
      .mockResolvedValue([{ name: "iris", version: "2" }]);
    data.loadSummaries.mockResolvedValue(new Map());
    const el = document.createElement("tl-run-overview") as HTMLElement & {
      run: Run;
      updateComplete: Promise<unknown>;
    };
    el.run = fakeRun("r1", { name: "parent" });
    document.body.append(el);
    await vi.waitFor(() => expect(row(el, "Registered models")?.querySelector("tl-error")).toBeTruthy());
    const children = row(el, "Child runs");
    expect(children?.querySelector(".item a")?.textContent).toBe("child-one");
    expect(children?.querySelector(".list > a")?.textContent).toBe("All child runs…");
    expect(row(el, "Logged models")?.textContent?.trim()).toBe("None");
    row(el, "Registered models")?.querySelector("tl-error")?.dispatchEvent(new CustomEvent("retry"));
    await vi.waitFor(() => expect(row(el, "Registered models")?.querySelector(".item a")?.textContent).toBe("iris v2"));
  });
});

describe("tl-run-overview git details", () => {
  it("shows the git branch beside the commit when the run has one, and no empty row otherwise", async () => {
    data.loadChildRuns.mockResolvedValue({ runs: [], more: false });
    data.loadLoggedModels.mockResolvedValue([]);
    data.loadRegisteredVersions.mockResolvedValue([]);
    data.loadSummaries.mockResolvedValue(new Map());
    const el = document.createElement("tl-run-overview") as HTMLElement & {
      run: Run;
      updateComplete: Promise<unknown>;
    };
    el.run = fakeRun("r1", {
      tags: { "mlflow.source.git.branch": "feature/links", "mlflow.source.git.commit": "0123456789abcdef" },
    });
    document.body.append(el);
    await el.updateComplete;
    expect(row(el, "Git branch")?.textContent?.trim()).toBe("feature/links");
    expect(row(el, "Git commit")?.querySelector("tl-copy")).toBeTruthy();
    el.run = fakeRun("r2");
    await el.updateComplete;
    expect(row(el, "Git branch")).toBeUndefined();
  });
});
