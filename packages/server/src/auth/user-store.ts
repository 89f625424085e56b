import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Client } from "@libsql/client";
import { invalidParameter, MlflowError } from "../errors.js";
import { hashPassword, verifyPassword } from "./password-hash.js";

export interface User {
  id: number;
  username: string;
  is_admin: boolean;
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at?: number;
}

/**
 * A hash of a password nobody has, checked when the user is unknown so that the answer takes as long. Made on the
 * first sign-in, not at import: a scrypt of 32 MiB that every start (auth on or off) would pay for.
 */
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => {
  dummyHash ??= hashPassword("tracklite-no-such-user");
  return dummyHash;
};

const toUser = (r: Record<string, unknown>): User => ({
  id: Number(r.id),
  username: String(r.username),
  is_admin: Boolean(r.is_admin),
});

/** @see mlflow/utils/validation.py _validate_password */
export function validatePassword(password: unknown): asserts password is string {
  if (typeof password !== "string" || password.length < 12)
    throw invalidParameter("Password must be at least 12 characters.");
}

const TOKEN_PREFIX = "tlk_";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** How long a verified password is remembered, and for how many (username, password) pairs at most. */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_MAX = 10_000;

/** The users of the auth database and their API tokens. @see mlflow/server/auth/sqlalchemy_store.py */
export class UserStore {
  /**
   * Passwords verified lately, keyed by an HMAC of username and password under a per-process key: scrypt costs about
   * 100 ms of CPU, and clients send the password with every request. A password change or a deletion forgets the
   * user's entries at once; being one process, the server has no other copy to go stale (the reference's optional
   * cache, `auth_cache_ttl_seconds`, is per worker and off by default for that reason).
   */
  private readonly verified = new Map<string, { username: string; expires: number }>();
  private readonly hmacKey = randomBytes(32);

  constructor(private readonly db: Client) {}

  private verifiedKey(username: string, password: string): string {
    return createHmac("sha256", this.hmacKey).update(username).update("\0").update(password).digest("hex");
  }

  private forget(username: string): void {
    for (const [k, v] of this.verified) if (v.username === username) this.verified.delete(k);
  }

  async create(username: unknown, password: unknown, isAdmin = false): Promise<User> {
    if (typeof username !== "string" || username === "") throw invalidParameter("Username cannot be empty.");
    validatePassword(password);
    const hash = await hashPassword(password);
    try {
      const rs = await this.db.execute({
        sql: "INSERT INTO users (username, password_hash, is_admin) VALUES (?, ?, ?) RETURNING id",
        args: [username, hash, isAdmin ? 1 : 0],
      });
      return { id: Number(rs.rows[0]?.id), username, is_admin: isAdmin };
    } catch (e) {
      // The reference appends the database error, which carries the new password's hash; this message does not.
      if (/UNIQUE/i.test(String(e)))
        throw new MlflowError(`User (username=${username}) already exists.`, "RESOURCE_ALREADY_EXISTS");
      throw e;
    }
  }

  async find(username: string): Promise<(User & { passwordHash: string }) | undefined> {
    const rs = await this.db.execute({
      sql: "SELECT id, username, password_hash, is_admin FROM users WHERE username = ?",
      args: [username],
    });
    const r = rs.rows[0];
    return r ? { ...toUser(r), passwordHash: String(r.password_hash ?? "") } : undefined;
  }

  async get(username: string): Promise<User> {
    const u = await this.find(username);
    if (!u) throw new MlflowError(`User with username=${username} not found`, "RESOURCE_DOES_NOT_EXIST");
    return { id: u.id, username: u.username, is_admin: u.is_admin };
  }

  async byId(id: number): Promise<User | undefined> {
    const rs = await this.db.execute({ sql: "SELECT id, username, is_admin FROM users WHERE id = ?", args: [id] });
    return rs.rows[0] ? toUser(rs.rows[0]) : undefined;
  }

  async list(): Promise<User[]> {
    const rs = await this.db.execute("SELECT id, username, is_admin FROM users ORDER BY id");
    return rs.rows.map(toUser);
  }

