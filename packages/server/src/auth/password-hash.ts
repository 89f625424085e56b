import { Buffer } from "node:buffer";
import { pbkdf2, randomInt, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

/**
 * Password hashes in werkzeug's format, so an MLflow `basic_auth.db` keeps working: `scrypt:N:r:p$salt$hex` (what
 * the reference writes today) and `pbkdf2:sha256:iterations$salt$hex` (older databases). The salt is used as text.
 * @see werkzeug/security.py (generate_password_hash, check_password_hash)
 */
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

const SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function genSalt(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return out;
}

async function derive(method: string, salt: string, password: string): Promise<Buffer | undefined> {
  const [name, ...args] = method.split(":");
  if (name === "scrypt") {
    const [n = 2 ** 15, r = 8, p = 1] = args.map(Number);
    if (![n, r, p].every((x) => Number.isInteger(x) && x > 0)) return undefined;
    // werkzeug passes maxmem = 132·n·r·p; Node's default (32 MiB) is too small for n = 2^15.
    return scryptAsync(password, salt, 64, { N: n, r, p, maxmem: 132 * n * r * p });
  }
  if (name === "pbkdf2") {
    const digest = args[0] ?? "sha256";
    const iterations = Number(args[1] ?? 1_000_000);
    if (!Number.isInteger(iterations) || iterations <= 0) return undefined;
    const size = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 }[digest];
    if (size === undefined) return undefined;
    return pbkdf2Async(password, salt, iterations, size, digest);
  }
  return undefined;
}

/** A new hash in werkzeug's default format (scrypt, 16-character salt). */
export async function hashPassword(password: string): Promise<string> {
  const method = "scrypt:32768:8:1";
  const salt = genSalt(16);
  const key = await derive(method, salt, password);
  return `${method}$${salt}$${key?.toString("hex")}`;
}

/** Whether `password` matches a werkzeug hash; compared in constant time, and false for unknown formats. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 3) return false;
  const [method = "", salt = "", hex = ""] = parts;
  const expected = Buffer.from(hex, "hex");
  const key = await derive(method, salt, password).catch(() => undefined);
  if (!key || key.length !== expected.length) return false;
  return timingSafeEqual(key, expected);
}
