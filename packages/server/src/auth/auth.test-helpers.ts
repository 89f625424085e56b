import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "../store/index.js";
import { readAuthConfig } from "./config.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { AuthService } from "./service.js";

export const ADMIN = { username: "admin", password: "admin-password-1" } as const;

export interface AuthTestApp {
  app: Hono;
  store: Store;
  auth: AuthService;
  dir: string;
  /** Calls `/api/<version>/mlflow<path>` as `who` (username and password, a bearer token, or nobody). */
  call(
    who: { username: string; password: string } | { token: string } | undefined,
    method: string,
    path: string,
    body?: Record<string, unknown>,
    opts?: { version?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Creates a user through the API (as admin). */
  addUser(username: string, password?: string): Promise<{ username: string; password: string }>;
}

export const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

/** A fresh app with basic auth on temporary databases, for the test file that calls it. */
export function useAuthApp(
  options: { ini?: string; rateLimit?: RateLimitOptions; enableWorkspaces?: boolean } = {},
): AuthTestApp {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-auth-test-"));
  const t = { dir } as AuthTestApp;
  beforeAll(async () => {
    t.store = await createStore({
      url: `file:${join(dir, "test.db")}`,
      defaultArtifactRoot: "mlflow-artifacts:/",
      ...(options.enableWorkspaces ? { enableWorkspaces: true } : {}),
    });
    const config = readAuthConfig({
      env: { MLFLOW_AUTH_ADMIN_PASSWORD: ADMIN.password, MLFLOW_AUTH_CONFIG_PATH: "test.ini" },
      iniText: options.ini ?? "[mlflow]\ndefault_permission = READ\nadmin_username = admin\n",
      defaultDatabaseUri: `file:${join(dir, "basic_auth.db")}`,
    });
    t.auth = await AuthService.open({
      config,
      clientAddress: (c) => c.req.header("x-test-ip"),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    });
    t.app = createApp({
      store: t.store,
      artifacts: createLocalArtifactStore(join(dir, "artifacts")),
      config: { mlflowVersion: "0.0.0-test" },
      auth: t.auth,
    });
  });
  afterAll(() => {
    t.store.close();
    t.auth.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.call = async (who, method, path, body, opts = {}) => {
    const url = new URL(`http://localhost/api/${opts.version ?? "2.0"}/mlflow${path}`);
    const headers: Record<string, string> = { ...opts.headers };
    if (who && "token" in who) headers.Authorization = `Bearer ${who.token}`;
    else if (who) headers.Authorization = basic(who.username, who.password);
    let init: RequestInit = { method, headers };
    if (method === "GET" && body) {
      for (const [k, v] of Object.entries(body)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
      }
    } else if (body) {
      init = { method, body: JSON.stringify(body), headers: { ...headers, "Content-Type": "application/json" } };
    }
    const res = await t.app.request(url.toString(), init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  };
  t.addUser = async (username, password = `${username}-password-1`) => {
    const r = await t.call(ADMIN, "POST", "/users/create", { username, password });
    if (r.status !== 200) throw new Error(`create ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return { username, password };
  };
  return t;
}
