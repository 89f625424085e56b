import type { Hono } from "hono";
import { MlflowError } from "../errors.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** The experiment the reference's demo data lives in. @see mlflow/demo/base.py DEMO_EXPERIMENT_NAME */
export const DEMO_EXPERIMENT_NAME = "MLflow Demo";

/**
 * The UI's demo data calls. The reference generates its demo (traces, prompts, evaluations) with Python generators;
 * tracklite has none and says so. Deleting is served: it removes the demo experiment, as the reference does, whoever
 * made it (e.g. data imported from a reference server).
 * @see mlflow/server/handlers.py _generate_demo, _delete_demo
 */
export function demoRoutes(ajaxV3: Hono, store: Store): void {
  const at = storeIn(store);
  ajaxV3.post("/mlflow/demo/generate", () => {
    throw new MlflowError(
      "tracklite has no demo data generator: log runs and traces with the mlflow client to see them here.",
      "NOT_IMPLEMENTED",
    );
  });
  ajaxV3.post("/mlflow/demo/delete", async (c) => {
    const experiments = at(c).experiments;
    const demo = await experiments.getByName(DEMO_EXPERIMENT_NAME);
    if (demo?.lifecycle_stage === "active") await experiments.setLifecycle(demo.experiment_id, "deleted");
    return c.json({ status: "deleted", features_deleted: [] });
  });
}
