import type { Hono } from "hono";
import { clientCrash } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** The trace writes of the span ingest path: StartTraceV3, which the client sends when a trace ends. */
export function traceWriteRoutes(v3Only: Hono, store: Store): void {
  const at = storeIn(store);
  mount(v3Only, "startTraceV3", async (r, c) => {
    const info = r.trace?.trace_info ?? {};
    // The reference crashes on a trace info without its experiment (`int(None)`); its message, as a 400.
    if (info.trace_location?.mlflow_experiment?.experiment_id === undefined) {
      throw clientCrash("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    }
    return { trace: { trace_info: await at(c).traceStarts.startTrace(info) } };
  });
}
