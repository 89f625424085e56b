import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { rawClient, seedTraces } from "../traces/trace-rows.test-helpers.js";
import { callV3, expectError, newExperiment } from "./review.test-helpers.js";

const t = useTestApp();
const call = (method: string, path: string, body?: Record<string, unknown>) => callV3(t, method, path, body);
let exp = "";
let other = "";
let schema = "";
let client: Client;
const T1 = `tr-${"1".repeat(32)}`;
const T2 = `tr-${"2".repeat(32)}`;
const T3 = `tr-${"3".repeat(32)}`;

beforeAll(async () => {
  exp = await newExperiment(t, "queues");
  other = await newExperiment(t, "queues-other");
  client = rawClient(t);
  await seedTraces(client, [
    { requestId: T1, experimentId: Number(exp) },
    { requestId: T2, experimentId: Number(exp) },
    { requestId: T3, experimentId: Number(other) },
  ]);
  const s = await call("POST", "/label-schemas/create", {
    experiment_id: exp,
    name: "q",
    type: 1,
    input: { text: {} },
  });
  schema = s.body.label_schema.schema_id;
});
afterAll(() => client.close());

/** Lists are newest first (ties by random id): keep creations apart. */
const tick = () => new Promise((r) => setTimeout(r, 3));
const createQueue = (body: Record<string, unknown>) =>
  call("POST", "/review-queues/create", { experiment_id: exp, ...body });

