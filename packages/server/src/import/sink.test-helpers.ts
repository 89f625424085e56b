import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "../store/index.js";
import type { MetricPoint } from "./model.js";

/** A temporary folder holding a target database (`db.url`), removed by `remove`. */
export function tempTarget(): { dir: string; url: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-sink-"));
  return { dir, url: `file:${join(dir, "target.db")}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TargetApp {
  app: Hono;
  store: Store;
  call(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  close(): void;
}

/** tracklite's app on an imported database, read through its REST routes as a client would. */
export async function openTargetApp(url: string, dir: string): Promise<TargetApp> {
  const store = await createStore({ url, defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({
    store,
    artifacts: createLocalArtifactStore(join(dir, "artifacts")),
    config: { mlflowVersion: "0.0.0-test" },
  });
  const call: TargetApp["call"] = async (method, path, body) => {
    const target = new URL(
      path.startsWith("/api/") ? `http://localhost${path}` : `http://localhost/api/2.0/mlflow${path}`,
    );
    let init: RequestInit = { method };
    if (method === "GET" && body) {
      for (const [k, v] of Object.entries(body)) {
        for (const item of Array.isArray(v) ? v : [v]) target.searchParams.append(k, String(item));
      }
    } else if (body) {
      init = { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
    }
    const res = await app.request(target.toString(), init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { app, store, call, close: () => store.close() };
}

/** An async stream of the given batches. */
export async function* batches<T>(...parts: T[][]): AsyncIterable<T[]> {
  for (const part of parts) yield part;
}

/** A history that yields `good` and then fails, as a source whose connection drops half-way. */
export async function* failingAfter(good: MetricPoint[]): AsyncIterable<MetricPoint[]> {
  yield good;
  throw new Error("source connection lost");
}

/** The wire form of a value (the REST answers' "NaN" / "Infinity" strings). */
export const wire = (v: number): number | string =>
  Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v;

/** The points of one key as get-history answers them: ordered by (timestamp, step, value). */
export function expectedHistory(points: MetricPoint[], key: string) {
  const seen = new Set<string>();
  return points
    .filter((p) => p.key === key)
    .filter((p) => {
      const id = JSON.stringify([p.step, p.timestamp, String(p.value)]);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort(
      (a, b) =>
        a.timestamp - b.timestamp ||
        a.step - b.step ||
        (Number.isNaN(a.value) ? 0 : a.value) - (Number.isNaN(b.value) ? 0 : b.value),
    )
    .map((p) => ({ key, value: wire(p.value), timestamp: p.timestamp, step: p.step }));
}
