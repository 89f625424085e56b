import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";
import { TraceRows } from "./trace-rows.test-helpers.js";

/**
 * The trace routes' permissions, user by user: one with READ, EDIT, MANAGE, no permission (the default) and DENY on
 * the experiment, each request either served (not 403) or refused with the reference's 403.
 * @see mlflow/server/auth/__init__.py validate_can_*trace*
 */

const t = useAuthApp({ ini: "[mlflow]\ndefault_permission = NO_PERMISSIONS\nadmin_username = admin\n" });
const rows = new TraceRows(t.dir);
afterAll(() => rows.close());

type Who = { username: string; password: string };
const LEVELS = ["READ", "EDIT", "MANAGE", "NONE", "DENY"] as const;
type Level = (typeof LEVELS)[number];
const users = {} as Record<Level, Who>;
let exp: string;
let run: string;
let trace: string;

const grant = (username: string, resource_type: string, resource_id: string, permission: string) =>
  t.call(
    ADMIN,
    "POST",
    "/users/permissions/grant",
    { username, resource_type, resource_id, permission },
    { version: "3.0" },
  );

let seq = 0;
/** A StartTraceV3 body for a new trace in `experimentId`. */
const startV3 = (experimentId: string, extra: Record<string, unknown> = {}) => ({
  trace: {
    trace_info: {
      trace_id: `tr-${(0xabc000 + ++seq).toString(16)}${"f".repeat(26)}`,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
      request_time: "2026-01-01T00:00:00Z",
      execution_duration: "1s",
      state: "OK",
      ...extra,
    },
  },
});

beforeAll(async () => {
  exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: "traced" })).body.experiment_id;
  run = (await t.call(ADMIN, "POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
  trace = await rows.insert(exp, { metadata: { "mlflow.sourceRun": run }, assessments: ["correct"] });
  for (const level of LEVELS) {
    users[level] = await t.addUser(`user-${level.toLowerCase()}`);
    if (level !== "NONE") expect((await grant(users[level].username, "experiment", exp, level)).status).toBe(200);
  }
});

const all = (level: Level) => LEVELS.includes(level);
const readers = (level: Level) => ["READ", "EDIT", "MANAGE"].includes(level);
const editors = (level: Level) => ["EDIT", "MANAGE"].includes(level);
const managers = (level: Level) => level === "MANAGE";

interface Case {
  name: string;
  allowed: (level: Level) => boolean;
  call: (who: Who) => Promise<{ status: number; body: unknown }>;
  /** The status of an allowed request (200 unless said). */
  served?: number;
}

