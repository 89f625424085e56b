import { beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { collect, paginate } from "./paging.js";
import { TARGETS, useServer } from "./testing/servers.test-helpers.js";

/** A judge as MLflow 3.17.2's `make_judge(...).register()` serializes it. */
const JUDGE = (instructions: string) =>
  JSON.stringify({
    name: "politeness",
    aggregations: [],
    description: null,
    is_session_level_scorer: false,
    mlflow_version: "3.17.2",
    serialization_version: 1,
    builtin_scorer_class: null,
    builtin_scorer_pydantic_data: null,
    call_source: null,
    call_signature: null,
    original_func_name: null,
    instructions_judge_pydantic_data: {
      instructions,
      model: "openai:/gpt-4o-mini",
      feedback_value_type: { title: "Result", type: "string" },
    },
  });

/** A built-in scorer as `Safety().register()` serializes it. */
const SAFETY = JSON.stringify({
  name: "safety",
  aggregations: null,
  description: "No harmful content.",
  mlflow_version: "3.17.2",
  serialization_version: 1,
  builtin_scorer_class: "Safety",
  builtin_scorer_pydantic_data: { name: "safety", required_columns: ["inputs", "outputs"], instructions: "Be safe." },
  instructions_judge_pydantic_data: null,
});

/** A dataset's tags (JSON text on the wire). */
const tagsOf = (d: { tags?: string }) => JSON.parse(d.tags ?? "{}") as Record<string, string>;

// Against tracklite and MLflow's own server: the methods must send what both understand.
describe.each(TARGETS)(
  "GenAI methods of MlflowClient against %s",
  (kind) => {
    const server = useServer(kind);
    let client: MlflowClient;
    let experimentId: string;

    beforeAll(async () => {
      client = new MlflowClient({ trackingUri: server.url, maxRetries: 0 });
      experimentId = await client.createExperiment(`genai-client-${Date.now()}`);
    });

    it("creates a dataset, pages its records, edits one record and deletes records and the dataset", async () => {
      const ds = await client.createEvaluationDataset("qa", { experimentIds: [experimentId], tags: { team: "ml" } });
      expect(ds.dataset_id).toMatch(/^d-/);
      const added = await client.upsertDatasetRecords(
        ds.dataset_id,
        Array.from({ length: 7 }, (_, i) => ({
          inputs: { question: `q${i}` },
          expectations: { answer: `a${i}` },
          tags: { split: "test" },
        })),
      );
      expect(added).toEqual({ inserted: 7, updated: 0 });

      const first = await client.getDatasetRecords(ds.dataset_id, { maxResults: 5 });
      expect(first.items).toHaveLength(5);
      expect(first.nextPageToken).toBeTruthy();
      const all = await collect(
        paginate((pageToken) => client.getDatasetRecords(ds.dataset_id, { maxResults: 5, pageToken })),
      );
      expect(all.map((r) => r.inputs.question).sort()).toEqual(["q0", "q1", "q2", "q3", "q4", "q5", "q6"]);
      const q3 = all.find((r) => r.inputs.question === "q3");
      expect(q3).toMatchObject({ expectations: { answer: "a3" }, tags: { split: "test" } });

      // An edit is an upsert with the same inputs: expectations and tags merge key by key.
      const edited = await client.upsertDatasetRecords(ds.dataset_id, [
        { inputs: { question: "q3" }, expectations: { answer: "A3", score: 0.5 }, tags: { reviewed: "yes" } },
      ]);
      expect(edited).toEqual({ inserted: 0, updated: 1 });
      const after = (await collect(paginate((t) => client.getDatasetRecords(ds.dataset_id, { pageToken: t })))).find(
        (r) => r.inputs.question === "q3",
      );
      expect(after?.dataset_record_id).toBe(q3?.dataset_record_id);
      expect(after?.expectations).toEqual({ answer: "A3", score: 0.5 });
      expect(after?.tags).toMatchObject({ split: "test", reviewed: "yes" });

      expect(await client.deleteDatasetRecords(ds.dataset_id, [q3?.dataset_record_id ?? ""])).toBe(1);
      const got = await client.getEvaluationDataset(ds.dataset_id);
      expect(JSON.parse(got.profile ?? "{}")).toEqual({ num_records: 6 });
      expect(tagsOf(got).team).toBe("ml");

      await client.setDatasetTags(ds.dataset_id, { stage: "dev" });
      await client.deleteDatasetTag(ds.dataset_id, "team");
      const tagged = tagsOf(await client.getEvaluationDataset(ds.dataset_id));
      expect(tagged.stage).toBe("dev");
      expect(tagged.team).toBeUndefined();
      expect(await client.getDatasetExperimentIds(ds.dataset_id)).toEqual([experimentId]);

      const found = await client.searchEvaluationDatasets({ experimentIds: [experimentId] });
      expect(found.items.map((d) => d.name)).toEqual(["qa"]);
      await client.deleteEvaluationDataset(ds.dataset_id);
      expect((await client.searchEvaluationDatasets({ experimentIds: [experimentId] })).items).toEqual([]);
    });

    it("registers scorer versions, lists them, reads one and deletes", async () => {
      expect(await client.registerScorer(experimentId, "politeness", JUDGE("v1 {{ outputs }}"))).toBe(1);
      expect(await client.registerScorer(experimentId, "politeness", JUDGE("v2 {{ outputs }}"))).toBe(2);
      expect(await client.registerScorer(experimentId, "safety", SAFETY)).toBe(1);
      const listed = await client.listScorers(experimentId);
      expect(listed.map((s) => [s.scorer_name, s.scorer_version]).sort()).toEqual([
        ["politeness", 2],
        ["safety", 1],
      ]);
      const versions = await client.listScorerVersions(experimentId, "politeness");
      expect(versions.map((s) => s.scorer_version).sort()).toEqual([1, 2]);
      const v1 = await client.getScorer(experimentId, "politeness", 1);
      expect(JSON.parse(v1.serialized_scorer).instructions_judge_pydantic_data.instructions).toBe("v1 {{ outputs }}");
      expect((await client.getScorer(experimentId, "politeness")).scorer_version).toBe(2);
      await client.deleteScorer(experimentId, "politeness", 1);
      expect((await client.listScorerVersions(experimentId, "politeness")).map((s) => s.scorer_version)).toEqual([2]);
      await client.deleteScorer(experimentId, "safety");
      expect((await client.listScorers(experimentId)).map((s) => s.scorer_name)).toEqual(["politeness"]);
    });

    it("lists label schemas, review queues with their items' statuses, and issues", async () => {
      const schema = await client.createLabelSchema(experimentId, {
        name: "Correct?",
        type: "FEEDBACK",
        input: { pass_fail: { positive_label: "Yes", negative_label: "No" } },
        instruction: "Is it right?",
      });
      expect(schema.schema_id).toMatch(/^ls-/);
      const schemas = await client.listLabelSchemas(experimentId);
      expect(schemas.items.map((s) => s.name)).toContain("Correct?");
      expect(schemas.items.find((s) => s.name === "Correct?")?.input.pass_fail?.positive_label).toBe("Yes");

      const traceIds: string[] = [];
      for (let i = 0; i < 2; i++) {
        const t = await client.transport.json<{ trace_info: { request_id: string } }>("POST", "/2.0/mlflow/traces", {
          json: { experiment_id: experimentId, timestamp_ms: 1_700_000_000_000 + i },
        });
        traceIds.push(t.trace_info.request_id);
      }
      const queue = await client.createReviewQueue(experimentId, "Batch 1", {
        users: ["alice"],
        schemaIds: [schema.schema_id],
      });
      expect(queue).toMatchObject({ name: "Batch 1", queue_type: "CUSTOM", users: ["alice"] });
      expect((await client.getReviewQueue(queue.queue_id)).schema_ids).toEqual([schema.schema_id]);
      const added = await client.addItemsToReviewQueue(queue.queue_id, traceIds);
      expect(added.map((i) => i.status)).toEqual(["PENDING", "PENDING"]);
      const done = await client.setReviewQueueItemStatus(queue.queue_id, traceIds[0] ?? "", "COMPLETE", "alice");
      expect(done).toMatchObject({ status: "COMPLETE", completed_by: "alice" });
      const items = await client.listReviewQueueItems(queue.queue_id);
      expect(Object.fromEntries(items.items.map((i) => [i.item_id, i.status]))).toEqual({
        [traceIds[0] ?? ""]: "COMPLETE",
        [traceIds[1] ?? ""]: "PENDING",
      });
      expect((await client.listReviewQueueItems(queue.queue_id, { status: "PENDING" })).items).toHaveLength(1);
      const queues = await client.listReviewQueues(experimentId);
      expect(queues.items.map((q) => q.name)).toContain("Batch 1");
      expect(queues.nextPageToken).toBeUndefined();

      const issue = await client.createIssue(experimentId, {
        name: "Wrong sums",
        description: "Adds wrongly",
        status: "pending",
        severity: "high",
      });
      expect(issue.issue_id).toMatch(/^iss-/);
      const resolved = await client.updateIssue(issue.issue_id, { status: "resolved" });
      expect(resolved).toMatchObject({ name: "Wrong sums", status: "resolved", severity: "high" });
      const issues = await client.searchIssues(experimentId);
      expect(issues.items.map((i) => [i.name, i.status])).toEqual([["Wrong sums", "resolved"]]);
    });
  },
  120_000,
);
