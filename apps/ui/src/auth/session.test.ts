import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicOf, localServer } from "./local-server.test-helpers.js";
import {
  authorizationHeader,
  clearCredentials,
  createAuthFetch,
  type KeyValueStore,
  loadCredentials,
  saveCredentials,
} from "./session.js";

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe("credentials", () => {
  it("are saved, loaded and cleared; a malformed entry counts as signed out", () => {
    const store = memoryStore();
    expect(loadCredentials(store)).toBeUndefined();
    saveCredentials({ kind: "basic", username: "ann", password: "p" }, store);
    expect(loadCredentials(store)).toEqual({ kind: "basic", username: "ann", password: "p" });
    saveCredentials({ kind: "token", token: "t0k" }, store);
    expect(loadCredentials(store)).toEqual({ kind: "token", token: "t0k" });
    clearCredentials(store);
    expect(store.data.size).toBe(0);
    store.setItem("tracklite.auth", "{not json");
    expect(loadCredentials(store)).toBeUndefined();
    store.setItem("tracklite.auth", JSON.stringify({ kind: "token", token: "" }));
    expect(loadCredentials(store)).toBeUndefined();
  });

  it("become a Basic header of the UTF-8 bytes (RFC 7617), or a Bearer header", () => {
    const basic = authorizationHeader({ kind: "basic", username: "jürgen", password: "pässwörd:x" });
    expect(basic).toBe(`Basic ${Buffer.from("jürgen:pässwörd:x", "utf8").toString("base64")}`);
    expect(authorizationHeader({ kind: "token", token: "abc.def" })).toBe("Bearer abc.def");
  });
});

describe("createAuthFetch", () => {
  let srv: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    srv = await localServer((req) =>
      basicOf(req) === "ann:right" || req.headers.authorization === "Bearer good"
        ? { status: 200, body: "{}" }
        : { status: 401, body: "You are not authenticated." },
    );
  });
  afterAll(() => srv.close());

  it("sends the stored credentials, keeps the caller's headers, and reports only 401s", async () => {
    const store = memoryStore();
    let unauthorized = 0;
    const f = createAuthFetch({ store: () => store, onUnauthorized: () => unauthorized++ });
    const headers = { "X-Requested-With": "XMLHttpRequest" };

    expect((await f(`${srv.url}/a`, { headers })).status).toBe(401);
    expect(srv.seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(unauthorized).toBe(1);

    saveCredentials({ kind: "basic", username: "ann", password: "right" }, store);
    expect((await f(`${srv.url}/b`, { headers })).status).toBe(200);
    expect(srv.seen.at(-1)?.headers["x-requested-with"]).toBe("XMLHttpRequest");
    expect(unauthorized).toBe(1);

    // Signing in with a token needs no new client: the next call reads the store.
    saveCredentials({ kind: "token", token: "good" }, store);
    expect((await f(`${srv.url}/c`)).status).toBe(200);
    // A request's own Authorization wins over the stored one.
    expect((await f(`${srv.url}/d`, { headers: { Authorization: "Bearer bad" } })).status).toBe(401);
    expect(unauthorized).toBe(2);
  });
});
