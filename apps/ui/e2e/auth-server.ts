/**
 * A server with MLflow's basic auth for auth.test.ts, separate from the suite's shared (auth-less) server. Which
 * server is chosen by TRACKLITE_AUTH_SERVER:
 * - `tracklite` (default): the built `tracklite server --app-name basic-auth`, which serves the UI itself.
 * - `reference`: the reference `mlflow server --app-name basic-auth` from the MLflow 3 venv. It serves its
 *   own UI, so ours (apps/ui/dist) is served by Vite's preview server, which proxies the API to the reference, the
 *   way `npx vite` proxies to TRACKLITE_API in development. The reference always sends `WWW-Authenticate` with a
 *   401, which makes Chromium hold the request for a login prompt; the proxy drops that header from answers to the
 *   UI's calls (`X-Requested-With: XMLHttpRequest`), which is what tracklite does itself. Nothing else is changed.
 * Both read the admin user and the default permission from the same MLflow auth ini (MLFLOW_AUTH_CONFIG_PATH).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type PreviewServer, preview } from "vite";
import { REPO } from "./context.js";
import { freePort, stopGroup, waitForHealth } from "./processes.js";

export interface AuthServer {
  kind: "reference" | "tracklite";
  /** Where the browser opens the UI. */
  uiUrl: string;
  /** The REST API (for the test's own calls). */
  apiUrl: string;
  admin: { username: string; password: string };
  stop(): Promise<void>;
}

const ADMIN = { username: "admin", password: "admin-password-1234" };

/** Starts the auth server chosen by TRACKLITE_AUTH_SERVER with `admin` as its admin and no default access. */
export async function startAuthServer(python: string): Promise<AuthServer> {
  const kind = process.env.TRACKLITE_AUTH_SERVER === "reference" ? "reference" : "tracklite";
  const dir = mkdtempSync(join(tmpdir(), "tracklite-ui-auth-"));
  const ini = join(dir, "auth.ini");
  // NO_PERMISSIONS by default, so what a user sees is what was granted to them.
  writeFileSync(
    ini,
    [
      "[mlflow]",
      "default_permission = NO_PERMISSIONS",
      `database_uri = sqlite:///${dir}/auth.db`,
      `admin_username = ${ADMIN.username}`,
      `admin_password = ${ADMIN.password}`,
      "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
      // Password hashing costs seconds on a busy machine: verified credentials are cached (per worker, hence one).
      "auth_cache_ttl_seconds = 300",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const common = ["server", "--app-name", "basic-auth", "--host", "127.0.0.1", "--port", String(port)];
  const [cmd, args] =
    kind === "tracklite"
      ? [
          process.execPath,
          [
            join(REPO, "apps/server/dist/cli.js"),
            ...common,
            "--backend-store-uri",
            `file:${dir}/db`,
            "--artifacts-destination",
            `${dir}/art`,
          ],
        ]
      : [
          join(dirname(resolve(REPO, python)), "mlflow"),
          [
            ...common,
            "--workers",
            "1",
            "--backend-store-uri",
            `sqlite:///${dir}/mlflow.db`,
            "--artifacts-destination",
            `${dir}/art`,
          ],
        ];
  if (!existsSync(cmd)) throw new Error(`${cmd} is missing`);
  const log = join(dir, "server.log");
  const fd = openSync(log, "a");
  const proc = spawn(cmd, args, {
    cwd: dir,
    env: { ...process.env, MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: "ui-e2e-secret" },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  proc.on("error", () => {}); // a failed spawn shows as the exit code waitForHealth reports
  let ui: PreviewServer | undefined;
  const stop = async () => {
    await ui?.close().catch(() => {});
    await stopGroup(proc, 500);
    if (!process.env.TRACKLITE_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(apiUrl, proc, log, 120);
    if (kind === "tracklite") return { kind, uiUrl: apiUrl, apiUrl, admin: ADMIN, stop };
    const uiRoot = join(REPO, "apps/ui");
    if (!existsSync(join(uiRoot, "dist/index.html"))) throw new Error("no UI build: cd apps/ui && npx vite build");
    const uiPort = await freePort();
    ui = await preview({
      root: uiRoot,
      configFile: false,
      logLevel: "warn",
      build: { outDir: "dist" },
      preview: {
        host: "127.0.0.1",
        port: uiPort,
        strictPort: true,
        proxy: Object.fromEntries(
          ["/ajax-api", "/api", "/get-artifact"].map((p) => [
            p,
            {
              target: apiUrl,
              configure: (proxy) =>
                proxy.on("proxyRes", (res, req) => {
                  if (req.headers["x-requested-with"] === "XMLHttpRequest") delete res.headers["www-authenticate"];
                }),
            },
          ]),
        ),
      },
    });
    return { kind, uiUrl: `http://127.0.0.1:${uiPort}`, apiUrl, admin: ADMIN, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A JSON call to the auth server as `who` (the test's own setup and checks, outside the browser). */
export async function call<T = unknown>(
  srv: AuthServer,
  who: { username: string; password: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${srv.apiUrl}/api${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString("base64")}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}
