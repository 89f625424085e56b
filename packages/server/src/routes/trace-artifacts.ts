import type { TraceInfoV3 } from "@tracklite/schemas";
import type { Hono } from "hono";
import { artifactResponse } from "../artifacts/http.js";
import { joinArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { MlflowError, notFound } from "../errors.js";
import type { Store } from "../store/index.js";
import { readTraceDataFile, TRACE_DATA_FILE, traceArtifactDir } from "../traces/artifact-spans.js";
import { dictSpanJsonFromApi } from "../traces/span-json.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * The UI's `get-trace-artifact` (`/ajax-api/{2.0,3.0}/mlflow/get-trace-artifact`): a trace's data as `traces.json`
 * holds it (`{"spans": [Span.to_dict()]}`), from the database's spans or the artifact store, or one of its
 * attachments (`?path=`).
 * @see mlflow/server/handlers.py get_trace_artifact_handler
 */
export function traceArtifactRoutes(ajax: Hono, store: Store, artifacts: ArtifactStore): void {
  const at = storeIn(store);
  ajax.get("/mlflow/get-trace-artifact", async (c) => {
    const requestId = c.req.query("request_id");
    if (!requestId) throw new MlflowError('Request must include the "request_id" query parameter.', "BAD_REQUEST");
    const traces = at(c).traces;
    // The reference reads the trace through get_trace first: its wording for an unknown one.
    if (!(await traces.findRow(requestId))) throw notFound(`Trace with ID ${requestId} is not found.`);
    const info: TraceInfoV3 = await traces.getInfo(requestId);
    const path = c.req.query("path");
    if (path) {
      const dir = traceArtifactDir(info);
      if (dir === undefined) throw notFound(`No such artifact: 'attachments/${path}'`);
      return artifactResponse(artifacts, joinArtifactPath(dir, "attachments", safeArtifactPath(path)));
    }
    const stored = await traces.storedSpans((await traces.row(requestId)).id);
    const headers = {
      "Content-Type": "application/json",
      "Content-Disposition": `attachment; filename=${TRACE_DATA_FILE}`,
    };
    if (stored.length > 0) return c.body(`{"spans":[${stored.map(dictSpanJsonFromApi).join(",")}]}`, 200, headers);
    const text = await readTraceDataFile(artifacts, info);
    if (text === undefined) throw notFound(`Trace data not found for trace with ID '${requestId}'.`);
    return c.body(text, 200, headers);
  });
}
