import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { createImportSink } from "./sink.js";
import { batches, openTargetApp, type TargetApp, tempTarget } from "./sink.test-helpers.js";

/** A GenAI dataset made on one tracklite, read as its REST answers it, imported into another and read back. */
const source = useTestApp();
const target = tempTarget();
let app: TargetApp;
afterAll(() => {
  app?.close();
  target.remove();
});

const v3 = (path: string) => `/api/3.0/mlflow${path}`;

/** A call on the source's app under /api/3.0 (its `call` helper speaks /api/2.0). */
async function src(method: string, path: string, body?: Record<string, unknown>) {
  const res = await source.app.request(`http://localhost${path}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("import sink: evaluation datasets", () => {
  it("reads back the dataset, its tags, experiments and records as the source answers them", async () => {
    const created = await src("POST", v3("/datasets/create"), {
      name: "qa",
      experiment_ids: ["0"],
      tags: JSON.stringify({ team: "ml", "mlflow.user": "bob" }),
    });
    expect(created.status).toBe(200);
    const id = created.body.dataset.dataset_id as string;
    const records = [
      { inputs: { q: "a", n: 1 }, expectations: { answer: "x", score: 0.5 }, tags: { k: "v" } },
      { inputs: { q: "b", n: 2 }, outputs: { text: "y" } },
    ];
    const up = await src("POST", v3(`/datasets/${id}/records`), { records: JSON.stringify(records) });
    expect(up.status).toBe(200);
    const dataset = (await src("GET", v3(`/datasets/${id}`))).body.dataset;
    const listed = JSON.parse((await src("GET", v3(`/datasets/${id}/records`))).body.records);
    expect(listed).toHaveLength(2);

    for (let pass = 0; pass < 2; pass++) {
      const sink = await createImportSink({ url: target.url });
      const written = await sink.evaluationDataset({ dataset, experiment_ids: ["0"], records: () => batches(listed) }, [
        "0",
      ]);
      expect(written.records).toBe(pass === 0 ? 2 : 0);
      await sink.close();
    }
    app = await openTargetApp(target.url, target.dir);
    for (const path of [`/datasets/${id}`, `/datasets/${id}/records`, `/datasets/${id}/experiment-ids`]) {
      const mine = await app.call("GET", v3(path));
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual((await src("GET", v3(path))).body);
    }
  });
});
