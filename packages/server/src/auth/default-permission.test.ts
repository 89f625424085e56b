import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";

// default_permission = NO_PERMISSIONS: nothing is readable without a grant.
const t = useAuthApp({ ini: "[mlflow]\ndefault_permission = NO_PERMISSIONS\nadmin_username = admin\n" });
let exp: string;
let alice: { username: string; password: string };
let bob: { username: string; password: string };

beforeAll(async () => {
  alice = await t.addUser("alice");
  bob = await t.addUser("bob");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "private" })).body.experiment_id;
});

describe("default_permission NO_PERMISSIONS", () => {
  it("hides what is not granted, and lets a grant open it", async () => {
    expect((await t.call(alice, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(200);
    expect((await t.call(bob, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(403);
    const search = await t.call(bob, "POST", "/experiments/search", { max_results: 10 });
    expect(search.body.experiments ?? []).toEqual([]);
    await t.call(
      ADMIN,
      "POST",
      "/users/permissions/grant",
      {
        username: "bob",
        resource_type: "experiment",
        resource_id: exp,
        permission: "READ",
      },
      { version: "3.0" },
    );
    expect((await t.call(bob, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(200);
    const again = await t.call(bob, "POST", "/experiments/search", { max_results: 10 });
    expect(again.body.experiments.map((e: { name: string }) => e.name)).toEqual(["private"]);
  });
});
