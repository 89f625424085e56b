import { describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";
import { NOT_AUTHENTICATED } from "./responses.js";

const t = useAuthApp({ rateLimit: { maxFailures: 3, windowMs: 60_000 } });

describe("sign-in", () => {
  it("answers 401 with the reference's body and challenge without credentials", async () => {
    const r = await t.call(undefined, "GET", "/experiments/get", { experiment_id: "0" });
    expect(r.status).toBe(401);
    expect(r.body).toBe(NOT_AUTHENTICATED);
    expect(r.headers.get("www-authenticate")).toBe('Basic realm="mlflow"');
  });

  it("leaves the challenge out for the web UI's requests", async () => {
    const r = await t.call(
      undefined,
      "GET",
      "/experiments/get",
      { experiment_id: "0" },
      {
        headers: { "X-Requested-With": "XMLHttpRequest" },
      },
    );
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBeNull();
  });

  it("leaves health and server-info open, and guards /version", async () => {
    expect((await t.app.request("/health")).status).toBe(200);
    expect((await t.app.request("/api/3.0/mlflow/server-info")).status).toBe(200);
    expect((await t.app.request("/version")).status).toBe(401);
  });

  it("signs the admin in and refuses a wrong password", async () => {
    expect((await t.call(ADMIN, "GET", "/experiments/get", { experiment_id: "0" })).status).toBe(200);
    const wrong = await t.call({ username: "admin", password: "not-the-password" }, "GET", "/users/current");
    expect(wrong.status).toBe(401);
  });

  it("limits failed sign-ins per username and address, with Retry-After", async () => {
    const bob = await t.addUser("ratelimited");
    const headers = { "x-test-ip": "10.0.0.9" };
    for (let i = 0; i < 3; i++) {
      const r = await t.call({ ...bob, password: "wrong-password!" }, "GET", "/users/current", undefined, { headers });
      expect(r.status).toBe(401);
    }
    const blocked = await t.call(bob, "GET", "/users/current", undefined, { headers });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.body.error_code).toBe("RESOURCE_EXHAUSTED");
    // Another address is not blocked.
    const other = await t.call(bob, "GET", "/users/current", undefined, { headers: { "x-test-ip": "10.0.0.10" } });
    expect(other.status).toBe(200);
  });
});

describe("users", () => {
  it("requires 12-character passwords, with the reference's message", async () => {
    const r = await t.call(ADMIN, "POST", "/users/create", { username: "shorty", password: "short" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Password must be at least 12 characters.",
    });
  });

  it("reports a duplicate user without echoing any secret", async () => {
    await t.addUser("dupe");
    const r = await t.call(ADMIN, "POST", "/users/create", { username: "dupe", password: "another-password-1" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "User (username=dupe) already exists.",
    });
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|pbkdf2|password/);
  });

  it("answers create-user's body errors as plain text like the reference", async () => {
    const empty = await t.call(ADMIN, "POST", "/users/create", { username: "", password: "abcdefghijklmnop" });
    expect(empty).toMatchObject({ status: 400, body: "Username and password cannot be empty." });
    const missing = await t.call(ADMIN, "POST", "/users/create", { password: "abcdefghijklmnop" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe(
      "Missing value for required parameter 'username'. See the API docs for more information about request parameters.",
    );
  });

  it("lets users read themselves but not others, and only admins change admin flags", async () => {
    const carol = await t.addUser("carol");
    expect((await t.call(carol, "GET", "/users/get", { username: "carol" })).body.user).toMatchObject({
      username: "carol",
      is_admin: false,
    });
    expect((await t.call(carol, "GET", "/users/get", { username: "admin" })).status).toBe(403);
    expect((await t.call(carol, "PATCH", "/users/update-admin", { username: "carol", is_admin: true })).status).toBe(
      403,
    );
    expect((await t.call(ADMIN, "GET", "/users/get", { username: "nobody" })).body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "User with username=nobody not found",
    });
  });

  it("asks for the current password when users change their own", async () => {
    const dan = await t.addUser("dan");
    const noCurrent = await t.call(dan, "PATCH", "/users/update-password", {
      username: "dan",
      password: "new-password-12",
    });
    expect(noCurrent.body.message).toBe("Current password is required when changing your own password.");
    const ok = await t.call(dan, "PATCH", "/users/update-password", {
      username: "dan",
      password: "new-password-12",
      current_password: dan.password,
    });
    expect(ok.status).toBe(200);
    expect((await t.call(dan, "GET", "/users/current")).status).toBe(401);
    expect((await t.call({ username: "dan", password: "new-password-12" }, "GET", "/users/current")).status).toBe(200);
  });

  it("refuses to let admins delete themselves", async () => {
    const r = await t.call(ADMIN, "DELETE", "/users/delete", { username: "admin" });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      "Users cannot delete their own account. Ask another admin to delete this user instead.",
    );
  });
});

describe("API tokens", () => {
  it("signs in with a bearer token shown once, until it is deleted", async () => {
    const erin = await t.addUser("erin");
    const created = await t.call(erin, "POST", "/../tracklite/users/tokens/create", { name: "ci" });
    expect(created.status).toBe(200);
    const { token, token_info } = created.body;
    expect(token).toMatch(/^tlk_/);
    const me = await t.call({ token }, "GET", "/users/current");
    expect(me.body.user.username).toBe("erin");
    const listed = await t.call(erin, "GET", "/../tracklite/users/tokens/list");
    expect(listed.body.tokens).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await t.call({ token: `${token}x` }, "GET", "/users/current")).status).toBe(401);
    await t.call(erin, "POST", "/../tracklite/users/tokens/delete", { id: token_info.id });
    expect((await t.call({ token }, "GET", "/users/current")).status).toBe(401);
  });
});

describe("sign-in limits per address", () => {
  it("blocks an address that tries many usernames", async () => {
    const headers = { "x-test-ip": "10.9.9.9" };
    // The per-address limit is ten times the per-user one (3 here).
    for (let i = 0; i < 30; i++) {
      const r = await t.call(
        { username: `spray${i}`, password: "wrong-password!" },
        "GET",
        "/users/current",
        undefined,
        {
          headers,
        },
      );
      expect(r.status).toBe(401);
    }
    const blocked = await t.call(ADMIN, "GET", "/users/current", undefined, { headers });
    expect(blocked.status).toBe(429);
    expect((await t.call(ADMIN, "GET", "/users/current")).status).toBe(200);
    // Thirty password checks (each a deliberate key derivation): more than the default 5 s on a loaded 2-core machine.
  }, 30_000);
});
