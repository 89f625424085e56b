import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll } from "vitest";
import { createApp } from "./app.js";
import { createLocalArtifactStore } from "./artifacts/local.js";
import { createStore, type Store, type StoreOptions } from "./store/index.js";

export interface TestApp {
  app: Hono;
  store: Store;
  /** The temporary folder holding the database and the artifact root (`artifacts/`). */
  dir: string;
  /** Sends JSON (query parameters for GET) and returns status and parsed body. */
  call(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/**
 * A fresh app on a temporary database file for the test file that calls it; removed afterwards. `options` adds store
 * options (webhook delivery settings, say).
 */
export function useTestApp(options: Partial<StoreOptions> = {}): TestApp {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-test-"));
  const t = { dir } as TestApp;
  beforeAll(async () => {
    t.store = await createStore({
      url: `file:${join(dir, "test.db")}`,
      defaultArtifactRoot: "mlflow-artifacts:/",
      ...options,
    });
    t.app = createApp({
      store: t.store,
      artifacts: createLocalArtifactStore(join(dir, "artifacts")),
      config: { mlflowVersion: "0.0.0-test" },
    });
  });
  afterAll(() => {
    t.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.call = async (method, path, body) => {
    const url = new URL(`http://localhost/api/2.0/mlflow${path}`);
    let init: RequestInit = { method };
    if (method === "GET" && body) {
      for (const [k, v] of Object.entries(body)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
      }
    } else if (body) {
      init = { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
    }
    const res = await t.app.request(url.toString(), init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return t;
}
