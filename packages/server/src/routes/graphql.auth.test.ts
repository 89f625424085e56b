import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, basic, useAuthApp } from "../auth/auth.test-helpers.js";

const t = useAuthApp();
let alice: { username: string; password: string };
const ids = { openExp: "", closedExp: "", openRun: "", closedRun: "" };

async function gql(who: { username: string; password: string } | undefined, query: string, variables = {}) {
  const res = await t.app.request("http://localhost/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(who ? { Authorization: basic(who.username, who.password) } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
}

beforeAll(async () => {
  alice = await t.addUser("alice");
  for (const name of ["open", "closed"] as const) {
    const exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: `gql-${name}` })).body.experiment_id;
    const run = (await t.call(ADMIN, "POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
    await t.call(ADMIN, "POST", "/runs/log-metric", { run_id: run, key: "m", value: 1, timestamp: 1, step: 0 });
    await t.call(ADMIN, "POST", "/registered-models/create", { name: `gql-${name}-model` });
    await t.call(ADMIN, "POST", "/model-versions/create", {
      name: `gql-${name}-model`,
      source: "s3://b/m",
      run_id: run,
    });
    if (name === "open") Object.assign(ids, { openExp: exp, openRun: run });
    else Object.assign(ids, { closedExp: exp, closedRun: run });
  }
  // A version of the denied model made from the readable run.
  await t.call(ADMIN, "POST", "/model-versions/create", {
    name: "gql-closed-model",
    source: "s3://b/m2",
    run_id: ids.openRun,
  });
  for (const [resource_type, resource_id] of [
    ["experiment", ids.closedExp],
    ["registered_model", "gql-closed-model"],
  ]) {
    const grant = { username: "alice", resource_type, resource_id, permission: "DENY" };
    expect((await t.call(ADMIN, "POST", "/users/permissions/grant", grant, { version: "3.0" })).status).toBe(200);
  }
});

const RUN = `query Q($id: String) { mlflowGetRun(input: {runId: $id}) { run { info { runId } experiment { name } modelVersions { name } } } }`;
const SEARCH = `query Q($ids: [String]) { mlflowSearchRuns(input: {experimentIds: $ids}) { runs { info { experimentId } } } }`;

describe("/graphql with basic auth (the reference's GraphQL authorization middleware)", () => {
  it("needs sign-in, then lets every user in", async () => {
    expect((await gql(undefined, '{ test(inputString: "a") { output } }')).status).toBe(401);
    expect((await gql(alice, '{ test(inputString: "a") { output } }')).body).toEqual({
      data: { test: { output: "a" } },
      errors: null,
    });
  });

  it("answers a call the user may not make with null and no error", async () => {
    expect((await gql(alice, RUN, { id: ids.closedRun })).body).toEqual({ data: { mlflowGetRun: null }, errors: null });
    const exp = `query Q($id: String) { mlflowGetExperiment(input: {experimentId: $id}) { experiment { name } } }`;
    expect((await gql(alice, exp, { id: ids.closedExp })).body).toEqual({
      data: { mlflowGetExperiment: null },
      errors: null,
    });
    const list = `query Q($id: String) { mlflowListArtifacts(input: {runUuid: $id}) { files { path } } }`;
    expect((await gql(alice, list, { id: ids.closedRun })).body.data).toEqual({ mlflowListArtifacts: null });
    const bulk = `query Q($ids: [String]) { mlflowGetMetricHistoryBulkInterval(input: {runIds: $ids, metricKey: "m"}) { metrics { value } } }`;
    expect((await gql(alice, bulk, { ids: [ids.openRun, ids.closedRun] })).body.data).toEqual({
      mlflowGetMetricHistoryBulkInterval: null,
    });
    expect((await gql(alice, bulk, { ids: [ids.openRun] })).body.data).toEqual({
      mlflowGetMetricHistoryBulkInterval: { metrics: [{ value: 1 }] },
    });
  });

  it("leaves out of a readable run the model versions the user may not read", async () => {
    expect((await gql(alice, RUN, { id: ids.openRun })).body).toEqual({
      data: {
        mlflowGetRun: {
          run: {
            info: { runId: ids.openRun },
            experiment: { name: "gql-open" },
            modelVersions: [{ name: "gql-open-model" }],
          },
        },
      },
      errors: null,
    });
    const admin = await gql(ADMIN, RUN, { id: ids.openRun });
    expect(admin.body.data.mlflowGetRun.run.modelVersions).toHaveLength(2);
  });

  it("searches only the experiments the user may read, and refuses a search of none", async () => {
    expect((await gql(alice, SEARCH, { ids: [ids.openExp, ids.closedExp] })).body.data).toEqual({
      mlflowSearchRuns: { runs: [{ info: { experimentId: ids.openExp } }] },
    });
    expect((await gql(alice, SEARCH, { ids: [ids.closedExp] })).body).toEqual({
      data: { mlflowSearchRuns: null },
      errors: null,
    });
    expect(
      (await gql(ADMIN, SEARCH, { ids: [ids.openExp, ids.closedExp] })).body.data.mlflowSearchRuns.runs,
    ).toHaveLength(2);
  });

  it("searches only the model versions the user may read", async () => {
    const q = `{ mlflowSearchModelVersions(input: {filter: "name LIKE 'gql-%'"}) { modelVersions { name } } }`;
    expect((await gql(alice, q)).body.data.mlflowSearchModelVersions.modelVersions).toEqual([
      { name: "gql-open-model" },
    ]);
    expect((await gql(ADMIN, q)).body.data.mlflowSearchModelVersions.modelVersions).toHaveLength(3);
  });
});
