import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password-hash.js";

// Written by werkzeug 3 (`generate_password_hash("bobpassword123")` and with method="pbkdf2:sha256:1000").
const WERKZEUG_SCRYPT =
  "scrypt:32768:8:1$RMr8WdA0PdvxI6Mp$190ca0c6711ba34b4c5c6630aa625dcf9f8c6978d4b1ddf8f39853a06d3ec3ff27fab3c0a291f6afc0c3cbbb763e59e2e35ae20713d264bb5962a087f1bcb9b6";

describe("werkzeug password hashes", () => {
  it("verifies a hash the reference wrote, and refuses another password", async () => {
    expect(await verifyPassword(WERKZEUG_SCRYPT, "bobpassword123")).toBe(true);
    expect(await verifyPassword(WERKZEUG_SCRYPT, "bobpassword124")).toBe(false);
  });

  it("round-trips its own hashes in werkzeug's scrypt format", async () => {
    const h = await hashPassword("a long enough password");
    expect(h).toMatch(/^scrypt:32768:8:1\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$/);
    expect(await verifyPassword(h, "a long enough password")).toBe(true);
    expect(await verifyPassword(h, "a long enough passwore")).toBe(false);
  });

  it("reads pbkdf2 hashes and rejects garbage", async () => {
    const pb = `pbkdf2:sha256:1000$salt$${PBKDF2_HEX}`;
    expect(await verifyPassword(pb, "secretsecret")).toBe(true);
    expect(await verifyPassword(pb, "secretsecreT")).toBe(false);
    expect(await verifyPassword("plain", "plain")).toBe(false);
    expect(await verifyPassword("md5$x$abcd", "x")).toBe(false);
  });
});

// hashlib.pbkdf2_hmac("sha256", b"secretsecret", b"salt", 1000).hex(), which werkzeug accepts for "secretsecret".
const PBKDF2_HEX = "99ec319e752f198c664c9e2d0bf5274b5e23c10594384fddbe0140675eafb9ec";
