import { expect } from "vitest";
import type { TestApp } from "../testing.test-helpers.js";

/** Sends a v3 request (query parameters for GET) and returns status and body. */
export async function callV3(
  t: TestApp,
  method: string,
  path: string,
  body?: Record<string, unknown>,
  prefix = "/api/3.0",
) {
  const url = new URL(`http://localhost${prefix}/mlflow${path}`);
  const init: RequestInit = { method };
  if (method === "GET" && body) {
    for (const [k, v] of Object.entries(body))
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await t.app.request(url.toString(), init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Expects an error answer with the code and the message. */
export function expectError(r: { status: number; body: any }, status: number, code: string, message: string | RegExp) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error_code).toBe(code);
  if (typeof message === "string") expect(r.body.message).toBe(message);
  else expect(r.body.message).toMatch(message);
}

/** A new experiment's id. */
export async function newExperiment(t: TestApp, name: string): Promise<string> {
  const r = await t.call("POST", "/experiments/create", { name });
  expect(r.status).toBe(200);
  return r.body.experiment_id;
}
