import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";
import { Checker } from "./checker.js";
import { RequestParams } from "./request-params.js";
import type { Rule } from "./rule-types.js";
import { TraceRows } from "./trace-rows.test-helpers.js";
import { TRACE_RULES } from "./trace-rules.js";

/**
 * The rules of the trace routes whose endpoints other parts of issue 13 add (assessments, trace metrics, filter
 * correlation), judged on real requests through a route of their own shape, against real grants and trace rows.
 * @see mlflow/server/auth/__init__.py validate_can_*_assessment, validate_can_query_trace_metrics
 */

const t = useAuthApp({ ini: "[mlflow]\ndefault_permission = NO_PERMISSIONS\nadmin_username = admin\n" });
const rows = new TraceRows(t.dir);
afterAll(() => rows.close());

let exp: string;
let trace: string;

/** Creates a user holding the grants given as `type:pattern:PERMISSION` (`experiment:@` is the test's experiment). */
async function userWith(name: string, ...grants: string[]): Promise<string> {
  await t.addUser(name);
  for (const spec of grants) {
    const [resource_type, pattern, permission] = spec.split(":");
    const resource_id = pattern === "@" ? exp : pattern;
    const r = await t.call(
      ADMIN,
      "POST",
      "/users/permissions/grant",
      { username: name, resource_type, resource_id, permission },
      { version: "3.0" },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  return name;
}

/** Whether `rule` lets `username` make the request, served by a route of the given shape. */
async function allows(
  rule: Rule,
  username: string,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  route: string,
  path: string,
  body?: unknown,
): Promise<boolean> {
  const user = await t.auth.users.find(username);
  if (!user || typeof rule !== "function") throw new Error("no such user or rule");
  const check = new Checker(t.store, await t.auth.roles.grants(user.id, "default"), t.auth.config.defaultPermission);
  let verdict: boolean | undefined;
  const app = new Hono();
  app.on(method, route, async (c) => {
    const params = new RequestParams(c, c.req.param() as Record<string, string>);
    const ctx = {
      c,
      user,
      check,
      params,
      users: t.auth.users,
      roles: t.auth.roles,
      workspace: "default",
      subpath: path,
    };
    verdict = await rule(ctx);
    return c.text("judged");
  });
  const res = await app.request(path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
  });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return verdict as boolean;
}

const ASSESSMENT = "/traces/:trace_id/assessments/:assessment_id";
const assessment = (rule: Rule, user: string, method: "GET" | "PATCH" | "DELETE", traceId = trace) =>
  allows(rule, user, method, ASSESSMENT, `/traces/${traceId}/assessments/a-1`, method === "GET" ? undefined : {});
const create = (user: string, traceId = trace) =>
  allows(
    TRACE_RULES.createAssessment,
    user,
    "POST",
    "/traces/:trace_id/assessments",
    `/traces/${traceId}/assessments`,
    {
      assessment: {},
    },
  );
const metrics = (user: string, body: Record<string, unknown>) =>
  allows(TRACE_RULES.queryTraceMetrics, user, "POST", "/traces/metrics", "/traces/metrics", body);
const correlation = (user: string, body: Record<string, unknown>) =>
  allows(
    TRACE_RULES.calculateTraceFilterCorrelation,
    user,
    "POST",
    "/traces/calculate-filter-correlation",
    "/traces/calculate-filter-correlation",
    body,
  );

beforeAll(async () => {
  exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: "assessed" })).body.experiment_id;
  trace = await rows.insert(exp, { assessments: ["correct"] });
});

describe("assessment rules", () => {
  it("create: the experiment's UPDATE, or a trace grant's, with the assessment tier not denied", async () => {
    expect(await create(await userWith("c-read", "experiment:@:READ"))).toBe(false);
    expect(await create(await userWith("c-edit", "experiment:@:EDIT"))).toBe(true);
    expect(await create(await userWith("c-none"))).toBe(false);
    expect(await create(await userWith("c-trace", "experiment:@:READ", "trace:*:EDIT"))).toBe(true);
    // A weaker trace grant does not take away what the experiment's EDIT gives.
    expect(await create(await userWith("c-edit-trace-read", "experiment:@:EDIT", "trace:*:READ"))).toBe(true);
    expect(await create(await userWith("c-no-assess", "experiment:@:MANAGE", "assessment:*:DENY"))).toBe(false);
    expect(await create(await userWith("c-no-trace", "experiment:@:MANAGE", "trace:*:DENY"))).toBe(false);
    expect(await create("c-edit", "tr-missing")).toBe(false);
  });

  it("get, update and delete: the trace readable and the action on the assessment tier", async () => {
    const { getAssessment, updateAssessment, deleteAssessment } = TRACE_RULES;
    const reader = await userWith("a-read", "experiment:@:READ");
    const editor = await userWith("a-edit", "experiment:@:EDIT");
    expect(await assessment(getAssessment, reader, "GET")).toBe(true);
    expect(await assessment(updateAssessment, reader, "PATCH")).toBe(false);
    expect(await assessment(updateAssessment, editor, "PATCH")).toBe(true);
    // Deleting without an assessment grant takes the experiment's UPDATE (what it needed before the tier existed).
    expect(await assessment(deleteAssessment, editor, "DELETE")).toBe(true);
    expect(await assessment(deleteAssessment, reader, "DELETE")).toBe(false);
    const narrowed = await userWith("a-narrowed", "experiment:@:MANAGE", "assessment:*:EDIT");
    expect(await assessment(updateAssessment, narrowed, "PATCH")).toBe(true);
    expect(await assessment(deleteAssessment, narrowed, "DELETE")).toBe(false);
    const widened = await userWith("a-widened", "experiment:@:READ", "assessment:*:MANAGE");
    expect(await assessment(deleteAssessment, widened, "DELETE")).toBe(true);
    const hidden = await userWith("a-hidden", "experiment:@:MANAGE", "assessment:*:DENY");
    expect(await assessment(getAssessment, hidden, "GET")).toBe(false);
    expect(await assessment(getAssessment, reader, "GET", "tr-missing")).toBe(false);
  });
});

describe("trace metrics and filter correlation", () => {
  it("need READ on every experiment, and on its assessments for the assessment view", async () => {
    const reader = await userWith("m-read", "experiment:@:READ");
    const noAssess = await userWith("m-no-assess", "experiment:@:READ", "assessment:*:DENY");
    const none = await userWith("m-none");
    expect(await metrics(reader, { experiment_ids: [exp], view_type: "TRACES" })).toBe(true);
    expect(await metrics(reader, { experiment_ids: [exp], view_type: "ASSESSMENTS" })).toBe(true);
    expect(await metrics(noAssess, { experiment_ids: [exp], view_type: "TRACES" })).toBe(true);
    expect(await metrics(noAssess, { experiment_ids: [exp], view_type: "ASSESSMENTS" })).toBe(false);
    expect(await metrics(none, { experiment_ids: [exp], view_type: "TRACES" })).toBe(false);
    expect(await metrics(reader, { experiment_ids: [] })).toBe(false);
  });

  it("judges the correlation's filters as a search's", async () => {
    const noAssess = await userWith("f-no-assess", "experiment:@:READ", "assessment:*:DENY");
    expect(await correlation(noAssess, { experiment_ids: [exp], filter_string1: "tags.a = 'b'" })).toBe(true);
    expect(
      await correlation(noAssess, {
        experiment_ids: [exp],
        filter_string1: "tags.a = 'b'",
        base_filter: "feedback.correct = 'yes'",
      }),
    ).toBe(false);
  });
});
