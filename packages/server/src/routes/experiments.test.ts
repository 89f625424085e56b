import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

describe("experiments", () => {
  it("has the Default experiment with id 0", async () => {
    const r = await t.call("GET", "/experiments/get", { experiment_id: "0" });
    expect(r.status).toBe(200);
    expect(r.body.experiment).toMatchObject({
      experiment_id: "0",
      name: "Default",
      artifact_location: "mlflow-artifacts:/0",
      lifecycle_stage: "active",
    });
  });

  it("creates, reads by id and name, and refuses duplicates", async () => {
    const created = await t.call("POST", "/experiments/create", {
      name: "exp-a",
      tags: [{ key: "team", value: "ml" }],
    });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id;
    expect(id).toBe("1");
    const byName = await t.call("GET", "/experiments/get-by-name", { experiment_name: "exp-a" });
    expect(byName.body.experiment).toMatchObject({ experiment_id: id, tags: [{ key: "team", value: "ml" }] });
    expect(byName.body.experiment.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    const dup = await t.call("POST", "/experiments/create", { name: "exp-a" });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  it("reports missing and unknown experiments like the reference", async () => {
    const missing = await t.call("POST", "/experiments/create", {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message:
        "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    });
    const unknown = await t.call("GET", "/experiments/get", { experiment_id: "999" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "No Experiment with id=999 exists",
    });
    const byName = await t.call("GET", "/experiments/get-by-name", { experiment_name: "nope" });
    expect(byName.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("renames, deletes and restores, keeping deleted names taken", async () => {
    const { body } = await t.call("POST", "/experiments/create", { name: "exp-b" });
    const id = body.experiment_id;
    expect((await t.call("POST", "/experiments/update", { experiment_id: id, new_name: "exp-b2" })).status).toBe(200);
    expect((await t.call("GET", "/experiments/get", { experiment_id: id })).body.experiment.name).toBe("exp-b2");
    expect((await t.call("POST", "/experiments/delete", { experiment_id: id })).status).toBe(200);
    const got = await t.call("GET", "/experiments/get", { experiment_id: id });
    expect(got.body.experiment.lifecycle_stage).toBe("deleted");
    const clash = await t.call("POST", "/experiments/create", { name: "exp-b2" });
    expect(clash.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const rename = await t.call("POST", "/experiments/update", { experiment_id: id, new_name: "x" });
    expect(rename.body).toMatchObject({
      error_code: "INVALID_STATE",
      message: "Cannot rename a non-active experiment.",
    });
    expect((await t.call("POST", "/experiments/restore", { experiment_id: id })).status).toBe(200);
    expect((await t.call("GET", "/experiments/get", { experiment_id: id })).body.experiment.lifecycle_stage).toBe(
      "active",
    );
  });

  it("sets and deletes experiment tags", async () => {
    const { body } = await t.call("POST", "/experiments/create", { name: "exp-tags" });
    const id = body.experiment_id;
    await t.call("POST", "/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v1" });
    await t.call("POST", "/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v2" });
    expect((await t.call("GET", "/experiments/get", { experiment_id: id })).body.experiment.tags).toEqual([
      { key: "k", value: "v2" },
    ]);
    await t.call("POST", "/experiments/delete-experiment-tag", { experiment_id: id, key: "k" });
    expect((await t.call("GET", "/experiments/get", { experiment_id: id })).body.experiment.tags).toBeUndefined();
    const again = await t.call("POST", "/experiments/delete-experiment-tag", { experiment_id: id, key: "k" });
    expect(again.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("searches with filter, order and pages", async () => {
    for (const name of ["s-1", "s-2", "s-3"]) await t.call("POST", "/experiments/create", { name });
    const first = await t.call("POST", "/experiments/search", {
      filter: "name LIKE 's-%'",
      order_by: ["name ASC"],
      max_results: 2,
    });
    expect(first.body.experiments.map((e: { name: string }) => e.name)).toEqual(["s-1", "s-2"]);
    const second = await t.call("POST", "/experiments/search", {
      filter: "name LIKE 's-%'",
      order_by: ["name ASC"],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    expect(second.body.experiments.map((e: { name: string }) => e.name)).toEqual(["s-3"]);
    expect(second.body.next_page_token).toBeUndefined();
    const viaGet = await t.call("GET", "/experiments/search", { filter: "name = 's-2'", max_results: 10 });
    expect(viaGet.body.experiments).toHaveLength(1);
  });

  it("answers unknown endpoints with 404", async () => {
    const res = await t.app.request("/api/2.0/mlflow/no-such-thing", { method: "POST" });
    expect(res.status).toBe(404);
  });
});

describe("experiments/create with a local artifact_location", () => {
  const w = useTestApp({ workingDirectory: "/srv/tracklite" });

  it("makes a relative location absolute against the server's working directory, as the reference does", async () => {
    const rel = await w.call("POST", "/experiments/create", { name: "rel-loc", artifact_location: "my_location" });
    const got = await w.call("GET", "/experiments/get", { experiment_id: rel.body.experiment_id });
    expect(got.body.experiment.artifact_location).toBe(`/srv/tracklite/my_location`);
    const uri = await w.call("POST", "/experiments/create", { name: "rel-uri", artifact_location: "file:some/dir" });
    const got2 = await w.call("GET", "/experiments/get", { experiment_id: uri.body.experiment_id });
    expect(got2.body.experiment.artifact_location).toBe(`file:///srv/tracklite/some/dir`);
  });

  it("keeps a relative location as given on a runtime without a working folder", async () => {
    const rel = await t.call("POST", "/experiments/create", { name: "rel-kept", artifact_location: "my_location" });
    const got = await t.call("GET", "/experiments/get", { experiment_id: rel.body.experiment_id });
    expect(got.body.experiment.artifact_location).toBe("my_location");
  });

  it("refuses a file: location on another host with the reference's message", async () => {
    const r = await t.call("POST", "/experiments/create", { name: "remote", artifact_location: "file://other/x" });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.body.message).toMatch(/^file:\/\/other\/x is not a valid remote uri\./);
  });
});
