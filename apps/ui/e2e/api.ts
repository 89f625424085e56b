/** Direct REST reads and writes against the e2e server, for expected values and for set-up the UI does not own. */
import { ctx } from "./harness.js";

export async function apiGet<T = any>(path: string, query: Record<string, string | string[]> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  const res = await fetch(`${ctx.baseUrl}/api/2.0/mlflow/${path}?${q}`);
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function apiPost<T = any>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${ctx.baseUrl}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every value of one metric of one run, in step order. */
export async function metricValues(runId: string, key: string): Promise<number[]> {
  const r = await apiGet<{ metrics?: { value: number | string; step?: number }[] }>("metrics/get-history", {
    run_id: runId,
    metric_key: key,
    max_results: "25000",
  });
  return (r.metrics ?? []).map((m) => Number(m.value));
}
