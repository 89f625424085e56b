import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** The trace writes of the span ingest path: StartTraceV3, which the client sends when a trace ends. */
export function traceWriteRoutes(v3Only: Hono, store: Store): void {
  const at = storeIn(store);
  mount(v3Only, "startTraceV3", async (r, c) => ({
    trace: { trace_info: await at(c).traceStarts.startTrace(r.trace?.trace_info ?? {}) },
  }));
}
