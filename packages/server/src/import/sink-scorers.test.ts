import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { createImportSink } from "./sink.js";
import { openTargetApp, type TargetApp, tempTarget } from "./sink.test-helpers.js";

/** Scorers registered on one tracklite, read as its REST answers them, imported into another and read back. */
const source = useTestApp();
const target = tempTarget();
let app: TargetApp;
afterAll(() => {
  app?.close();
  target.remove();
});

async function v3(
  a: { app: { request: (u: string, i?: RequestInit) => Response | Promise<Response> } },
  method: string,
  path: string,
  body?: Record<string, unknown>,
) {
  const query = method === "GET" && body ? `?${new URLSearchParams(body as Record<string, string>)}` : "";
  const res = await a.app.request(`http://localhost/api/3.0/mlflow${path}${query}`, {
    method,
    ...(method !== "GET" && body
      ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }
      : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("import sink: scorers", () => {
  it("reads back every version of a scorer as the source lists them, once however often imported", async () => {
    for (const n of [1, 2]) {
      const r = await v3(source, "POST", "/scorers/register", {
        experiment_id: "0",
        name: "relevance",
        serialized_scorer: JSON.stringify({ name: "relevance", v: n }),
      });
      expect(r.status).toBe(200);
    }
    const q = { experiment_id: "0", name: "relevance" };
    const listed = await v3(source, "GET", "/scorers/versions", q);
    expect(listed.body.scorers).toHaveLength(2);
    for (let pass = 0; pass < 2; pass++) {
      const sink = await createImportSink({ url: target.url });
      await sink.scorer("0", { experiment_id: "0", versions: listed.body.scorers });
      await sink.close();
    }
    app = await openTargetApp(target.url, target.dir);
    expect(await v3(app, "GET", "/scorers/versions", q)).toEqual(listed);
    expect(await v3(app, "GET", "/scorers/list", { experiment_id: "0" })).toEqual(
      await v3(source, "GET", "/scorers/list", { experiment_id: "0" }),
    );
  });
});
