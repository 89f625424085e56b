import { isLevel, type Level } from "./permissions.js";

/** The reference's one authorization function; tracklite implements only this one. */
export const DEFAULT_AUTHORIZATION_FUNCTION = "mlflow.server.auth:authenticate_request_basic_auth";

/**
 * The basic-auth settings: the `[mlflow]` section of the ini file at `MLFLOW_AUTH_CONFIG_PATH` with
 * `MLFLOW_AUTH_ADMIN_USERNAME` / `MLFLOW_AUTH_ADMIN_PASSWORD` over it.
 * @see mlflow/server/auth/config.py, mlflow/server/auth/basic_auth.ini
 */
export interface AuthConfig {
  defaultPermission: Level;
  /** libSQL URL of the auth database. */
  databaseUri: string;
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  authorizationFunction: string;
}

/** A setting that makes the server refuse to start; its message is the one line the CLI prints. */
export class AuthConfigError extends Error {}

/** The `key = value` pairs of one section of an ini file (Python configparser's basic syntax). */
export function parseIniSection(text: string, section: string): Map<string, string> | undefined {
  let current: string | undefined;
  let out: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1];
      if (current === section) out ??= new Map();
      continue;
    }
    if (current !== section || !out) continue;
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (m?.[1]) out.set(m[1].toLowerCase(), m[2] ?? "");
  }
  return out;
}

export interface ReadConfigOptions {
  env: Record<string, string | undefined>;
  /** The ini file's text when `MLFLOW_AUTH_CONFIG_PATH` is set. */
  iniText?: string;
  /** The auth database when the ini names none: a file beside the tracking database. */
  defaultDatabaseUri: string;
}

/** Merges ini, environment and defaults; throws AuthConfigError for settings tracklite cannot run with. */
export function readAuthConfig({ env, iniText, defaultDatabaseUri }: ReadConfigOptions): AuthConfig {
  // Without a file, the reference reads its bundled basic_auth.ini: READ and an admin named "admin".
  const ini =
    iniText === undefined
      ? new Map([
          ["default_permission", "READ"],
          ["admin_username", "admin"],
        ])
      : parseIniSection(iniText, "mlflow");
  if (!ini)
    throw new AuthConfigError(`The auth configuration file ${env.MLFLOW_AUTH_CONFIG_PATH} has no [mlflow] section.`);
  // A variable that is set wins even when empty, so an empty injected secret is reported rather than replaced.
  const pick = (envName: string, key: string) =>
    (envName in env && env[envName] !== undefined ? env[envName] : ini.get(key)) || undefined;
  const defaultPermission = ini.get("default_permission") ?? "READ";
  if (!isLevel(defaultPermission))
    throw new AuthConfigError(`Invalid default_permission '${defaultPermission}' in the auth configuration.`);
  const authorizationFunction = ini.get("authorization_function") || DEFAULT_AUTHORIZATION_FUNCTION;
  if (authorizationFunction !== DEFAULT_AUTHORIZATION_FUNCTION)
    throw new AuthConfigError(
      `tracklite supports only authorization_function = ${DEFAULT_AUTHORIZATION_FUNCTION} (got ${authorizationFunction}).`,
    );
  return {
    defaultPermission,
    databaseUri: toAuthDbUrl(ini.get("database_uri") || defaultDatabaseUri),
    adminUsername: pick("MLFLOW_AUTH_ADMIN_USERNAME", "admin_username"),
    adminPassword: pick("MLFLOW_AUTH_ADMIN_PASSWORD", "admin_password"),
    authorizationFunction,
  };
}

/** MLflow's `sqlite:///path` spelling (and plain paths) as libSQL URLs. */
export function toAuthDbUrl(uri: string): string {
  if (uri.startsWith("sqlite:///")) return `file:${uri.slice("sqlite:///".length)}`;
  if (/^(file|libsql|https?|wss?):/.test(uri)) return uri;
  return `file:${uri}`;
}

/** The reference's bootstrap messages, word for word. @see mlflow/server/auth/__init__.py create_admin_user */
export function missingAdminUsername(): string {
  return (
    "MLflow Authentication needs a username for the admin user, but none is configured (or it is empty). " +
    "Set the MLFLOW_AUTH_ADMIN_USERNAME environment variable, or set `admin_username` in the configuration file " +
    "referenced by MLFLOW_AUTH_CONFIG_PATH, and restart the server."
  );
}

export function missingAdminPassword(username: string): string {
  return (
    `MLflow Authentication needs a password to create the admin user '${username}', but none is configured ` +
    "(or it is empty). MLflow ships no default admin password. Set the MLFLOW_AUTH_ADMIN_PASSWORD environment " +
    "variable, or set `admin_password` in the configuration file referenced by MLFLOW_AUTH_CONFIG_PATH, and " +
    "restart the server."
  );
}
