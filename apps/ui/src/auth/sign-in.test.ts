import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicOf, localServer } from "./local-server.test-helpers.js";
import { retryAfterSeconds, verifyCredentials } from "./sign-in.js";

describe("retryAfterSeconds", () => {
  it("reads Retry-After as seconds or a date, else a number of seconds in the message", () => {
    expect(retryAfterSeconds("30")).toBe(30);
    expect(retryAfterSeconds(new Date(Date.UTC(2026, 0, 1, 0, 0, 42)).toUTCString(), "", Date.UTC(2026, 0, 1))).toBe(
      42,
    );
    expect(retryAfterSeconds(null, "Too many failed sign-ins; try again in 17 seconds")).toBe(17);
    expect(retryAfterSeconds(null, "retry in 5s")).toBe(5);
    expect(retryAfterSeconds(null, "slow down")).toBeUndefined();
  });
});

describe("verifyCredentials", () => {
  let failures = 0;
  let srv: Awaited<ReturnType<typeof localServer>>;
  let noAuth: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    // Answers like an auth server with a lock-out after three failures.
    srv = await localServer((req) => {
      if (req.url !== "/ajax-api/2.0/mlflow/users/current") return { status: 404 };
      if (failures >= 3) {
        return {
          status: 429,
          headers: { "Retry-After": "30", "Content-Type": "application/json" },
          body: JSON.stringify({ error_code: "RESOURCE_EXHAUSTED", message: "Too many failed attempts." }),
        };
      }
      if (basicOf(req) === "admin:the-password") {
        return { status: 200, body: JSON.stringify({ user: { id: 1, username: "admin", is_admin: true } }) };
      }
      failures++;
      return { status: 401, body: "You are not authenticated." };
    });
    noAuth = await localServer(() => ({ status: 404, body: "Not Found" }));
  });
  afterAll(async () => {
    await srv.close();
    await noAuth.close();
  });

  it("accepts the right password, names a wrong one, and tells how long to wait after a 429", async () => {
    const right = await verifyCredentials({ kind: "basic", username: "admin", password: "the-password" }, srv.url);
    expect(right).toEqual({ ok: true, current: { user: { id: 1, username: "admin", is_admin: true } } });
    expect(srv.seen.at(-1)?.headers["x-requested-with"]).toBe("XMLHttpRequest");

    const wrong = await verifyCredentials({ kind: "basic", username: "admin", password: "nope" }, srv.url);
    expect(wrong).toEqual({ ok: false, reason: "rejected", message: "Wrong username or password." });
    const token = await verifyCredentials({ kind: "token", token: "nope" }, srv.url);
    expect(token).toMatchObject({ ok: false, reason: "rejected", message: "The token was not accepted." });
    await verifyCredentials({ kind: "basic", username: "admin", password: "nope" }, srv.url);

    const throttled = await verifyCredentials({ kind: "basic", username: "admin", password: "the-password" }, srv.url);
    expect(throttled).toEqual({
      ok: false,
      reason: "throttled",
      message: "Too many attempts. Try again in 30 s.",
      retryAfter: 30,
    });
  });

  it("takes a 404 for a server without auth, and reports an unreachable server", async () => {
    expect(await verifyCredentials({ kind: "token", token: "x" }, noAuth.url)).toEqual({
      ok: true,
      current: undefined,
    });
    await noAuth.close();
    const down = await verifyCredentials({ kind: "token", token: "x" }, noAuth.url);
    expect(down).toMatchObject({ ok: false, reason: "error" });
    expect(down.ok ? "" : down.message).toMatch(/^Could not reach the server/);
  });
});
