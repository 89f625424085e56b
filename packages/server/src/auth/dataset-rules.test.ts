import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";

/**
 * The evaluation-dataset routes' permissions: a dataset is checked on every experiment it is linked to (none, or a
 * dataset that does not exist, denies); create and search must name experiments the user may update / read.
 * @see mlflow/server/auth/__init__.py _dataset_experiment_permissions, validate_can_*dataset*
 */

const t = useAuthApp({ ini: "[mlflow]\ndefault_permission = NO_PERMISSIONS\nadmin_username = admin\n" });
const LEVELS = ["READ", "EDIT", "MANAGE", "NONE"] as const;
type Level = (typeof LEVELS)[number];
const users = {} as Record<Level, { username: string; password: string }>;
let exp: string;
let other: string;
let ds: string;
let unlinked: string;

const v3 = { version: "3.0" };
const grant = (username: string, resource_id: string, permission: string) =>
  t.call(
    ADMIN,
    "POST",
    "/users/permissions/grant",
    { username, resource_type: "experiment", resource_id, permission },
    v3,
  );

beforeAll(async () => {
  exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: "ds-auth" })).body.experiment_id;
  other = (await t.call(ADMIN, "POST", "/experiments/create", { name: "ds-auth-other" })).body.experiment_id;
  ds = (await t.call(ADMIN, "POST", "/datasets/create", { name: "d", experiment_ids: [exp] }, v3)).body.dataset
    .dataset_id;
  unlinked = (await t.call(ADMIN, "POST", "/datasets/create", { name: "u" }, v3)).body.dataset.dataset_id;
  for (const level of LEVELS) {
    users[level] = await t.addUser(`ds-${level.toLowerCase()}`);
    if (level !== "NONE") expect((await grant(users[level].username, exp, level)).status).toBe(200);
  }
});

const allowed = (status: number) => status !== 403;

describe("evaluation dataset permissions", () => {
  it.each([
    ["GET", () => `/datasets/${ds}`, undefined, ["READ", "EDIT", "MANAGE"]],
    ["GET", () => `/datasets/${ds}/records`, undefined, ["READ", "EDIT", "MANAGE"]],
    ["GET", () => `/datasets/${ds}/experiment-ids`, undefined, ["READ", "EDIT", "MANAGE"]],
    ["PATCH", () => `/datasets/${ds}/tags`, { tags: '{"a": "1"}' }, ["EDIT", "MANAGE"]],
    ["DELETE", () => `/datasets/${ds}/tags/a`, undefined, ["EDIT", "MANAGE"]],
    ["POST", () => `/datasets/${ds}/records`, { records: "[]" }, ["EDIT", "MANAGE"]],
    ["DELETE", () => `/datasets/${ds}/records`, { dataset_record_ids: [] }, ["EDIT", "MANAGE"]],
    ["POST", () => `/datasets/${ds}/remove-experiments`, { experiment_ids: [] }, ["EDIT", "MANAGE"]],
    ["POST", () => "/datasets/search", "experiments", ["READ", "EDIT", "MANAGE"]],
    ["POST", () => "/datasets/create", "experiments", ["EDIT", "MANAGE"]],
  ] as const)("%s %s", async (method, path, body, who) => {
    for (const level of LEVELS) {
      // "experiments": the body names the experiment made in beforeAll (the table is built before it runs).
      const sent = body === "experiments" ? { name: "n", experiment_ids: [exp] } : body;
      const r = await t.call(users[level], method, path(), sent as Record<string, unknown> | undefined, v3);
      expect([level, allowed(r.status)]).toEqual([level, (who as readonly string[]).includes(level)]);
    }
  });

  it("deletes with MANAGE only; an unlinked or missing dataset denies everyone but admins", async () => {
    for (const level of ["READ", "EDIT"] as const)
      expect((await t.call(users[level], "DELETE", `/datasets/${ds}`, undefined, v3)).status).toBe(403);
    for (const path of [`/datasets/${unlinked}`, "/datasets/d-missing"])
      expect((await t.call(users.MANAGE, "GET", path, undefined, v3)).status).toBe(403);
    expect((await t.call(ADMIN, "GET", `/datasets/${unlinked}`, undefined, v3)).status).toBe(200);
  });

  it("needs the experiments named by create, search and add-experiments", async () => {
    expect((await t.call(users.MANAGE, "POST", "/datasets/create", { name: "n" }, v3)).status).toBe(403);
    expect((await t.call(users.MANAGE, "POST", "/datasets/search", {}, v3)).status).toBe(403);
    const add = (who: Level, ids: string[]) =>
      t.call(users[who], "POST", `/datasets/${ds}/add-experiments`, { experiment_ids: ids }, v3);
    expect((await add("MANAGE", [other])).status).toBe(403);
    expect((await grant(users.MANAGE.username, other, "EDIT")).status).toBe(200);
    expect((await add("MANAGE", [other])).status).toBe(200);
  });

  it("reads the run-dataset summaries of readable experiments", async () => {
    const path = "/experiments/search-datasets";
    const call = (who: Level, body: Record<string, unknown>) =>
      t.app.request(`http://localhost/ajax-api/2.0/mlflow${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: {
          "Content-Type": "application/json",
          Authorization: `Basic ${Buffer.from(`${users[who].username}:${users[who].password}`).toString("base64")}`,
        },
      });
    expect((await call("READ", { experiment_ids: [exp] })).status).toBe(200);
    expect((await call("NONE", { experiment_ids: [exp] })).status).toBe(403);
    const empty = await call("READ", {});
    expect(empty.status).toBe(400);
  });
});
