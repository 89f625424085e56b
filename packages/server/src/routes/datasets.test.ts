import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

async function call(method: string, path: string, body?: unknown, prefix = "/api/3.0") {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await t.app.request(`http://localhost${prefix}/mlflow${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function experiment(name: string): Promise<string> {
  return (await call("POST", "/experiments/create", { name }, "/api/2.0")).body.experiment_id;
}

async function dataset(name: string, extra: object = {}): Promise<string> {
  const r = await call("POST", "/datasets/create", { name, ...extra });
  expect(r.status).toBe(200);
  return r.body.dataset.dataset_id;
}

/** Records as JSON text (a string is sent as is: Python's `2.0` survives). */
const upsert = (id: string, records: unknown) =>
  call("POST", `/datasets/${id}/records`, { records: typeof records === "string" ? records : JSON.stringify(records) });
const records = async (id: string, query = "") => {
  const r = await call("GET", `/datasets/${id}/records${query}`);
  expect(r.status).toBe(200);
  return { list: JSON.parse(r.body.records) as Record<string, unknown>[], next: r.body.next_page_token as string };
};

describe("evaluation datasets", () => {
  it("creates, gets and deletes a dataset", async () => {
    const exp = await experiment("ds-create");
    const r = await call("POST", "/datasets/create", {
      name: "qa",
      experiment_ids: [exp],
      tags: JSON.stringify({ team: "ml", "mlflow.user": "bob", n: 5 }),
    });
    expect(r.status).toBe(200);
    const d = r.body.dataset;
    expect(d.dataset_id).toMatch(/^d-[0-9a-f]{32}$/);
    expect(d).toMatchObject({ name: "qa", created_by: "bob", last_updated_by: "bob", experiment_ids: [exp] });
    expect(d.tags).toBe('{"team": "ml", "mlflow.user": "bob", "n": 5}');
    expect(d.digest).toMatch(/^[0-9a-f]{8}$/);
    const got = await call("GET", `/datasets/${d.dataset_id}`, undefined, "/ajax-api/3.0");
    expect(got.body.dataset.tags).toBe('{"team": "ml", "mlflow.user": "bob", "n": "5"}');
    expect(got.body.dataset.experiment_ids).toBeUndefined();
    expect((await call("GET", `/datasets/${d.dataset_id}/experiment-ids`)).body).toEqual({ experiment_ids: [exp] });
    expect((await call("DELETE", `/datasets/${d.dataset_id}`)).status).toBe(200);
    const gone = await call("GET", `/datasets/${d.dataset_id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`Evaluation dataset with id '${d.dataset_id}' not found`);
    expect((await call("GET", `/datasets/${d.dataset_id}`, undefined, "/api/2.0")).status).toBe(404);
  });

  it("refuses bad creates with the reference's messages, never with a 5xx", async () => {
    expect((await call("POST", "/datasets/create", {})).body.message).toMatch(
      /^Missing value for required parameter 'name'/,
    );
    expect((await call("POST", "/datasets/create", { name: "x", tags: { a: 1 } })).body.message).toMatch(
      /^Invalid value \{"a":1\} for parameter 'tags' supplied/,
    );
    const list = await call("POST", "/datasets/create", { name: "x", tags: "[1]" });
    expect([list.status, list.body.message]).toEqual([400, "'list' object has no attribute 'items'"]);
    expect((await call("POST", "/datasets/create", { name: "x", tags: "nope" })).status).toBe(400);
  });

  it("upserts records: dedup by inputs, merged expectations and tags, schema, profile and digest", async () => {
    const id = await dataset("records");
    const before = (await call("GET", `/datasets/${id}`)).body.dataset;
    const first = await upsert(id, [
      { inputs: { q: "a", n: 1 }, expectations: { x: 1 }, tags: { t: "1" } },
      { inputs: { q: "b" }, outputs: "out", source: { source_type: "human", source_data: { source_id: "u1" } } },
    ]);
    expect(first.body).toEqual({ inserted_count: 2, updated_count: 0 });
    const second = await upsert(
      id,
      '[{"inputs": {"n": 1, "q": "a"}, "expectations": {"y": 2.0}, "tags": {"mlflow.user": "al"}, "outputs": "o2"},' +
        ' {"inputs": {"q": "c"}}, {"inputs": {"q": "c"}, "expectations": {"again": true}}]',
    );
    expect(second.body).toEqual({ inserted_count: 1, updated_count: 2 });
    const { list } = await records(id);
    expect(list).toHaveLength(3);
    const a = list.find((r) => (r.inputs as { q: string }).q === "a");
    expect(a).toMatchObject({ expectations: { x: 1, y: 2 }, tags: { t: "1", "mlflow.user": "al" }, outputs: "o2" });
    expect(a?.last_updated_by).toBe("al");
    const c = list.find((r) => (r.inputs as { q: string }).q === "c");
    expect(c).toMatchObject({ expectations: { again: true }, outputs: {} });
    const b = list.find((r) => (r.inputs as { q: string }).q === "b");
    expect(b).toMatchObject({ source_type: "HUMAN", source_id: "u1" });
    // a float stays a float in the text
    expect((await call("GET", `/datasets/${id}/records`)).body.records).toContain('"y": 2.0');

    const after = (await call("GET", `/datasets/${id}`)).body.dataset;
    expect(after.profile).toBe('{"num_records": 3}');
    expect(after.schema).toBe(
      '{"inputs": {"q": "string", "n": "integer"}, "outputs": "string", "expectations": {"x": "integer", "y": "float", "again": "boolean"}, "version": "1.0"}',
    );
    expect(after.digest).not.toBe(before.digest);
    expect(after.last_updated_by).toBe("al");
    // a dict output after a string one is stored (the reference's schema update crashes there)
    expect((await upsert(id, [{ inputs: { q: "d" }, outputs: { k: 1 } }])).status).toBe(200);
  });

  it("pages records by cursor and by offset, and deletes them", async () => {
    const id = await dataset("pages");
    for (const q of ["r0", "r1", "r2"]) await upsert(id, [{ inputs: { q } }]);
    const p1 = await records(id, "?max_results=2");
    expect(p1.list.map((r) => (r.inputs as { q: string }).q)).toEqual(["r0", "r1"]);
    const p2 = await records(id, `?max_results=2&page_token=${encodeURIComponent(p1.next)}`);
    expect([p2.list.map((r) => (r.inputs as { q: string }).q), p2.next]).toEqual([["r2"], undefined]);
    expect((await records(id, "?max_results=1&page_token=2")).list[0]?.inputs).toEqual({ q: "r2" });
    expect((await call("GET", `/datasets/${id}/records?page_token=abc`)).status).toBe(400);
    expect((await call("GET", `/datasets/${id}/records?max_results=-1`)).status).toBe(400);

    const ids = (await records(id)).list.map((r) => r.dataset_record_id);
    const del = await call("DELETE", `/datasets/${id}/records`, { dataset_record_ids: [ids[0], "dr-nope"] });
    expect(del.body).toEqual({ deleted_count: 1 });
    expect((await call("GET", `/datasets/${id}`)).body.dataset.profile).toBe('{"num_records": 2}');
    await call("DELETE", `/datasets/${id}/records`, { dataset_record_ids: ids.slice(1) });
    expect((await call("GET", `/datasets/${id}`)).body.dataset.profile).toBe("null");
    expect((await records("d-missing")).list).toEqual([]);
    const fk = await upsert("d-missing", [{ inputs: {} }]);
    expect([fk.status, fk.body.error_code]).toEqual([400, "BAD_REQUEST"]);
  });

  it("sets and deletes tags in place, keeping their order", async () => {
    const id = await dataset("tags", { tags: JSON.stringify({ a: "1", b: "2" }) });
    await call("PATCH", `/datasets/${id}/tags`, { tags: JSON.stringify({ a: "x", c: true, z: null }) });
    expect((await call("GET", `/datasets/${id}`)).body.dataset.tags).toBe('{"a": "x", "b": "2", "c": "True"}');
    expect((await call("DELETE", `/datasets/${id}/tags/b`)).status).toBe(200);
    expect((await call("DELETE", `/datasets/d-missing/tags/b`)).status).toBe(200);
    expect((await call("GET", `/datasets/${id}`)).body.dataset.tags).toBe('{"a": "x", "c": "True"}');
    const missing = await call("PATCH", "/datasets/d-missing/tags", { tags: "{}" });
    expect([missing.status, missing.body.message]).toEqual([
      404,
      "Could not find evaluation dataset with ID d-missing",
    ]);
  });

  it("links experiments and searches by them, with filters, order and pages", async () => {
    const e1 = await experiment("ds-link-1");
    const e2 = await experiment("ds-link-2");
    const names = ["s-alpha", "s-beta", "s-gamma"];
    const made: string[] = [];
    for (const [i, name] of names.entries())
      made.push(await dataset(name, { experiment_ids: [e1], tags: JSON.stringify({ i: String(i) }) }));
    const search = (body: object) => call("POST", "/datasets/search", { experiment_ids: [e1], ...body });
    expect((await search({})).body.datasets.map((d: { name: string }) => d.name)).toEqual([...names].reverse());
    const page = await search({ order_by: ["name ASC"], max_results: 2 });
    expect(page.body.datasets.map((d: { name: string }) => d.name)).toEqual(["s-alpha", "s-beta"]);
    const rest = await search({ order_by: ["name ASC"], max_results: 2, page_token: page.body.next_page_token });
    expect([rest.body.datasets.map((d: { name: string }) => d.name), rest.body.next_page_token]).toEqual([
      ["s-gamma"],
      undefined,
    ]);
    expect((await search({ filter_string: "tags.i = '1'" })).body.datasets[0].name).toBe("s-beta");
    expect((await search({ filter_string: "name LIKE 'S-%'" })).body).toEqual({});
    expect((await search({ filter_string: "name ILIKE 'S-%'" })).body.datasets).toHaveLength(3);
    expect((await search({ max_results: 0 })).body.message).toBe(
      "Invalid value None for parameter 'max_results' supplied. It must be a positive integer",
    );
    expect((await search({ max_results: 50001 })).status).toBe(400);
    const get = await t.app.request(
      `http://localhost/api/3.0/mlflow/datasets/search?experiment_ids=${e1}&filter_string=${encodeURIComponent("name = 's-beta'")}`,
    );
    expect(((await get.json()) as { datasets: unknown[] }).datasets).toHaveLength(1);

    const added = await call("POST", `/datasets/${made[0]}/add-experiments`, { experiment_ids: [e2] });
    expect(added.status).toBe(200);
    expect((await call("GET", `/datasets/${made[0]}/experiment-ids`)).body.experiment_ids).toEqual([e1, e2]);
    const bad = await call("POST", `/datasets/${made[0]}/add-experiments`, { experiment_ids: ["987654"] });
    expect([bad.status, bad.body.message]).toEqual([404, "No Experiment with id=987654"]);
    await call("POST", `/datasets/${made[0]}/remove-experiments`, { experiment_ids: [e1, "55"] });
    expect((await call("GET", `/datasets/${made[0]}/experiment-ids`)).body.experiment_ids).toEqual([e2]);
    const none = await call("POST", "/datasets/d-missing/remove-experiments", { experiment_ids: [] });
    expect([none.status, none.body.message]).toEqual([404, "Dataset 'd-missing' not found"]);
  });

  it("summarises the datasets runs logged, for the UI", async () => {
    const exp = await experiment("ds-runs");
    const run = (await call("POST", "/runs/create", { experiment_id: exp }, "/api/2.0")).body.run.info.run_id;
    await call(
      "POST",
      "/runs/log-inputs",
      {
        run_id: run,
        datasets: [
          {
            tags: [{ key: "mlflow.data.context", value: "training" }],
            dataset: { name: "dsA", digest: "abc", source_type: "local", source: "{}" },
          },
          { dataset: { name: "dsB", digest: "def", source_type: "local", source: "{}" } },
        ],
      },
      "/api/2.0",
    );
    const path = "/experiments/search-datasets";
    const r = await call("POST", path, { experiment_ids: [exp] }, "/ajax-api/2.0");
    expect(r.body).toEqual({
      dataset_summaries: [
        { experiment_id: exp, name: "dsA", digest: "abc", context: "training" },
        { experiment_id: exp, name: "dsB", digest: "def" },
      ],
    });
    expect((await call("POST", path, {}, "/ajax-api/2.0")).body.message).toBe(
      "SearchDatasets request must specify at least one experiment_id.",
    );
    const many = Array.from({ length: 21 }, (_, i) => String(i));
    expect((await call("POST", path, { experiment_ids: many }, "/ajax-api/2.0")).body.message).toBe(
      "SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids.",
    );
    expect((await call("POST", path, { experiment_ids: [exp] }, "/api/2.0")).status).toBe(404);
  });
});
