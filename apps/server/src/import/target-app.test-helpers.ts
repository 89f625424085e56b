import { join } from "node:path";
import { createApp, createStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";

/**
 * tracklite's app on an imported store, read through its REST routes as a client would (`app.request`): the import's
 * result is checked by what tracklite answers, not by its tables.
 */
export async function openTargetApp(url: string, artifactsDestination: string) {
  const store = await createStore({ url, defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({
    store,
    artifacts: createLocalArtifactStore(artifactsDestination),
    config: { mlflowVersion: "0.0.0-test" },
  });
  /** GET with query parameters, or POST with a JSON body, under /api/2.0/mlflow unless the path is absolute. */
  const call = async (method: string, path: string, body?: Record<string, unknown>) => {
    const url = new URL(
      path.startsWith("/api/") ? `http://localhost${path}` : `http://localhost/api/2.0/mlflow${path}`,
    );
    let init: RequestInit = { method };
    if (method === "GET" && body) for (const [k, v] of Object.entries(body)) url.searchParams.append(k, String(v));
    else if (body) init = { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
    const res = await app.request(url.toString(), init);
    const text = await res.text();
    // REST answers, read loosely by the tests.
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  /** Every point of one metric of one run, through get-metric-history's pages. */
  const history = async (runId: string, key: string) => {
    const points: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await call("GET", "/metrics/get-history", {
        run_id: runId,
        metric_key: key,
        max_results: 25000,
        ...(token ? { page_token: token } : {}),
      });
      if (page.status !== 200) throw new Error(JSON.stringify(page.body));
      points.push(...(page.body.metrics ?? []));
      token = page.body.next_page_token;
    } while (token);
    return points;
  };
  return {
    store,
    app,
    call,
    history,
    close: () => store.close(),
    artifactsAt: (p: string) => join(artifactsDestination, p),
  };
}