  /** The user whose password this is, or undefined; unknown users cost as much time as a wrong password. */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const key = this.verifiedKey(username, password);
    const hit = this.verified.get(key);
    const u = await this.find(username);
    if (hit && hit.expires > Date.now() && u) return { id: u.id, username: u.username, is_admin: u.is_admin };
    const ok = await verifyPassword(u?.passwordHash || (await dummy()), password);
    if (!u || !ok) return undefined;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(key, { username, expires: Date.now() + VERIFIED_TTL_MS });
    return { id: u.id, username: u.username, is_admin: u.is_admin };
  }

  async updatePassword(username: string, password: unknown): Promise<void> {
    const u = await this.get(username);
    validatePassword(password);
    await this.db.execute({
      sql: "UPDATE users SET password_hash = ? WHERE id = ?",
      args: [await hashPassword(password), u.id],
    });
    this.forget(username);
  }

  async updateAdmin(username: string, isAdmin: boolean): Promise<void> {
    const u = await this.get(username);
    await this.db.execute({ sql: "UPDATE users SET is_admin = ? WHERE id = ?", args: [isAdmin ? 1 : 0, u.id] });
  }

  /** Deletes the user with its per-user grants (the synthetic `__user_<id>__` roles) and its tokens. */
  async delete(username: string): Promise<void> {
    const u = await this.get(username);
    const synthetic = `__user_${u.id}__`;
    await this.db.batch(
      [
        {
          sql: "DELETE FROM role_permissions WHERE role_id IN (SELECT id FROM roles WHERE name = ?)",
          args: [synthetic],
        },
        {
          sql: "DELETE FROM user_role_assignments WHERE user_id = ? OR role_id IN (SELECT id FROM roles WHERE name = ?)",
          args: [u.id, synthetic],
        },
        { sql: "DELETE FROM roles WHERE name = ?", args: [synthetic] },
        { sql: "DELETE FROM tracklite_api_tokens WHERE user_id = ?", args: [u.id] },
        { sql: "DELETE FROM users WHERE id = ?", args: [u.id] },
      ],
      "write",
    );
    this.forget(username);
  }

  /** A new API token for the user: returned once, kept only as a SHA-256 hash. */
  async createToken(userId: number, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const createdAt = Date.now();
    const prefix = token.slice(0, 10);
    const rs = await this.db.execute({
      sql: `INSERT INTO tracklite_api_tokens (user_id, name, token_hash, prefix, created_at)
            VALUES (?, ?, ?, ?, ?) RETURNING id`,
      args: [userId, name, sha256(token), prefix, createdAt],
    });
    return { token, info: { id: Number(rs.rows[0]?.id), name, prefix, created_at: createdAt } };
  }

  async listTokens(userId: number): Promise<ApiTokenInfo[]> {
    const rs = await this.db.execute({
      sql: "SELECT id, name, prefix, created_at, last_used_at FROM tracklite_api_tokens WHERE user_id = ? ORDER BY id",
      args: [userId],
    });
    return rs.rows.map((r) => ({
      id: Number(r.id),
      name: String(r.name),
      prefix: String(r.prefix),
      created_at: Number(r.created_at),
      ...(r.last_used_at == null ? {} : { last_used_at: Number(r.last_used_at) }),
    }));
  }

  async deleteToken(userId: number, tokenId: number): Promise<void> {
    const rs = await this.db.execute({
      sql: "DELETE FROM tracklite_api_tokens WHERE id = ? AND user_id = ?",
      args: [tokenId, userId],
    });
    if (rs.rowsAffected === 0)
      throw new MlflowError(`API token with id=${tokenId} not found`, "RESOURCE_DOES_NOT_EXIST");
  }

  /**
   * The user a bearer token belongs to. Tokens are looked up by their SHA-256 (an index probe on a uniformly random
   * value, so no timing leaks the token), and marked as used.
   */
  async authenticateToken(token: string): Promise<User | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const rs = await this.db.execute({
      sql: `SELECT t.id AS token_id, u.id, u.username, u.is_admin FROM tracklite_api_tokens t
            JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
      args: [sha256(token)],
    });
    const r = rs.rows[0];
    if (!r) return undefined;
    await this.db.execute({
      sql: "UPDATE tracklite_api_tokens SET last_used_at = ? WHERE id = ?",
      args: [Date.now(), Number(r.token_id)],
    });
    return toUser(r);
  }
}
