import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createApp, createStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mountUi, uiDir } from "./ui.js";

const tmp = mkdtempSync(join(tmpdir(), "tracklite-ui-test-"));
const INDEX = '<!doctype html><title>tracklite</title><script type="module" src="./assets/index-abc123.js"></script>';
const ASSET = Buffer.from("export const answer = 42;\n".repeat(20));

let store: Awaited<ReturnType<typeof createStore>>;
const apps: Record<"built" | "missing", ReturnType<typeof createApp>> = {} as never;

beforeAll(async () => {
  const ui = join(tmp, "ui");
  mkdirSync(join(ui, "assets"), { recursive: true });
  writeFileSync(join(ui, "index.html"), INDEX);
  writeFileSync(join(ui, "assets", "index-abc123.js"), ASSET);
  writeFileSync(join(ui, "assets", "index-abc123.js.gz"), gzipSync(ASSET));
  store = await createStore({ url: `file:${join(tmp, "db.sqlite")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
  for (const kind of ["built", "missing"] as const) {
    const app = createApp({
      store,
      artifacts: createLocalArtifactStore(join(tmp, "artifacts")),
      config: { mlflowVersion: "0.0.0-test" },
    });
    mountUi(app, kind === "built" ? ui : join(tmp, "no-such-folder"));
    apps[kind] = app;
  }
});

afterAll(() => {
  store.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("the web UI at /", () => {
  it("answers / with index.html, never cached", async () => {
    const res = await apps.built.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toBe(INDEX);
  });

  it("serves hashed assets byte for byte with a long cache lifetime", async () => {
    const res = await apps.built.request("/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(ASSET);
  });

  it("sends the precompressed asset when the browser accepts it", async () => {
    const res = await apps.built.request("/assets/index-abc123.js", { headers: { "accept-encoding": "gzip, br" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("content-type")).toMatch(/javascript/);
  });

  it("keeps the API, /health, /version and the JSON 404s", async () => {
    expect(await (await apps.built.request("/health")).text()).toBe("OK");
    expect(await (await apps.built.request("/version")).text()).toBe("0.0.0-test");
    const search = await apps.built.request("/ajax-api/2.0/mlflow/experiments/search?max_results=5");
    expect(search.status).toBe(200);
    expect(await search.json()).toHaveProperty("experiments");
    for (const path of ["/api/2.0/mlflow/nope", "/ajax-api/2.0/mlflow/nope", "/nope", "/assets/missing.js"]) {
      const res = await apps.built.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    }
  });

  it("refuses paths that climb out of the UI folder", async () => {
    const res = await apps.built.request("/assets/..%2f..%2fdb.sqlite");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/json/);
  });

  it("says the UI was not built when there is no folder, and the API still works", async () => {
    const res = await apps.missing.request("/");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("web UI was not built");
    expect(await (await apps.missing.request("/health")).text()).toBe("OK");
  });
});

describe("uiDir", () => {
  it("takes TRACKLITE_UI_DIR over the folder beside the CLI", () => {
    expect(uiDir({ TRACKLITE_UI_DIR: "/srv/ui" })).toBe("/srv/ui");
    expect(uiDir({})).toMatch(/[/\\]ui$/);
  });
});

// links (issue 15): MLflow's notebook trace renderer URL.
describe("MLflow's notebook trace renderer", () => {
  const renderer = "/static-files/lib/notebook-trace-renderer/index.html";
  it("redirects one trace to its trace view in embed mode, relative to the server's root", async () => {
    const res = await apps.built.request(`${renderer}?trace_id=tr-1&experiment_id=3&version=3.17.2`);
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toBe("../../../#/experiments/3/traces/tr-1?embed=1");
    // Resolved against the renderer's URL it is the UI's root, with or without a static prefix.
    expect(new URL(location, `http://h${renderer}`).href).toBe("http://h/#/experiments/3/traces/tr-1?embed=1");
    expect(new URL(location, `http://h/mlflow${renderer}`).pathname).toBe("/mlflow/");
  });

  it("sends several traces to the experiment's Traces tab, and no experiment to the list", async () => {
    const several = await apps.built.request(`${renderer}?trace_id=a&experiment_id=3&trace_id=b&experiment_id=3`);
    expect(several.headers.get("location")).toBe("../../../#/experiments/3?tab=traces&embed=1");
    const none = await apps.built.request(renderer);
    expect(none.headers.get("location")).toBe("../../../#/");
  });

  it("is not served without a built UI", async () => {
    expect((await apps.missing.request(`${renderer}?trace_id=a&experiment_id=1`)).status).toBe(404);
  });
});
