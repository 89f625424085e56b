import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, basic, useAuthApp } from "./auth.test-helpers.js";

/**
 * Requests shaped so that the permission check could read another resource than the handler serves: the check must
 * judge exactly what the handler then reads. The victim's experiment is DENY'd to the attacker, while the default
 * permission (READ) would let a check that misread the id through.
 */
const t = useAuthApp();
type Who = { username: string; password: string };
let alice: Who;
let mallory: Who;
let exp: string;
let run: string;
let mine: string;
let myRun: string;

const as = (who: Who, init: RequestInit = {}) => ({
  ...init,
  headers: { Authorization: basic(who.username, who.password), ...(init.headers as Record<string, string>) },
});

beforeAll(async () => {
  alice = await t.addUser("alice");
  mallory = await t.addUser("mallory");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "victim" })).body.experiment_id;
  run = (await t.call(alice, "POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
  mine = (await t.call(mallory, "POST", "/experiments/create", { name: "attacker" })).body.experiment_id;
  myRun = (await t.call(mallory, "POST", "/runs/create", { experiment_id: mine })).body.run.info.run_id;
  const put = await t.app.request(
    `/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/secret.txt`,
    as(alice, { method: "PUT", body: "SECRET" }),
  );
  expect(put.status).toBe(200);
  const grant = await t.call(
    ADMIN,
    "POST",
    "/users/permissions/grant",
    { username: "mallory", resource_type: "experiment", resource_id: exp, permission: "DENY" },
    { version: "3.0" },
  );
  expect(grant.status).toBe(200);
});

