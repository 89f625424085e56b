// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const experiments = [
  { experiment_id: "0", name: "Default", lifecycle_stage: "active", last_update_time: 1 },
  { experiment_id: "1", name: "vision/resnet", lifecycle_stage: "active", last_update_time: 30, tags: [] },
  { experiment_id: "2", name: "vision/vit", lifecycle_stage: "active", last_update_time: 20 },
  { experiment_id: "3", name: "nlp/bert", lifecycle_stage: "active", last_update_time: 10 },
];
const searchExperiments = vi.fn();
vi.mock("../api.js", () => ({ client: { searchExperiments: (...a: unknown[]) => searchExperiments(...a) } }));

const { TlExperimentsPage } = await import("./experiments-page.js");

type Page = InstanceType<typeof TlExperimentsPage>;

async function mount(query = ""): Promise<Page> {
  const el = document.createElement("tl-experiments-page") as Page;
  el.query = new URLSearchParams(query);
  document.body.append(el);
  await vi.waitFor(() => expect(el.experiments).toBeDefined());
  await el.updateComplete;
  return el;
}
const names = (el: Page) =>
  [...(el.shadowRoot?.querySelectorAll("tbody tr.item") ?? [])].map((tr) =>
    (tr.querySelector("a, .folder-name")?.textContent ?? "").trim(),
  );

beforeEach(() => {
  localStorage.clear();
  searchExperiments.mockReset();
  searchExperiments.mockResolvedValue({ items: experiments });
});
afterEach(() => {
  document.body.innerHTML = "";
});

describe("tl-experiments-page", () => {
  it("asks for the view's experiments, most recently updated first", async () => {
    await mount("view=deleted");
    expect(searchExperiments).toHaveBeenCalledWith(
      expect.objectContaining({ viewType: "DELETED_ONLY", orderBy: ["last_update_time DESC"] }),
    );
  });

  it("shows folders from `/` in names, newest first", async () => {
    const el = await mount();
    expect(names(el)).toEqual(["vision", "resnet", "vit", "nlp", "bert", "Default"]);
    expect(el.shadowRoot?.querySelector("tl-getting-started")).toBeNull();
  });

  it("filters by the search in the URL and keeps the matches' folders open", async () => {
    const el = await mount("q=VI");
    expect(names(el)).toEqual(["vision", "resnet", "vit"]);
    el.query = new URLSearchParams("q=bert");
    await el.updateComplete;
    expect(names(el)).toEqual(["nlp", "bert"]);
  });

  it("puts pinned experiments first, with their full names", async () => {
    localStorage.setItem("tracklite.pinned-experiments", JSON.stringify(["3"]));
    const el = await mount();
    expect(names(el)).toEqual(["nlp/bert", "vision", "resnet", "vit", "Default"]);
    const groups = [...(el.shadowRoot?.querySelectorAll("tr.group") ?? [])].map((g) => g.textContent?.trim());
    expect(groups).toEqual(["Pinned", "All experiments"]);
  });

  it("teaches how to log a first run when only the Default experiment exists", async () => {
    searchExperiments.mockResolvedValue({ items: experiments.slice(0, 1) });
    const el = await mount();
    const start = el.shadowRoot?.querySelector("tl-getting-started") as HTMLElement & {
      updateComplete: Promise<unknown>;
    };
    await start.updateComplete;
    expect(start.shadowRoot?.textContent).toContain(`mlflow.set_tracking_uri("${location.origin}")`);
  });

  it("shows the error code inline with a retry", async () => {
    searchExperiments.mockRejectedValueOnce(Object.assign(new Error("boom"), { errorCode: "INTERNAL_ERROR" }));
    const el = document.createElement("tl-experiments-page") as Page;
    el.query = new URLSearchParams();
    document.body.append(el);
    await vi.waitFor(() => expect(el.error).toBeDefined());
    await el.updateComplete;
    const err = el.shadowRoot?.querySelector("tl-error") as HTMLElement;
    expect(err).not.toBeNull();
    err.dispatchEvent(new CustomEvent("retry"));
    await vi.waitFor(() => expect(el.experiments).toHaveLength(4));
  });
});
