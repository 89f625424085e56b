import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { rawClient, seedTraces } from "../traces/trace-rows.test-helpers.js";
import { callV3, expectError, newExperiment } from "./review.test-helpers.js";

const t = useTestApp();
const call = (method: string, path: string, body?: Record<string, unknown>) => callV3(t, method, path, body);
let exp = "";
let runId = "";
let client: Client;

beforeAll(async () => {
  exp = await newExperiment(t, "issues");
  runId = (await t.call("POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
  client = rawClient(t);
});
afterAll(() => client.close());

const tick = () => new Promise((r) => setTimeout(r, 3));

describe("issues", () => {
  it("creates, gets and updates issues with the reference's fields", async () => {
    expectError(
      await call("POST", "/issues", { experiment_id: exp, name: "n" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'description'. See the API docs for more information about request parameters.",
    );
    const r = await call("POST", "/issues", { experiment_id: exp, name: "n", description: "d" });
    expect(r.status).toBe(200);
    const issue = r.body.issue;
    expect(issue.issue_id).toMatch(/^iss-[0-9a-f]{32}$/);
    expect(Object.keys(issue).sort()).toEqual(
      [
        "created_timestamp",
        "description",
        "experiment_id",
        "issue_id",
        "last_updated_timestamp",
        "name",
        "status",
      ].sort(),
    );
    expect(issue.status).toBe("pending");
    expect((await call("GET", `/issues/${issue.issue_id}`)).body.issue).toEqual(issue);
    expectError(await call("GET", "/issues/nope"), 404, "RESOURCE_DOES_NOT_EXIST", "Issue with ID 'nope' not found");
    // the reference's handler requires the id in the body too
    expectError(
      await call("PATCH", `/issues/${issue.issue_id}`, { name: "x" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'issue_id'. See the API docs for more information about request parameters.",
    );
    const u = await call("PATCH", `/issues/${issue.issue_id}`, {
      issue_id: issue.issue_id,
      name: "N",
      status: "resolved",
      severity: "medium",
    });
    expect(u.body.issue).toMatchObject({ name: "N", status: "resolved", severity: "medium", description: "d" });
    const bad = await call("POST", "/issues", { experiment_id: exp, name: "n", description: "d", severity: "huge" });
    expectError(bad, 400, "INTERNAL_ERROR", "'huge' is not a valid IssueSeverity");
    expectError(
      await call("POST", "/issues", { experiment_id: exp, name: "n", description: "d", source_run_id: "nope" }),
      400,
      "BAD_REQUEST",
      "FOREIGN KEY constraint failed",
    );
  });

  it("searches most severe first, filters, pages and counts traces", async () => {
    const e = await newExperiment(t, "issues-search");
    const ids: Record<string, string> = {};
    for (const [name, severity, status] of [
      ["a", undefined, "pending"],
      ["b", "low", "resolved"],
      ["c", "high", "pending"],
      ["d", "low", "pending"],
    ] as const) {
      const r = await call("POST", "/issues", {
        experiment_id: e,
        name,
        description: "x",
        status,
        ...(severity ? { severity } : {}),
        ...(name === "d" ? { source_run_id: runId, root_causes: ["rc"], categories: ["cat"] } : {}),
      });
      ids[name] = r.body.issue.issue_id;
      await tick();
    }
    const names = (r: { body: { issues?: { name: string }[] } }) => (r.body.issues ?? []).map((i) => i.name);
    const all = await call("POST", "/issues/search", { experiment_id: e });
    expect(names(all)).toEqual(["c", "d", "b", "a"]);
    expect(all.body.issues[1]).toMatchObject({ source_run_id: runId, root_causes: ["rc"], categories: ["cat"] });
    expect(all.body.next_page_token).toBe("");
    const p1 = await call("POST", "/issues/search", { experiment_id: e, max_results: 3 });
    const p2 = await call("POST", "/issues/search", {
      experiment_id: e,
      max_results: 3,
      page_token: p1.body.next_page_token,
    });
    expect(names(p2)).toEqual(["a"]);
    expect(
      names(await call("POST", "/issues/search", { experiment_id: e, filter_string: "status = 'resolved'" })),
    ).toEqual(["b"]);
    expect(
      names(
        await call("POST", "/issues/search", {
          experiment_id: e,
          filter_string: `status != 'resolved' AND source_run_id = '${runId}'`,
        }),
      ),
    ).toEqual(["d"]);
    expectError(
      await call("POST", "/issues/search", { experiment_id: e, filter_string: "name = 'x'" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Invalid filter field 'name'. Supported fields: {'source_run_id', 'status'}",
    );
    expectError(
      await call("POST", "/issues/search", { experiment_id: e, filter_string: "status = 'a' OR status = 'b'" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Invalid clause(s) in filter string: OR",
    );
    expectError(
      await call("POST", "/issues/search", { experiment_id: e, max_results: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
    );

    // traces point at an issue through `issue` assessments named by its id; among equals, more traces first
    const traces = [`tr-${"a".repeat(32)}`, `tr-${"b".repeat(32)}`];
    const rows = await seedTraces(
      client,
      traces.map((requestId) => ({ requestId, experimentId: Number(e) })),
    );
    for (const [i, row] of rows.entries())
      await client.execute({
        sql: `INSERT INTO assessments (assessment_id, trace_row, name, assessment_type, value, created_timestamp,
                last_updated_timestamp, source_type) VALUES (?, ?, ?, 'issue', '{}', 1, 1, 'HUMAN')`,
        args: [`a-${i}`, row, ids.b as string],
      });
    const counted = await call("POST", "/issues/search", { experiment_id: e, include_trace_count: true });
    expect(names(counted)).toEqual(["c", "b", "d", "a"]);
    expect(counted.body.issues.map((i: { trace_count: number }) => i.trace_count)).toEqual([0, 2, 0, 0]);
  });
});
