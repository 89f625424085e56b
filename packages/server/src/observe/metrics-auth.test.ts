import { join } from "node:path";
import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { ADMIN, basic, useAuthApp } from "../auth/auth.test-helpers.js";

const t = useAuthApp();
let app: Hono;

beforeAll(() => {
  app = createApp({
    store: t.store,
    artifacts: createLocalArtifactStore(join(t.dir, "artifacts")),
    config: { mlflowVersion: "0.0.0-test" },
    auth: t.auth,
    metrics: {
      observer: { request: () => {}, ingested: () => {} },
      scrape: async () => ({ contentType: "text/plain; version=0.0.4", body: "up 1\n" }),
    },
  });
});

const scrape = (authorization?: string) =>
  app.request("http://localhost/metrics", authorization ? { headers: { Authorization: authorization } } : {});

describe("/metrics with basic-auth", () => {
  // The reference's exporter route passes basic-auth's before-request hook: it is not among the unprotected paths, and
  // having no validator, its fail-closed rule leaves it to admins.
  it("asks for credentials, refuses other users and answers admins", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(basic(ADMIN.username, "wrong"))).status).toBe(401);
    const user = await t.addUser("scraper");
    expect((await scrape(basic(user.username, user.password))).status).toBe(403);
    const res = await scrape(basic(ADMIN.username, ADMIN.password));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("up 1\n");
  });
});
