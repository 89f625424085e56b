import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTraces } from "../traces/trace-rows.test-helpers.js";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";

/** The review routes' permission rules (label schemas, review queues, issues), with default_permission READ. */
const t = useAuthApp();
const v3 = { version: "3.0" };
type Who = { username: string; password: string };
let exp = "";
let client: Client;
let reader: Who;
let member: Who;
let editor: Who;
let other: Who;
let manager: Who;
const TRACE = `tr-${"c".repeat(32)}`;

async function grant(username: string, resource_type: string, resource_id: string, permission: string) {
  const body = { username, resource_type, resource_id, permission };
  expect((await t.call(ADMIN, "POST", "/users/permissions/grant", body, v3)).status).toBe(200);
}

beforeAll(async () => {
  exp = (await t.call(ADMIN, "POST", "/experiments/create", { name: "review-auth" })).body.experiment_id;
  client = createClient({ url: `file:${join(t.dir, "test.db")}`, intMode: "number" });
  await seedTraces(client, [{ requestId: TRACE, experimentId: Number(exp) }]);
  reader = await t.addUser("reader");
  member = await t.addUser("member");
  editor = await t.addUser("editor");
  other = await t.addUser("other");
  manager = await t.addUser("manager");
  for (const u of ["member", "editor", "other"]) await grant(u, "experiment", exp, "EDIT");
  await grant("manager", "experiment", exp, "MANAGE");
});
afterAll(() => client.close());

describe("review queue rules", () => {
  let queue = "";

  it("lets EDIT create (owning the queue), not READ; refuses a registered username as a custom name", async () => {
    const body = { experiment_id: exp, name: "Batch", queue_type: "CUSTOM", users: ["member"], created_by: "x" };
    expect((await t.call(reader, "POST", "/review-queues/create", body, v3)).status).toBe(403);
    const r = await t.call(editor, "POST", "/review-queues/create", body, v3);
    expect(r.status).toBe(200);
    expect(r.body.review_queue.created_by).toBe("editor");
    queue = r.body.review_queue.queue_id;
    const shadow = await t.call(editor, "POST", "/review-queues/create", { ...body, name: "Reader" }, v3);
    expect(shadow.status).toBe(400);
    expect(shadow.body.message).toBe(
      "'reader' is a registered user. A custom review queue cannot use a username as its name; assign that user to a queue instead.",
    );
  });

  it("opens a queue to its manager, members and EDIT owner only; a missing one is 404", async () => {
    const get = (who: Who) => t.call(who, "GET", "/review-queues/get", { queue_id: queue }, v3);
    expect((await get(editor)).status).toBe(200);
    expect((await get(member)).status).toBe(200);
    expect((await get(manager)).status).toBe(200);
    expect((await get(other)).status).toBe(403);
    expect((await get(reader)).status).toBe(403);
    expect((await t.call(editor, "GET", "/review-queues/get", { queue_id: "nope" }, v3)).status).toBe(404);
    // the list is open to experiment readers, who see only the queues they are assigned to
    const names = async (who: Who) =>
      ((await t.call(who, "GET", "/review-queues/list", { experiment_id: exp }, v3)).body.review_queues ?? []).map(
        (q: { name: string }) => q.name,
      );
    expect(await names(reader)).toEqual([]);
    const assigned = { experiment_id: exp, name: "For readers", queue_type: "CUSTOM", users: ["Reader"] };
    expect((await t.call(manager, "POST", "/review-queues/create", assigned, v3)).status).toBe(200);
    expect(await names(reader)).toEqual(["For readers"]);
    expect(await names(other)).toEqual(["For readers", "Batch"]);
    expect(await names(ADMIN)).toEqual(["For readers", "Batch"]);
  });

  it("lets EDIT add items, members review (attributed to themselves), owners and managers prune", async () => {
    const add = { queue_id: queue, item_ids: [TRACE] };
    expect((await t.call(reader, "POST", "/review-queues/items/add", add, v3)).status).toBe(403);
    expect((await t.call(other, "POST", "/review-queues/items/add", add, v3)).status).toBe(200);
    const set = { queue_id: queue, item_id: TRACE, status: "COMPLETE", completed_by: "someone-else" };
    expect((await t.call(editor, "POST", "/review-queues/items/set-status", set, v3)).status).toBe(403);
    const done = await t.call(member, "POST", "/review-queues/items/set-status", set, v3);
    expect(done.status).toBe(200);
    expect(done.body.item.completed_by).toBe("member");
    expect((await t.call(other, "POST", "/review-queues/items/remove", add, v3)).status).toBe(403);
    expect((await t.call(editor, "POST", "/review-queues/items/remove", add, v3)).status).toBe(200);
  });

  it("lets the owner edit, only a manager reassign the owner, and the owner or a manager delete", async () => {
    const rename = { queue_id: queue, name: "Batch 2" };
    expect((await t.call(other, "POST", "/review-queues/update", rename, v3)).status).toBe(403);
    expect((await t.call(editor, "POST", "/review-queues/update", rename, v3)).status).toBe(200);
    const reassign = { queue_id: queue, new_owner: "other" };
    expect((await t.call(editor, "POST", "/review-queues/update", reassign, v3)).status).toBe(403);
    expect((await t.call(manager, "POST", "/review-queues/update", reassign, v3)).status).toBe(200);
    expect((await t.call(editor, "POST", "/review-queues/delete", { queue_id: queue }, v3)).status).toBe(403);
    expect((await t.call(other, "POST", "/review-queues/delete", { queue_id: queue }, v3)).status).toBe(200);
  });
});

