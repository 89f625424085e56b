// @vitest-environment happy-dom
import { MlflowApiError } from "@tracklite/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mount, shadowText as text } from "../dom.test-helpers.js";

const api = vi.hoisted(() => ({
  client: {
    searchRegisteredModels: vi.fn(),
    getRegisteredModel: vi.fn(),
    createRegisteredModel: vi.fn(),
    createModelVersion: vi.fn(),
    getRun: vi.fn(),
  },
}));
vi.mock("../api.js", () => api);

await import("./alias-editor.js");
await import("./register-dialog.js");
await import("./versions-table.js");

const { client } = api;

const settle = async (el: { updateComplete: Promise<unknown> }) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};

beforeEach(() => {
  for (const fn of Object.values(client)) fn.mockReset();
  client.searchRegisteredModels.mockResolvedValue({ items: [{ name: "iris" }, { name: "wine" }] });
});
afterEach(() => {
  document.body.innerHTML = "";
});

describe("tl-alias-editor", () => {
  it("links each alias to its version and asks the parent to remove or set one", async () => {
    const el = await mount<HTMLElement & { updateComplete: Promise<unknown> }>("tl-alias-editor", {
      modelName: "iris",
      aliases: [{ alias: "champion", version: "2" }],
      versions: ["2", "1"],
      editable: true,
    });
    expect(text(el)).toContain("@champion");
    expect(el.shadowRoot?.querySelector("a")?.getAttribute("href")).toBe("#/models/iris/versions/2");

    const events: [string, unknown][] = [];
    for (const type of ["alias-set", "alias-delete"]) {
      el.addEventListener(type, (e) => events.push([type, (e as CustomEvent).detail]));
    }
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Remove alias champion"]')?.click();

    [...(el.shadowRoot?.querySelectorAll("button") ?? [])].find((b) => b.textContent?.includes("Add alias"))?.click();
    await el.updateComplete;
    const root = el.shadowRoot as ShadowRoot;
    (root.querySelector("input[name=alias]") as HTMLInputElement).value = "baseline";
    (root.querySelector("select[name=version]") as HTMLSelectElement).value = "1";
    root.querySelector("form")?.requestSubmit();
    expect(events).toEqual([
      ["alias-delete", { alias: "champion" }],
      ["alias-set", { alias: "baseline", version: "1" }],
    ]);
  });

  it("shows no editing controls when read-only", async () => {
    const el = await mount("tl-alias-editor", { modelName: "m", aliases: [], versions: ["1"] });
    expect(text(el)).toBe("No aliases");
  });
});

describe("tl-register-model-dialog", () => {
  type Dialog = HTMLElement & { open(): void; updateComplete: Promise<unknown> };

  async function registerAs(name: string) {
    const el = await mount<Dialog>("tl-register-model-dialog", { source: "runs:/r1/model", runId: "r1" });
    const registered: unknown[] = [];
    el.addEventListener("registered", (e) => registered.push((e as CustomEvent).detail));
    el.open();
    await settle(el);
    const root = el.shadowRoot as ShadowRoot;
    const input = root.querySelector("#model-name") as HTMLInputElement;
    input.value = name;
    input.dispatchEvent(new Event("input"));
    await el.updateComplete;
    const offered = [...root.querySelectorAll("datalist option")].map((o) => o.getAttribute("value"));
    const hint = text(el);
    [...root.querySelectorAll("button")].find((b) => b.textContent?.trim() === "Register")?.click();
    await settle(el);
    return { el, root, registered, offered, hint };
  }

  it("offers the existing names and adds a version to an existing model", async () => {
    client.getRegisteredModel.mockResolvedValue({ name: "iris" });
    client.createModelVersion.mockResolvedValue({ name: "iris", version: "3" });
    const { el, root, registered, offered, hint } = await registerAs("iris");
    expect(offered).toEqual(["iris", "wine"]);
    expect(hint).toContain("Adds a new version to iris.");
    expect(client.createRegisteredModel).not.toHaveBeenCalled();
    expect(client.createModelVersion).toHaveBeenCalledWith("iris", "runs:/r1/model", {
      runId: "r1",
      modelId: undefined,
    });
    expect(registered).toEqual([{ name: "iris", version: "3" }]);
    expect(text(el)).toContain("Registered iris version 3.");
    expect(root.querySelector("a")?.getAttribute("href")).toBe("#/models/iris/versions/3");
  });

  it("creates the model first when the name is new", async () => {
    client.getRegisteredModel.mockRejectedValue(new MlflowApiError("RESOURCE_DOES_NOT_EXIST", "nope", 404));
    client.createRegisteredModel.mockResolvedValue({ name: "new-model" });
    client.createModelVersion.mockResolvedValue({ name: "new-model", version: "1" });
    const { registered, hint } = await registerAs("new-model");
    expect(hint).toContain("Creates the new model new-model with version 1.");
    expect(client.createRegisteredModel).toHaveBeenCalledWith("new-model");
    expect(registered).toEqual([{ name: "new-model", version: "1" }]);
  });

  it("shows a server error inline and registers nothing", async () => {
    client.getRegisteredModel.mockRejectedValue(new MlflowApiError("RESOURCE_DOES_NOT_EXIST", "nope", 404));
    client.createRegisteredModel.mockRejectedValue(
      new MlflowApiError("INVALID_PARAMETER_VALUE", "Names cannot contain '/'", 400),
    );
    const { root, registered } = await registerAs("bad/name");
    const error = root.querySelector("tl-error");
    expect(error?.shadowRoot?.textContent).toContain("INVALID_PARAMETER_VALUE");
    expect(client.createModelVersion).not.toHaveBeenCalled();
    expect(registered).toEqual([]);
  });
});

describe("tl-versions-table", () => {
  it("shows a prompt's template and commit message instead of stage and run", async () => {
    const el = await mount("tl-versions-table", {
      modelName: "p",
      prompt: true,
      aliases: { "1": ["prod"] },
      versions: [
        {
          name: "p",
          version: "1",
          creation_timestamp: 1,
          description: "first",
          tags: [{ key: "mlflow.prompt.text", value: "Hello {{ user_name }}" }],
        },
      ],
    });
    const headers = [...(el.shadowRoot?.querySelectorAll("th") ?? [])].map((th) => th.textContent);
    expect(headers).toEqual(["Version", "Aliases", "Created", "Template", "Commit message"]);
    expect(text(el)).toContain("Hello {{ user_name }}");
    expect(text(el)).toContain("@prod");
  });
});