describe("experiment ids the store reads as another id", () => {
  it("judges 03, +3 and ' 3 ' as experiment 3", async () => {
    for (const id of [exp, `0${exp}`, `+${exp}`, ` ${exp} `, `00${exp}`]) {
      const r = await t.call(mallory, "GET", "/experiments/get", { experiment_id: id });
      expect(`${JSON.stringify(id)} ${r.status}`).toBe(`${JSON.stringify(id)} 403`);
      const tag = await t.call(mallory, "POST", "/experiments/set-experiment-tag", {
        experiment_id: `0${exp}`,
        key: "k",
        value: "v",
      });
      expect(tag.status).toBe(403);
    }
    // A grant given on another spelling of the id holds for the experiment.
    const other = await t.addUser("other");
    const grant = { username: "other", resource_type: "experiment", resource_id: `00${exp}`, permission: "DENY" };
    expect((await t.call(ADMIN, "POST", "/users/permissions/grant", grant, { version: "3.0" })).status).toBe(200);
    expect((await t.call(other, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(403);
    // The owner still reaches it under any spelling.
    expect((await t.call(alice, "GET", "/experiments/get", { experiment_id: `0${exp}` })).status).toBe(200);
  });
});

describe("proxied artifact paths", () => {
  const digitEncoded = (id: string, times: number) => {
    let first = `%${id.charCodeAt(0).toString(16)}`;
    for (let i = 1; i < times; i++) first = first.replace("%", "%25");
    return first + id.slice(1);
  };

  it("judges the folder the handler serves, however the path is encoded", async () => {
    const rest = `${run}/artifacts/secret.txt`;
    const P = "/api/2.0/mlflow-artifacts/artifacts";
    const paths = [
      `${P}/${exp}/${rest}`,
      `${P}/./${exp}/${rest}`,
      `${P}/%2e/${exp}/${rest}`,
      `${P}/%252e/${exp}/${rest}`,
      `${P}/${digitEncoded(exp, 1)}/${rest}`,
      `${P}/${digitEncoded(exp, 2)}/${rest}`,
      `${P}/${digitEncoded(exp, 3)}/${rest}`,
      `${P}?path=./${exp}/${run}/artifacts`,
      `${P}?path=%252e/${exp}/${run}/artifacts`,
      `${P}?path=${digitEncoded(exp, 2)}/${run}/artifacts`,
    ];
    for (const path of paths) {
      const r = await t.app.request(path, as(mallory));
      const text = await r.text();
      expect(`${path} ${r.status}`).toBe(`${path} 403`);
      expect(text).not.toContain("SECRET");
    }
    for (const path of paths.slice(1, 4)) {
      for (const method of ["PUT", "DELETE"]) {
        const r = await t.app.request(path.replace("secret.txt", "x.txt"), as(mallory, { method, body: "x" }));
        expect(`${method} ${path} ${r.status}`).toBe(`${method} ${path} 403`);
      }
    }
    // The owner's encoded paths reach the same file.
    const own = await t.app.request(`${P}/${digitEncoded(exp, 2)}/${rest}`, as(alice));
    expect(await own.text()).toBe("SECRET");
  });
});

describe("run_id and run_uuid naming two runs", () => {
  it("uploads into the run the check judged, never the other one", async () => {
    // The upload writes to `run_uuid` (the reference's handler reads no `run_id`), so that is the run judged.
    const r = await t.app.request(
      `/ajax-api/2.0/mlflow/upload-artifact?run_id=${myRun}&run_uuid=${run}&path=planted.txt`,
      as(mallory, { method: "POST", body: "PLANTED", headers: { "Content-Type": "application/octet-stream" } }),
    );
    expect(r.status).toBe(403);
    const victim = await t.call(alice, "GET", "/artifacts/list", { run_id: run });
    expect(JSON.stringify(victim.body)).not.toContain("planted.txt");
    const own = await t.app.request(
      `/ajax-api/2.0/mlflow/upload-artifact?run_id=${run}&run_uuid=${myRun}&path=planted.txt`,
      as(mallory, { method: "POST", body: "PLANTED", headers: { "Content-Type": "application/octet-stream" } }),
    );
    expect(own.status).toBe(200);
    expect(JSON.stringify((await t.call(alice, "GET", "/artifacts/list", { run_id: run })).body)).not.toContain(
      "planted.txt",
    );
    const attacker = await t.call(mallory, "GET", "/artifacts/list", { run_id: myRun });
    expect(JSON.stringify(attacker.body)).toContain("planted.txt");
  });

  it("reads get-artifact and artifacts/list from the run the check judged", async () => {
    const get = await t.app.request(`/get-artifact?run_id=${myRun}&run_uuid=${run}&path=secret.txt`, as(mallory));
    expect(get.status).toBe(404);
    expect(await get.text()).not.toContain("SECRET");
    const list = await t.call(mallory, "GET", "/artifacts/list", { run_id: myRun, run_uuid: run });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain("secret.txt");
    const denied = await t.app.request(`/get-artifact?run_id=&run_uuid=${run}&path=secret.txt`, as(mallory));
    expect(denied.status).toBe(403);
  });
});

describe("an id in the URL and another in the message", () => {
  it("is refused rather than checked on one and served on the other", async () => {
    const victim = (await t.call(alice, "POST", "/logged-models", { experiment_id: exp, name: "victim" })).body.model
      .info.model_id;
    const own = (await t.call(mallory, "POST", "/logged-models", { experiment_id: mine, name: "own" })).body.model.info
      .model_id;
    // finalize acts on the body's model_id (as in the reference), while the check reads the URL's
    const r = await t.call(mallory, "PATCH", `/logged-models/${own}`, {
      model_id: victim,
      status: "LOGGED_MODEL_READY",
    });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(JSON.stringify(r.body)).not.toContain("victim");
    const after = await t.call(alice, "GET", `/logged-models/${victim}`);
    expect(after.body.model.info.status).toBe("LOGGED_MODEL_PENDING");
    // Agreeing ids, and the URL's alone, work as before.
    const ok = await t.call(mallory, "PATCH", `/logged-models/${own}`, { model_id: own, status: "LOGGED_MODEL_READY" });
    expect(ok.status).toBe(200);
    const tags = await t.call(mallory, "PATCH", `/logged-models/${own}/tags`, { tags: [{ key: "k", value: "v" }] });
    expect(tags.status).toBe(200);
  });
});

describe("a DELETE naming one resource in its query and another in its body", () => {
  it("is judged on the body, which the handler acts on, whatever its Content-Type", async () => {
    expect((await t.call(alice, "POST", "/registered-models/create", { name: "guarded" })).status).toBe(200);
    await t.call(alice, "POST", "/registered-models/set-tag", { name: "guarded", key: "k", value: "v" });
    const deny = { username: "mallory", resource_type: "registered_model", resource_id: "guarded", permission: "DENY" };
    expect((await t.call(ADMIN, "POST", "/users/permissions/grant", deny, { version: "3.0" })).status).toBe(200);
    expect((await t.call(mallory, "POST", "/registered-models/create", { name: "decoy" })).status).toBe(200);
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
      const headers = contentType ? { "Content-Type": contentType } : undefined;
      const tag = await t.app.request(
        "/api/2.0/mlflow/registered-models/delete-tag?name=decoy&key=k",
        as(mallory, { method: "DELETE", body: JSON.stringify({ name: "guarded", key: "k" }), headers }),
      );
      expect(`${contentType} ${tag.status}`).toBe(`${contentType} 403`);
      const del = await t.app.request(
        "/api/2.0/mlflow/registered-models/delete?name=decoy",
        as(mallory, { method: "DELETE", body: JSON.stringify({ name: "guarded" }), headers }),
      );
      expect(`${contentType} ${del.status}`).toBe(`${contentType} 403`);
    }
    const still = await t.call(alice, "GET", "/registered-models/get", { name: "guarded" });
    expect(still.status).toBe(200);
    expect(still.body.registered_model.tags).toEqual([{ key: "k", value: "v" }]);
  });

  it("reads a double-encoded body as the handler does", async () => {
    const r = await t.app.request(
      "/api/2.0/mlflow/registered-models/delete",
      as(mallory, {
        method: "DELETE",
        body: JSON.stringify(JSON.stringify({ name: "guarded" })),
        headers: { "Content-Type": "application/json" },
      }),
    );
    expect(r.status).toBe(403);
  });
});