describe("label schema and issue rules", () => {
  it("manages label schemas with MANAGE, reads them with READ", async () => {
    const body = { experiment_id: exp, name: "q", type: "FEEDBACK", input: { text: {} } };
    expect((await t.call(editor, "POST", "/label-schemas/create", body, v3)).status).toBe(403);
    const r = await t.call(manager, "POST", "/label-schemas/create", body, v3);
    expect(r.status).toBe(200);
    const id = r.body.label_schema.schema_id;
    expect((await t.call(reader, "GET", "/label-schemas/get", { schema_id: id }, v3)).status).toBe(200);
    expect((await t.call(reader, "GET", "/label-schemas/list", { experiment_id: exp }, v3)).status).toBe(200);
    expect((await t.call(editor, "PATCH", "/label-schemas/update", { schema_id: id, name: "z" }, v3)).status).toBe(403);
    expect((await t.call(editor, "DELETE", "/label-schemas/delete", { schema_id: "nope" }, v3)).status).toBe(404);
    expect((await t.call(manager, "DELETE", "/label-schemas/delete", { schema_id: id }, v3)).status).toBe(200);
  });

  it("creates and updates issues with EDIT, reads them with READ; a missing issue denies", async () => {
    const body = { experiment_id: exp, name: "n", description: "d" };
    expect((await t.call(reader, "POST", "/issues", body, v3)).status).toBe(403);
    const r = await t.call(editor, "POST", "/issues", body, v3);
    expect(r.status).toBe(200);
    const id = r.body.issue.issue_id;
    expect((await t.call(reader, "GET", `/issues/${id}`, undefined, v3)).status).toBe(200);
    expect((await t.call(reader, "PATCH", `/issues/${id}`, { issue_id: id, name: "x" }, v3)).status).toBe(403);
    expect((await t.call(editor, "PATCH", `/issues/${id}`, { issue_id: id, name: "x" }, v3)).status).toBe(200);
    expect((await t.call(editor, "GET", "/issues/nope", undefined, v3)).status).toBe(403);
    expect((await t.call(reader, "POST", "/issues/search", { experiment_id: exp }, v3)).status).toBe(200);
    expect((await t.call(reader, "POST", "/issues/search", {}, v3)).status).toBe(403);
  });
});
