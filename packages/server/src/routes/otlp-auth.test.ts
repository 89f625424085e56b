import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, basic, useAuthApp } from "../auth/auth.test-helpers.js";
import { protobufBody, recordSpans } from "../traces/otlp/otlp.test-helpers.js";

const t = useAuthApp();
type Who = { username: string; password: string };
let alice: Who;
let bob: Who;
let exp: string;

beforeAll(async () => {
  alice = await t.addUser("alice");
  bob = await t.addUser("bob");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "alice-traces" })).body.experiment_id;
});

const body = () => protobufBody(recordSpans([{ name: "r", start: 1796542571384794533n, end: 1796542571484794533n }]));

async function exportAs(who: Who | undefined, headers: Record<string, string>) {
  const res = await t.app.request("http://localhost/v1/traces", {
    method: "POST",
    body: body() as Uint8Array<ArrayBuffer>,
    headers: {
      "Content-Type": "application/x-protobuf",
      ...(who ? { Authorization: basic(who.username, who.password) } : {}),
      ...headers,
    },
  });
  return { status: res.status, text: await res.text() };
}

describe("POST /v1/traces with basic auth", () => {
  it("needs sign-in", async () => {
    expect((await exportAs(undefined, { "x-mlflow-experiment-id": exp })).status).toBe(401);
  });

  it("needs UPDATE on the header's experiment, as creating a trace there", async () => {
    // bob has the default READ on alice's experiment.
    expect((await exportAs(bob, { "x-mlflow-experiment-id": exp })).status).toBe(403);
    expect((await exportAs(alice, { "x-mlflow-experiment-id": exp })).status).toBe(200);
    expect((await exportAs(ADMIN, { "x-mlflow-experiment-id": exp })).status).toBe(200);
    const grant = await t.call(
      ADMIN,
      "POST",
      "/users/permissions/grant",
      { username: "bob", resource_type: "experiment", resource_id: exp, permission: "EDIT" },
      { version: "3.0" },
    );
    expect(grant.status).toBe(200);
    expect((await exportAs(bob, { "x-mlflow-experiment-id": exp })).status).toBe(200);
  });

  it("refuses a request without the experiment header before judging it", async () => {
    const res = await exportAs(bob, {});
    expect(res.status).toBe(400);
    // The reference's permission middleware answers its validators' errors as plain text.
    expect(res.text).toBe("Missing required header: X-Mlflow-Experiment-Id");
  });
});
