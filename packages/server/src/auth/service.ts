import type { Client } from "@libsql/client";
import type { Context } from "hono";
import type { Synchronous } from "../store/connection-settings.js";
import { type AuthConfig, AuthConfigError, missingAdminPassword, missingAdminUsername } from "./config.js";
import { openAuthDatabase } from "./db.js";
import { DEFAULT_RATE_LIMIT, FailureLimiter, type RateLimitOptions } from "./rate-limit.js";
import { RoleStore } from "./role-store.js";
import { type User, UserStore, validatePassword } from "./user-store.js";

export interface AuthServiceOptions {
  config: AuthConfig;
  /** Token of a remote libSQL auth database. */
  authToken?: string;
  migrationsFolder?: string;
  /** A local auth database's commit durability, as the tracking store's (`--sqlite-synchronous`). */
  synchronous?: Synchronous | undefined;
  /** The client's address, for the sign-in rate limit (the Node entry reads the socket's). */
  clientAddress?: (c: Context) => string | undefined;
  rateLimit?: RateLimitOptions;
}

/** The admin password older MLflow versions shipped; never accepted. @see GHSA-gq3w-7jj3-x7gr */
const LEGACY_ADMIN_PASSWORD = "password1234";

/** Failed sign-ins one address may make (over all usernames, and with bad tokens), as a multiple of the per-user limit. */
const ADDRESS_FACTOR = 10;

/** What a sign-in attempt came to. */
export type SignIn = { user: User } | { retryAfter: number } | { failed: true };

/**
 * The basic-auth app's state: its database (users, roles, grants, tokens), its settings and the sign-in rate limit.
 * `createApp` takes one as `deps.auth` and then requires sign-in and checks permissions on every route.
 */
export class AuthService {
  readonly users: UserStore;
  readonly roles: RoleStore;
  private readonly limiter: FailureLimiter;
  private readonly addressLimiter: FailureLimiter;

  private constructor(
    readonly config: AuthConfig,
    private readonly db: Client,
    private readonly options: AuthServiceOptions,
  ) {
    this.users = new UserStore(db);
    this.roles = new RoleStore(db);
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.limiter = new FailureLimiter(limit);
    this.addressLimiter = new FailureLimiter({ ...limit, maxFailures: limit.maxFailures * ADDRESS_FACTOR });
  }

  /**
   * Opens the auth database and creates the admin user on first start. Throws AuthConfigError, with the reference's
   * message, when there is no admin user yet and no usable password for one. @see create_admin_user
   */
  static async open(options: AuthServiceOptions): Promise<AuthService> {
    const { config } = options;
    const username = config.adminUsername;
    if (!username) throw new AuthConfigError(missingAdminUsername());
    const db = await openAuthDatabase({
      url: config.databaseUri,
      ...(options.authToken ? { authToken: options.authToken } : {}),
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      synchronous: options.synchronous,
    });
    const service = new AuthService(config, db, options);
    try {
      if (!(await service.users.find(username))) {
        const password = config.adminPassword;
        if (!password) throw new AuthConfigError(missingAdminPassword(username));
        if (password === LEGACY_ADMIN_PASSWORD)
          throw new AuthConfigError(
            "Refusing to use the insecure default password that older MLflow versions shipped in basic_auth.ini for " +
              `the admin user '${username}' (https://github.com/advisories/GHSA-gq3w-7jj3-x7gr). Set ` +
              "MLFLOW_AUTH_ADMIN_PASSWORD or `admin_password` in the configuration file referenced by " +
              "MLFLOW_AUTH_CONFIG_PATH to a different password.",
          );
        try {
          validatePassword(password);
        } catch (e) {
          throw new AuthConfigError(
            `The configured password for the admin user '${username}' is invalid: ${(e as Error).message} Set ` +
              "MLFLOW_AUTH_ADMIN_PASSWORD or `admin_password` in the configuration file referenced by " +
              "MLFLOW_AUTH_CONFIG_PATH to a valid password.",
          );
        }
        await service.users.create(username, password, true);
      }
    } catch (e) {
      db.close();
      throw e;
    }
    return service;
  }

  /** Checks `Authorization: Basic` credentials, counting failures per username and address. */
  async signInWithPassword(c: Context, username: string, password: string): Promise<SignIn> {
    const address = this.options.clientAddress?.(c) ?? "";
    const key = `p\0${username}\0${address}`;
    // Also per address alone, with more room, against one client trying many usernames.
    const addressKey = `a\0${address}`;
    const retryAfter = Math.max(this.limiter.retryAfter(key), this.addressLimiter.retryAfter(addressKey));
    if (retryAfter > 0) return { retryAfter };
    const user = await this.users.authenticate(username, password);
    // The shipped default of old versions opens no admin account (the reference rejects it the same way).
    if (!user || (user.is_admin && password === LEGACY_ADMIN_PASSWORD)) {
      this.limiter.fail(key);
      this.addressLimiter.fail(addressKey);
      return { failed: true };
    }
    this.limiter.reset(key);
    return { user };
  }

  /** Checks an `Authorization: Bearer` API token, counting failures per address. */
  async signInWithToken(c: Context, token: string): Promise<SignIn> {
    const key = `a\0${this.options.clientAddress?.(c) ?? ""}`;
    const retryAfter = this.addressLimiter.retryAfter(key);
    if (retryAfter > 0) return { retryAfter };
    const user = await this.users.authenticateToken(token);
    if (!user) {
      this.addressLimiter.fail(key);
      return { failed: true };
    }
    return { user };
  }

  close(): void {
    this.db.close();
  }
}
