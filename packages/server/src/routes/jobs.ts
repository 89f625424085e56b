import type { Hono } from "hono";
import { notFound } from "../errors.js";

/**
 * The UI's job calls (`/ajax-api/3.0/mlflow/jobs/<job_id>` and `jobs/cancel/<job_id>`). The reference runs judges,
 * evaluations and prompt optimizers as Python jobs; tracklite runs no Python, so it never has a job and answers every
 * id as the reference answers an unknown one.
 * @see mlflow/server/handlers.py _get_job, _cancel_job
 */
export function jobRoutes(ajaxV3: Hono): void {
  const unknown = (id: string) => notFound(`Job with ID ${id} not found`);
  ajaxV3.get("/mlflow/jobs/:job_id", (c) => {
    throw unknown(c.req.param("job_id"));
  });
  ajaxV3.patch("/mlflow/jobs/cancel/:job_id", (c) => {
    throw unknown(c.req.param("job_id"));
  });
}
