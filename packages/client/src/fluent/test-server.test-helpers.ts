import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, createStore, type Store } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, afterEach, beforeAll } from "vitest";
import { Tracking, type TrackingOptions } from "./tracking.js";

/** A request the client sent: method, API path (e.g. `/2.0/mlflow/runs/log-batch`) and parsed JSON body. */
export interface SentRequest {
  method: string;
  path: string;
  body: any;
}

export interface InProcessServer {
  /** Every request sent to the app, in order; tests may clear it. */
  requests: SentRequest[];
  /** Awaited before a request reaches the app: tests slow requests down or watch them here. */
  beforeRequest: ((req: SentRequest) => Promise<void> | void) | undefined;
  /** A Tracking on this app (no retries); closed after each test. */
  tracking(options?: TrackingOptions): Tracking;
  /** The log-batch requests recorded so far. */
  logBatches(): SentRequest[];
}

/**
 * A real tracklite app on a temporary database, reached without a socket through the client's `fetch` option, for
 * the test file that calls it. Trackings made by `tracking()` are closed after each test.
 */
export function useInProcessServer(): InProcessServer {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-fluent-"));
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const open: Tracking[] = [];
  const server: InProcessServer = {
    requests: [],
    beforeRequest: undefined,
    tracking: (options = {}) => {
      const tracking = new Tracking({ trackingUri: "http://localhost:5000", fetch: send, maxRetries: 0, ...options });
      open.push(tracking);
      return tracking;
    },
    logBatches: () => server.requests.filter((r) => r.path.endsWith("/runs/log-batch")),
  };
  const send = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const req: SentRequest = {
      method: init?.method ?? "GET",
      path: url.pathname.replace(/^\/api/, ""),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    server.requests.push(req);
    await server.beforeRequest?.(req);
    return app.request(input, init);
  };
  beforeAll(async () => {
    store = await createStore({ url: `file:${join(dir, "test.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
    app = createApp({
      store,
      artifacts: createLocalArtifactStore(join(dir, "artifacts")),
      config: { mlflowVersion: "0.0.0-test" },
    });
  });
  afterEach(async () => {
    server.beforeRequest = undefined;
    await Promise.allSettled(open.splice(0).map((t) => t.close()));
    server.requests = [];
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