const CASES: Case[] = [
  {
    name: "getTrace",
    allowed: readers,
    call: (w) => t.call(w, "GET", "/traces/get", { trace_id: trace, allow_partial: true }, { version: "3.0" }),
  },
  {
    name: "getTraceInfoV3",
    allowed: readers,
    call: (w) => t.call(w, "GET", `/traces/${trace}`, undefined, { version: "3.0" }),
  },
  { name: "getTraceInfoV2", allowed: readers, call: (w) => t.call(w, "GET", `/traces/${trace}/info`) },
  {
    name: "batchGetTraces",
    allowed: readers,
    call: (w) => t.call(w, "GET", "/traces/batchGet", { trace_ids: [trace] }, { version: "3.0" }),
  },
  {
    name: "batchGetTraceInfos",
    allowed: readers,
    call: (w) => t.call(w, "POST", "/traces/batchGetInfos", { trace_ids: [trace] }, { version: "3.0" }),
  },
  {
    name: "searchTracesV3",
    allowed: readers,
    call: (w) =>
      t.call(
        w,
        "POST",
        "/traces/search",
        { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }] },
        { version: "3.0" },
      ),
  },
  {
    name: "searchTracesV2",
    allowed: readers,
    call: (w) => t.call(w, "GET", "/traces", { experiment_ids: [exp] }),
  },
  {
    name: "startTraceV3",
    allowed: editors,
    call: (w) => t.call(w, "POST", "/traces", startV3(exp), { version: "3.0" }),
  },
  {
    name: "startTraceV2",
    allowed: editors,
    call: (w) => t.call(w, "POST", "/traces", { experiment_id: exp, timestamp_ms: 1_700_000_000_000 }),
  },
  {
    name: "setTraceTag (2.0)",
    allowed: editors,
    call: (w) => t.call(w, "PATCH", `/traces/${trace}/tags`, { key: "k", value: "v" }),
  },
  {
    name: "setTraceTag (3.0)",
    allowed: editors,
    call: (w) => t.call(w, "PATCH", `/traces/${trace}/tags`, { key: "k", value: "v" }, { version: "3.0" }),
  },
  {
    name: "deleteTraceTag (3.0)",
    // The key is absent: the route answers its 404 once the check lets it through.
    served: 404,
    allowed: editors,
    call: (w) => t.call(w, "DELETE", `/traces/${trace}/tags`, { key: "absent" }, { version: "3.0" }),
  },
  {
    name: "endTraceV2",
    allowed: editors,
    call: (w) => t.call(w, "PATCH", `/traces/${trace}`, { timestamp_ms: 1_700_000_000_005, status: "OK" }),
  },
  {
    name: "linkPromptsToTrace",
    allowed: editors,
    call: (w) => t.call(w, "POST", "/traces/link-prompts", { trace_id: trace, prompt_versions: [] }),
  },
  {
    name: "linkTracesToRun",
    allowed: editors,
    call: (w) => t.call(w, "POST", "/traces/link-to-run", { trace_ids: [trace], run_id: run }),
  },
  {
    // Needs DELETE on the experiment (no trace grant) and UPDATE for the assessments: MANAGE. Deletes nothing.
    name: "deleteTraces",
    allowed: managers,
    call: (w) =>
      t.call(
        w,
        "POST",
        "/traces/delete-traces",
        { experiment_id: exp, request_ids: ["tr-absent"] },
        { version: "3.0" },
      ),
  },
  {
    // No rule under 3.0, where the reference serves no such route: refused to everyone but admins.
    name: "linkTracesToRun (3.0)",
    allowed: () => false,
    call: (w) => t.call(w, "POST", "/traces/link-to-run", { trace_ids: [trace], run_id: run }, { version: "3.0" }),
  },
  {
    // A trace that does not exist denies rather than answering 404, so that a check is no oracle of trace ids.
    name: "getTrace of a missing trace",
    allowed: () => false,
    call: (w) => t.call(w, "GET", "/traces/get", { trace_id: "tr-missing" }, { version: "3.0" }),
  },
];

describe("the trace routes, by the user's permission on the experiment", () => {
  for (const c of CASES)
    it.each(LEVELS.filter(all))(`${c.name} as %s`, async (level) => {
      const r = await c.call(users[level]);
      if (c.allowed(level)) expect(r.status, JSON.stringify(r.body)).toBe(c.served ?? 200);
      else expect(r).toMatchObject({ status: 403, body: "Permission denied" });
    });

  it("lets admins through every check", async () => {
    for (const c of CASES) expect((await c.call(ADMIN)).status, c.name).not.toBe(403);
  });

  it("refuses a request naming no trace or experiment as the reference does", async () => {
    const noId = await t.call(users.READ, "GET", "/traces/get", undefined, { version: "3.0" });
    expect(noId.status).toBe(400);
    expect(noId.body.message).toBe(
      "Missing value for required parameter 'trace_id'. See the API docs for more information about request parameters.",
    );
    // No experiment among the locations, no trace ids: nothing to check, denied.
    expect((await t.call(users.READ, "POST", "/traces/search", { locations: [] }, { version: "3.0" })).status).toBe(
      403,
    );
    expect(
      (await t.call(users.READ, "POST", "/traces/batchGetInfos", { trace_ids: [] }, { version: "3.0" })).status,
    ).toBe(403);
    expect(
      (await t.call(users.EDIT, "POST", "/traces", { trace: { trace_info: {} } }, { version: "3.0" })).status,
    ).toBe(403);
  });
});