describe("review queues", () => {
  it("creates custom and user queues with normalised users, and refuses bad ones", async () => {
    const r = await createQueue({
      name: " Q1 ",
      queue_type: "CUSTOM",
      users: ["Bob ", "alice", "bob"],
      schema_ids: [schema],
      created_by: "mallory",
    });
    expect(r.status).toBe(200);
    await tick();
    expect(r.body.review_queue).toMatchObject({
      experiment_id: exp,
      name: "Q1",
      queue_type: "CUSTOM",
      users: ["alice", "bob"],
      schema_ids: [schema],
    });
    // a server without auth has no owner to stamp, whatever the client claims
    expect(r.body.review_queue).not.toHaveProperty("created_by");
    expect(r.body.review_queue.queue_id).toMatch(/^rq-[0-9a-f]{32}$/);
    const u = await createQueue({ name: "Carol", queue_type: "USER" });
    expect(u.body.review_queue).toMatchObject({ name: "carol", queue_type: "USER", users: ["carol"] });
    expect(u.body.review_queue).not.toHaveProperty("schema_ids");

    expectError(
      await createQueue({ name: "q1", queue_type: "CUSTOM" }),
      400,
      "RESOURCE_ALREADY_EXISTS",
      "Review queue with name 'q1' already exists (names are case-insensitive).",
    );
    expectError(
      await createQueue({ name: "x" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`queue_type` must be one of USER or CUSTOM; got proto enum value 0.",
    );
    expectError(
      await createQueue({ name: "DEFAULT", queue_type: "CUSTOM" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`DEFAULT` is a reserved queue name and cannot be used for a custom queue.",
    );
    expectError(
      await createQueue({ name: "Dan", queue_type: "USER", users: ["x"] }),
      400,
      "INVALID_PARAMETER_VALUE",
      "A user queue must have exactly one assigned user equal to its name; got name='dan' and users=['x'].",
    );
    expectError(
      await createQueue({ name: "Q2", queue_type: "CUSTOM", users: Array.from({ length: 11 }, (_, i) => `u${i}`) }),
      400,
      "INVALID_PARAMETER_VALUE",
      "A review queue can have at most 10 assigned users; got 11.",
    );
    expectError(
      await createQueue({ name: "Q2", queue_type: "CUSTOM", schema_ids: ["ls-nope"] }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Label schema id(s) ['ls-nope'] not found for experiment '${exp}'.`,
    );
  });

  it("gets or creates a user's queue idempotently", async () => {
    await tick();
    const a = await call("POST", "/review-queues/get-or-create-user", { experiment_id: exp, user: "Dave" });
    expect(a.body.review_queue).toMatchObject({ name: "dave", created_by: "dave", queue_type: "USER" });
    const b = await call("POST", "/review-queues/get-or-create-user", { experiment_id: exp, user: " DAVE" });
    expect(b.body.review_queue.queue_id).toBe(a.body.review_queue.queue_id);
    expectError(
      await call("POST", "/review-queues/get-or-create-user", { experiment_id: exp, user: "q1" }),
      400,
      "RESOURCE_ALREADY_EXISTS",
      "A non-user queue named 'q1' already exists; cannot get-or-create a user queue with that name.",
    );
  });

  it("lists newest first, by user and by item, in pages", async () => {
    const all = await call("GET", "/review-queues/list", { experiment_id: exp });
    expect(all.body.review_queues.map((q: { name: string }) => q.name)).toEqual(["dave", "carol", "Q1"]);
    expect(all.body.next_page_token).toBe("");
    const p1 = await call("GET", "/review-queues/list", { experiment_id: exp, max_results: 2 });
    const p2 = await call("GET", "/review-queues/list", {
      experiment_id: exp,
      max_results: 2,
      page_token: p1.body.next_page_token,
    });
    expect(p2.body.review_queues.map((q: { name: string }) => q.name)).toEqual(["Q1"]);
    const bob = await call("GET", "/review-queues/list", { experiment_id: exp, user: "BOB" });
    expect(bob.body.review_queues.map((q: { name: string }) => q.name)).toEqual(["Q1"]);
    const none = await call("GET", "/review-queues/list", { experiment_id: exp, item_id: T1 });
    expect(none.body).toEqual({ next_page_token: "" });
  });

  it("attaches traces of the queue's experiment only, and tracks their review status", async () => {
    const q = (await call("GET", "/review-queues/get-by-name", { experiment_id: exp, name: "q1" })).body.review_queue;
    const id = q.queue_id;
    expectError(
      await call("POST", "/review-queues/items/add", { queue_id: id, item_ids: [T3, "nope"] }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      `Cannot attach trace(s) ['${T3}', 'nope'] to review queue '${id}': they do not exist in experiment '${exp}'.`,
    );
    expectError(
      await call("POST", "/review-queues/items/add", { queue_id: id }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`item_ids` must be a non-empty list; got [].",
    );
    const added = await call("POST", "/review-queues/items/add", { queue_id: id, item_ids: [T1, ` ${T2}`, T1] });
    expect(added.status).toBe(200);
    expect(added.body.items.map((i: { item_id: string }) => i.item_id)).toEqual([T1, T2]);
    expect(added.body.items[0]).toMatchObject({ queue_id: id, item_type: "TRACE", status: "PENDING" });

    const set = (body: Record<string, unknown>) =>
      call("POST", "/review-queues/items/set-status", { queue_id: id, ...body });
    expectError(
      await set({ item_id: T1, status: "COMPLETE" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`completed_by` is required when setting status to `complete`.",
    );
    const done = await set({ item_id: T1, status: "COMPLETE", completed_by: " Bob " });
    expect(done.body.item).toMatchObject({ status: "COMPLETE", completed_by: "bob" });
    expect(done.body.item.completed_time_ms).toBe(done.body.item.last_update_time_ms);
    // the same status again changes nothing: the first reviewer keeps the attribution
    const again = await set({ item_id: T1, status: "COMPLETE", completed_by: "eve" });
    expect(again.body.item).toEqual(done.body.item);
    expectError(
      await set({ item_id: T1, status: "PENDING", completed_by: "eve" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`completed_by` must not be set when reopening an item to `pending`.",
    );
    const reopened = await set({ item_id: T1, status: "PENDING" });
    expect(reopened.body.item).not.toHaveProperty("completed_by");
    expect(reopened.body.item).not.toHaveProperty("completed_time_ms");
    expectError(
      await set({ item_id: "nope", status: "DECLINED", completed_by: "x" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      `Item 'nope' is not attached to review queue '${id}'.`,
    );
    await set({ item_id: T2, status: "DECLINED", completed_by: "x" });
    const declined = await call("GET", "/review-queues/items/list", { queue_id: id, status: "DECLINED" });
    expect(declined.body.items.map((i: { item_id: string }) => i.item_id)).toEqual([T2]);
    const byItem = await call("GET", "/review-queues/list", { experiment_id: exp, item_id: T1 });
    expect(byItem.body.review_queues.map((x: { queue_id: string }) => x.queue_id)).toEqual([id]);

    // questions are frozen while items are attached
    expectError(
      await call("POST", "/review-queues/update", { queue_id: id, update_schema_ids: true, schema_ids: [] }),
      400,
      "INVALID_PARAMETER_VALUE",
      "A review queue's questions are locked once items are assigned to it. Remove the items before changing its questions.",
    );
    expect((await call("POST", "/review-queues/items/remove", { queue_id: id, item_ids: [T1, T2] })).status).toBe(200);
    const emptied = await call("POST", "/review-queues/update", {
      queue_id: id,
      update_schema_ids: true,
      schema_ids: [],
    });
    expect(emptied.body.review_queue).not.toHaveProperty("schema_ids");
  });

  it("updates custom queues only, and deletes with their items", async () => {
    const q = (await call("GET", "/review-queues/get-by-name", { experiment_id: exp, name: "Q1" })).body.review_queue;
    const u = await call("POST", "/review-queues/update", {
      queue_id: q.queue_id,
      name: "Renamed",
      update_users: true,
      users: ["Zed"],
      new_owner: " Owner ",
    });
    expect(u.body.review_queue).toMatchObject({ name: "Renamed", users: ["zed"], created_by: "Owner" });
    expectError(
      await call("POST", "/review-queues/update", { queue_id: q.queue_id, name: "CAROL" }),
      400,
      "RESOURCE_ALREADY_EXISTS",
      "Review queue with name 'CAROL' already exists (names are case-insensitive).",
    );
    const carol = (await call("GET", "/review-queues/get-by-name", { experiment_id: exp, name: "carol" })).body
      .review_queue;
    expectError(
      await call("POST", "/review-queues/update", { queue_id: carol.queue_id, name: "x" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "A user queue's name, assigned user, schemas, and owner are fixed and cannot be updated.",
    );
    await call("POST", "/review-queues/items/add", { queue_id: q.queue_id, item_ids: [T1] });
    expect((await call("POST", "/review-queues/delete", { queue_id: q.queue_id })).status).toBe(200);
    expect((await call("POST", "/review-queues/delete", { queue_id: q.queue_id })).status).toBe(200);
    expectError(
      await call("GET", "/review-queues/items/list", { queue_id: q.queue_id }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      `Review queue with id '${q.queue_id}' not found.`,
    );
    // a deleted trace leaves the queues it was in
    const q2 = (await createQueue({ name: "Keep", queue_type: "CUSTOM" })).body.review_queue.queue_id;
    await call("POST", "/review-queues/items/add", { queue_id: q2, item_ids: [T1, T2] });
    const deleted = await t.call("POST", "/traces/delete-traces", { experiment_id: exp, request_ids: [T2] });
    expect(deleted.body).toEqual({ traces_deleted: 1 });
    const kept = await call("GET", "/review-queues/items/list", { queue_id: q2 });
    expect(kept.body.items.map((i: { item_id: string }) => i.item_id)).toEqual([T1]);
    const left = await client.execute({
      sql: "SELECT COUNT(*) AS n FROM review_queue_items WHERE queue_id = ?",
      args: [q.queue_id],
    });
    expect(Number(left.rows[0]?.n)).toBe(0);
  });
});
