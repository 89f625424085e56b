import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "../auth/auth.test-helpers.js";
import { seedTraces } from "../traces/trace-rows.test-helpers.js";

/** The assessment and trace-metrics routes' permission rules, with default_permission READ. */
const t = useAuthApp();
let client: Client;
let exp = "";
const TRACE = "tr-00000000000000000000000000000a11";
const path = `/traces/${TRACE}/assessments`;
const v3 = { version: "3.0" };
let reader = { username: "", password: "" };
let editor = { username: "", password: "" };
let tracer = { username: "", password: "" };
let denied = { username: "", password: "" };
let existing = "";

async function grant(username: string, resource_type: string, resource_id: string, permission: string) {
  const body = { username, resource_type, resource_id, permission };
  expect((await t.call(ADMIN, "POST", "/users/permissions/grant", body, v3)).status).toBe(200);
}

const feedback = { assessment: { assessment_name: "q", feedback: { value: 1 } } };

beforeAll(async () => {
  const r = await t.call(ADMIN, "POST", "/experiments/create", { name: "assess-auth" });
  exp = r.body.experiment_id;
  client = createClient({ url: `file:${join(t.dir, "test.db")}`, intMode: "number" });
  await seedTraces(client, [{ requestId: TRACE, experimentId: Number(exp) }]);
  existing = (await t.call(ADMIN, "POST", path, feedback, v3)).body.assessment.assessment_id;
  reader = await t.addUser("reader");
  editor = await t.addUser("editor");
  tracer = await t.addUser("tracer");
  denied = await t.addUser("denied");
  await grant("editor", "experiment", exp, "EDIT");
  await grant("tracer", "trace", "*", "EDIT");
  await grant("denied", "experiment", exp, "EDIT");
  await grant("denied", "assessment", "*", "DENY");
});
afterAll(() => client.close());

describe("assessment rules", () => {
  it("lets a reader read but not write", async () => {
    expect((await t.call(reader, "GET", `${path}/${existing}`, undefined, v3)).status).toBe(200);
    expect((await t.call(reader, "POST", path, feedback, v3)).status).toBe(403);
    const update = { assessment: { assessment_name: "x" }, update_mask: "assessmentName" };
    expect((await t.call(reader, "PATCH", `${path}/${existing}`, update, v3)).status).toBe(403);
    expect((await t.call(reader, "DELETE", `${path}/${existing}`, undefined, v3)).status).toBe(403);
  });

  it("lets EDIT on the experiment, or on the trace tier, create; the experiment's EDIT update and delete", async () => {
    const created = await t.call(editor, "POST", path, feedback, v3);
    expect(created.status).toBe(200);
    expect((await t.call(tracer, "POST", path, feedback, v3)).status).toBe(200);
    const id = created.body.assessment.assessment_id;
    const update = { assessment: { assessment_name: "x" }, update_mask: "assessmentName" };
    expect((await t.call(editor, "PATCH", `${path}/${id}`, update, v3)).status).toBe(200);
    expect((await t.call(editor, "DELETE", `${path}/${id}`, undefined, v3)).status).toBe(200);
  });

  it("lets a DENY on the assessment tier veto everything, and denies a missing trace", async () => {
    expect((await t.call(denied, "GET", `${path}/${existing}`, undefined, v3)).status).toBe(403);
    expect((await t.call(denied, "POST", path, feedback, v3)).status).toBe(403);
    expect((await t.call(denied, "DELETE", `${path}/${existing}`, undefined, v3)).status).toBe(403);
    expect((await t.call(editor, "POST", "/traces/tr-nope/assessments", feedback, v3)).status).toBe(403);
  });
});

describe("trace metrics rules", () => {
  const query = () => ({
    experiment_ids: [exp],
    view_type: "ASSESSMENTS",
    metric_name: "assessment_count",
    aggregations: [{ aggregation_type: "COUNT" }],
  });
  it("needs READ on the traces (and the assessments) of every experiment named", async () => {
    expect((await t.call(reader, "POST", "/traces/metrics", query(), v3)).status).toBe(200);
    expect((await t.call(denied, "POST", "/traces/metrics", query(), v3)).status).toBe(403);
    const traces = { ...query(), view_type: "TRACES", metric_name: "trace_count" };
    expect((await t.call(denied, "POST", "/traces/metrics", traces, v3)).status).toBe(200);
    expect((await t.call(reader, "POST", "/traces/metrics", { ...query(), experiment_ids: [] }, v3)).status).toBe(403);
    const corr = { experiment_ids: [exp], filter_string1: "status = 'OK'", filter_string2: "status = 'OK'" };
    expect((await t.call(reader, "POST", "/traces/calculate-filter-correlation", corr, v3)).status).toBe(200);
  });
});
