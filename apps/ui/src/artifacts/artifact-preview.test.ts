// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import "./artifact-preview.js";
import type { TlArtifactPreview } from "./artifact-preview.js";

async function mount(path: string, size: number, body: string) {
  const fetchMock = vi.fn(async () => new Response(body, { headers: { "content-length": String(size) } }));
  vi.stubGlobal("fetch", fetchMock);
  const el = document.createElement("tl-artifact-preview") as TlArtifactPreview;
  el.url = `http://localhost/a/${path}`;
  el.path = path;
  el.size = size;
  document.body.append(el);
  for (let i = 0; i < 20 && el.content.state !== "text" && el.content.state !== "error"; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  await el.updateComplete;
  return { el, root: el.shadowRoot as ShadowRoot, fetchMock };
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

describe("tl-artifact-preview", () => {
  it("shows HTML in a frame sandboxed without scripts", async () => {
    const { root } = await mount("report.html", 40, "<p>hi</p><script>alert(1)</script>");
    const frame = root.querySelector("iframe");
    expect(frame?.getAttribute("sandbox")).toBe("");
    expect(frame?.srcdoc).toContain("<p>hi</p>");
  });

  it("previews a large log from its first 256 KB and says so", async () => {
    const size = 2 * 1024 * 1024;
    const { el, root } = await mount("big.log", size, "x".repeat(size));
    expect(el.content.state === "text" && el.content.text.length).toBe(256 * 1024);
    expect(root.textContent).toContain("Showing the first 256 KB of 2 MB");
  });

  it("pretty-prints JSON and tables CSV", async () => {
    const json = await mount("m.json", 12, '{"a":[1,2]}');
    expect(json.root.querySelector("pre")?.textContent).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    const csv = await mount("t.csv", 20, "a,b\n1,2\n3,4\n");
    expect([...csv.root.querySelectorAll("tbody tr")].map((r) => r.textContent?.replace(/\s+/g, ""))).toEqual([
      "112",
      "234",
    ]);
  });

  it("does not download files it cannot preview until asked", async () => {
    const { root, fetchMock } = await mount("model.pkl", 10, "binary");
    expect(fetchMock).not.toHaveBeenCalled();
    expect(root.textContent).toContain("No preview for .pkl files");
  });
});