describe("the trace tiers", () => {
  it("lets a trace DENY refuse what the experiment's EDIT allows, creates included", async () => {
    const u = await t.addUser("trace-denied");
    await grant(u.username, "experiment", exp, "EDIT");
    await grant(u.username, "trace", "*", "DENY");
    expect((await t.call(u, "GET", "/traces/get", { trace_id: trace }, { version: "3.0" })).status).toBe(403);
    expect((await t.call(u, "PATCH", `/traces/${trace}/tags`, { key: "k", value: "v" })).status).toBe(403);
    expect((await t.call(u, "POST", "/traces", startV3(exp), { version: "3.0" })).status).toBe(403);
    // The experiment itself stays readable.
    expect((await t.call(u, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(200);
  });

  it("lets trace and assessment grants delete traces the experiment's READ alone could not", async () => {
    const u = await t.addUser("trace-cleaner");
    await grant(u.username, "experiment", exp, "READ");
    const del = () =>
      t.call(
        u,
        "POST",
        "/traces/delete-traces",
        { experiment_id: exp, request_ids: ["tr-absent"] },
        { version: "3.0" },
      );
    expect((await del()).status).toBe(403);
    await grant(u.username, "trace", "*", "MANAGE");
    // The assessments go with the traces: without an assessment grant, that needs UPDATE on the experiment.
    expect((await del()).status).toBe(403);
    await grant(u.username, "assessment", "*", "MANAGE");
    expect((await del()).status).not.toBe(403);
  });

  it("refuses a search selecting on a tier the user is denied, and a trace start carrying denied assessments", async () => {
    const u = await t.addUser("no-assessments");
    await grant(u.username, "experiment", exp, "EDIT");
    await grant(u.username, "assessment", "*", "DENY");
    const search = (filter: string, order_by: string[] = []) =>
      t.call(
        u,
        "POST",
        "/traces/search",
        { locations: [{ mlflow_experiment: { experiment_id: exp } }], filter, order_by },
        { version: "3.0" },
      );
    expect((await search("")).status).not.toBe(403);
    expect((await search("feedback.correct = 'yes'")).status).toBe(403);
    expect((await search("tags.k = 'v'")).status).not.toBe(403);
    // A filter the search cannot parse reaches every tier.
    expect((await search("bogus.k = 'v'")).status).toBe(403);
    expect((await t.call(u, "POST", "/traces", startV3(exp), { version: "3.0" })).status).not.toBe(403);
    const withAssessment = startV3(exp, {
      assessments: [{ assessment_name: "a", source: { source_type: "HUMAN" }, feedback: { value: true } }],
    });
    expect((await t.call(u, "POST", "/traces", withAssessment, { version: "3.0" })).status).toBe(403);
  });

  it("refuses a search by run to a user denied the run tier, and its sort by run too", async () => {
    const u = await t.addUser("no-runs");
    await grant(u.username, "experiment", exp, "READ");
    await grant(u.username, "run", "*", "DENY");
    const v2 = (q: Record<string, unknown>) => t.call(u, "GET", "/traces", { experiment_ids: [exp], ...q });
    expect((await v2({})).status).not.toBe(403);
    expect((await v2({ filter: `run_id = '${run}'` })).status).toBe(403);
    expect((await v2({ order_by: ["run_id DESC"] })).status).toBe(403);
    expect((await v2({ order_by: ["timestamp_ms DESC"] })).status).not.toBe(403);
  });
});

describe("what a served answer withholds", () => {
  it("leaves out the metadata naming a run of a denied run tier, in v3 and v2 answers alike", async () => {
    const u = await t.addUser("runs-hidden");
    await grant(u.username, "experiment", exp, "READ");
    await grant(u.username, "run", "*", "DENY");
    const v3 = (w: Who) => t.call(w, "GET", `/traces/${trace}`, undefined, { version: "3.0" });
    expect((await v3(users.READ)).body.trace.trace_info.trace_metadata).toMatchObject({ "mlflow.sourceRun": run });
    const hidden = await v3(u);
    expect(hidden.status).toBe(200);
    expect(hidden.body.trace.trace_info.trace_metadata?.["mlflow.sourceRun"]).toBeUndefined();
    expect(hidden.body.trace.trace_info.trace_id).toBe(trace);
    const batch = await t.call(u, "POST", "/traces/batchGetInfos", { trace_ids: [trace] }, { version: "3.0" });
    expect(batch.body.trace_infos[0].trace_metadata?.["mlflow.sourceRun"]).toBeUndefined();
    const found = await t.call(
      u,
      "POST",
      "/traces/search",
      { locations: [{ mlflow_experiment: { experiment_id: exp } }] },
      { version: "3.0" },
    );
    const mine = found.body.traces.find((i: { trace_id: string }) => i.trace_id === trace);
    expect(mine).toBeDefined();
    expect(mine.trace_metadata?.["mlflow.sourceRun"]).toBeUndefined();
    const listed = await t.call(u, "GET", "/traces", { experiment_ids: [exp] });
    expect(JSON.stringify(listed.body)).not.toContain("mlflow.sourceRun");
    expect(JSON.stringify((await t.call(users.READ, "GET", "/traces", { experiment_ids: [exp] })).body)).toContain(
      "mlflow.sourceRun",
    );
    const v2 = await t.call(u, "GET", `/traces/${trace}/info`);
    expect(v2.status).toBe(200);
    expect((v2.body.trace_info.request_metadata ?? []).map((kv: { key: string }) => kv.key)).not.toContain(
      "mlflow.sourceRun",
    );
    expect(
      (await t.call(users.READ, "GET", `/traces/${trace}/info`)).body.trace_info.request_metadata.map(
        (kv: { key: string }) => kv.key,
      ),
    ).toContain("mlflow.sourceRun");
  });
});

describe("assessments in trace answers", () => {
  it("are withheld where the assessment tier is denied, and kept where an assessment grant overrides the experiment", async () => {
    const hidden = await t.addUser("assessments-hidden");
    await grant(hidden.username, "experiment", exp, "READ");
    await grant(hidden.username, "assessment", "*", "DENY");
    const info = (w: Who) => t.call(w, "GET", `/traces/${trace}`, undefined, { version: "3.0" });
    expect((await info(users.READ)).body.trace.trace_info.assessments).toHaveLength(1);
    const withheld = await info(hidden);
    expect(withheld.status).toBe(200);
    expect(withheld.body.trace.trace_info.assessments).toBeUndefined();
    const search = await t.call(
      hidden,
      "POST",
      "/traces/search",
      { locations: [{ mlflow_experiment: { experiment_id: exp } }] },
      { version: "3.0" },
    );
    expect(JSON.stringify(search.body)).not.toContain('"assessments"');
    const batch = await t.call(hidden, "POST", "/traces/batchGetInfos", { trace_ids: [trace] }, { version: "3.0" });
    expect(batch.body.trace_infos[0].assessments).toBeUndefined();
    // An experiment DENY hides the trace itself; an assessment grant alone does not lift that.
    expect((await info(users.DENY)).status).toBe(403);
  });
});

describe("a redacted trace with its spans", () => {
  it("keeps the spans' nanosecond times to the digit", async () => {
    const ns = "1767225600123456789";
    const content = `{"trace_id":"AAAAAAAAAAAAAAAAAAAAAA==","span_id":"AAAAAAAAAAE=","name":"root","start_time_unix_nano":${ns},"end_time_unix_nano":${ns}}`;
    const spanned = await rows.insert(exp, {
      metadata: { "mlflow.sourceRun": run },
      spans: [{ spanId: "0000000000000001", startNs: BigInt(ns), content }],
    });
    const u = await t.addUser("runs-hidden-spans");
    await grant(u.username, "experiment", exp, "READ");
    await grant(u.username, "run", "*", "DENY");
    const res = await t.app.request(`/api/3.0/mlflow/traces/get?trace_id=${spanned}&allow_partial=true`, {
      headers: { Authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`"start_time_unix_nano":${ns}`);
    expect(text).not.toContain("mlflow.sourceRun");
  });
});

describe("the routes outside the shared table", () => {
  const auth = (w: Who) => ({
    Authorization: `Basic ${Buffer.from(`${w.username}:${w.password}`).toString("base64")}`,
  });

  it("checks get-trace-artifact on the trace named by request_id", async () => {
    const get = (w: Who, q: string) =>
      t.app.request(`/ajax-api/3.0/mlflow/get-trace-artifact${q}`, { headers: auth(w) });
    expect((await get(users.READ, `?request_id=${trace}`)).status).not.toBe(403);
    expect((await get(users.NONE, `?request_id=${trace}`)).status).toBe(403);
    const none = await get(users.READ, "");
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Request must specify request_id parameter",
    });
  });

  it("checks OTLP ingest against the experiment of its header, and answers a missing header with a plain 400", async () => {
    const post = (w: Who, headers: Record<string, string> = {}) =>
      t.app.request("/v1/traces", {
        method: "POST",
        body: new Uint8Array([]),
        headers: { ...auth(w), "Content-Type": "application/x-protobuf", ...headers },
      });
    const missing = await post(users.EDIT);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toBe("Missing required header: X-Mlflow-Experiment-Id");
    expect((await post(users.READ, { "X-Mlflow-Experiment-Id": exp })).status).toBe(403);
    expect((await post(users.EDIT, { "X-Mlflow-Experiment-Id": exp })).status).not.toBe(403);
    expect((await t.app.request("/v1/traces", { method: "POST" })).status).toBe(401);
  });
});
