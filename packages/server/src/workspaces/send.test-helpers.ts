import type { TestApp } from "../testing.test-helpers.js";

/** Sends a request under `prefix` with the workspace header when `ws` is given. */
export async function send(
  t: TestApp,
  method: string,
  path: string,
  opts: { ws?: string; body?: unknown; prefix?: string } = {},
) {
  const url = new URL(`http://localhost${opts.prefix ?? "/api/2.0"}${path}`);
  const headers: Record<string, string> = {};
  if (opts.ws !== undefined) headers["X-MLFLOW-WORKSPACE"] = opts.ws;
  let body: string | undefined;
  if (method === "GET" && opts.body) {
    for (const [k, v] of Object.entries(opts.body as Record<string, unknown>)) url.searchParams.append(k, String(v));
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await t.app.request(url.toString(), { method, headers, ...(body ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}
