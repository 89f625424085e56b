import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";
import { scorerPattern } from "./scorer-rules.js";

/** The scorer routes' permission rules, with default_permission READ. */
const t = useAuthApp();
const v3 = { version: "3.0" };
let exp = "";
let other = "";
let reader = { username: "", password: "" };
let editor = { username: "", password: "" };
let denied = { username: "", password: "" };

const judge = JSON.stringify({ name: "j", instructions_judge_pydantic_data: { model: "openai:/gpt-4o" } });

async function grant(username: string, resource_type: string, resource_id: string, permission: string) {
  const body = { username, resource_type, resource_id, permission };
  expect((await t.call(ADMIN, "POST", "/users/permissions/grant", body, v3)).status).toBe(200);
}

beforeAll(async () => {
  exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: "scorer-auth" })).body.experiment_id;
  other = (await t.call(ADMIN, "POST", "/experiments/create", { name: "scorer-auth-2" })).body.experiment_id;
  reader = await t.addUser("reader");
  editor = await t.addUser("editor");
  denied = await t.addUser("denied");
  await grant("editor", "experiment", exp, "EDIT");
  await grant("denied", "experiment", other, "DENY");
  const r = await t.call(
    ADMIN,
    "POST",
    "/scorers/register",
    { experiment_id: other, name: "hidden", serialized_scorer: judge },
    v3,
  );
  expect(r.status).toBe(200);
});

describe("scorer permissions", () => {
  it("registering needs UPDATE on the experiment and makes the registrant the scorer's manager", async () => {
    const body = { experiment_id: exp, name: "a/b c", serialized_scorer: judge };
    expect((await t.call(reader, "POST", "/scorers/register", body, v3)).status).toBe(403);
    expect((await t.call(editor, "POST", "/scorers/register", body, v3)).status).toBe(200);
    const perm = await t.call(
      ADMIN,
      "GET",
      "/users/permissions/get",
      { username: "editor", resource_type: "scorer", resource_id: scorerPattern(exp, "a/b c") },
      v3,
    );
    expect(perm.body).toMatchObject({ permission: "MANAGE" });
    expect(scorerPattern(exp, "a/b c")).toBe(`${exp}/a%2Fb%20c`);
    // READ (the default) reads it; deleting it needs DELETE on the scorer, which the manager has.
    expect((await t.call(reader, "GET", "/scorers/get", { experiment_id: exp, name: "a/b c" }, v3)).status).toBe(200);
    const del = { experiment_id: exp, name: "a/b c" };
    expect((await t.call(reader, "DELETE", "/scorers/delete", del, v3)).status).toBe(403);
    expect((await t.call(editor, "DELETE", "/scorers/delete", del, v3)).status).toBe(200);
  });

  it("a cross-experiment listing keeps only the scorers the user may read", async () => {
    const all = await t.call(denied, "GET", "/scorers/list", undefined, v3);
    expect(all.status).toBe(200);
    expect((all.body.scorers ?? []).map((s: { scorer_name: string }) => s.scorer_name)).not.toContain("hidden");
    const admin = await t.call(ADMIN, "GET", "/scorers/list", undefined, v3);
    expect(admin.body.scorers.map((s: { scorer_name: string }) => s.scorer_name)).toContain("hidden");
    expect((await t.call(denied, "GET", "/scorers/list", { experiment_id: other }, v3)).status).toBe(403);
  });

  it("online configs need UPDATE on the experiment to write, READ on theirs to read", async () => {
    const put = { experiment_id: other, name: "hidden", sample_rate: 0 };
    expect((await t.call(reader, "PUT", "/scorers/online-config", put, v3)).status).toBe(403);
    const r = await t.call(ADMIN, "PUT", "/scorers/online-config", put, v3);
    expect(r.status).toBe(200);
    const ids = { scorer_ids: r.body.config.scorer_id };
    expect((await t.call(reader, "GET", "/scorers/online-configs", ids, v3)).status).toBe(200);
    expect((await t.call(denied, "GET", "/scorers/online-configs", ids, v3)).status).toBe(403);
  });

  it("a job id is refused to non-admins (there is no job whose experiment would allow it)", async () => {
    expect((await t.call(reader, "GET", "/prompt-optimization/jobs/j-1", undefined, v3)).status).toBe(403);
    expect((await t.call(ADMIN, "GET", "/prompt-optimization/jobs/j-1", undefined, v3)).status).toBe(404);
  });
});
