import type { Context, Hono } from "hono";
import { notFound } from "../errors.js";
import { needsPython } from "./genai-invoke.js";

/**
 * The reference's server-side jobs: judges, evaluations and prompt optimizers run as Python jobs. tracklite runs no
 * Python, so it never has a job: every id is answered as the reference answers an unknown one, a search finds none,
 * and a submit of one of the reference's job names is refused with NOT_IMPLEMENTED.
 * Two APIs reach them: the Flask UI calls (`/ajax-api/3.0/mlflow/jobs/…`, MLflow's error body) and the FastAPI
 * router (`/ajax-api/3.0/jobs/…`, FastAPI's `{"detail": …}` bodies).
 * @see mlflow/server/handlers.py _get_job, _cancel_job; mlflow/server/job_api.py
 */
export function jobRoutes(app: Hono, ajaxV3: Hono): void {
  const unknown = (id: string) => notFound(`Job with ID ${id} not found`);
  ajaxV3.get("/mlflow/jobs/:job_id", (c) => {
    throw unknown(c.req.param("job_id"));
  });
  ajaxV3.patch("/mlflow/jobs/cancel/:job_id", (c) => {
    throw unknown(c.req.param("job_id"));
  });

  const detail = (c: Context, status: 400 | 404 | 422 | 501, d: unknown) => c.json({ detail: d }, status);
  const JOBS = "/ajax-api/3.0/jobs";
  app.get(`${JOBS}/:job_id`, (c) => detail(c, 404, `Job with ID ${c.req.param("job_id")} not found`));
  app.patch(`${JOBS}/cancel/:job_id`, (c) => detail(c, 404, `Job with ID ${c.req.param("job_id")} not found`));
  app.post(`${JOBS}/search`, async (c) => {
    const body = await jsonBody(c);
    const statuses = body.statuses;
    if (Array.isArray(statuses)) {
      const bad = statuses.findIndex((s) => !(JOB_STATUSES as readonly unknown[]).includes(s));
      if (bad >= 0) return detail(c, 422, [enumIssue(["body", "statuses", bad], statuses[bad])]);
    }
    return c.json({ jobs: [] });
  });
  app.post(`${JOBS}/`, async (c) => {
    const body = await jsonBody(c);
    const missing = ["job_name", "params"].filter((k) => body[k] === undefined);
    if (missing.length > 0)
      return detail(
        c,
        422,
        missing.map((k) => ({ type: "missing", loc: ["body", k], msg: "Field required", input: body })),
      );
    const name = String(body.job_name);
    if (!JOB_NAMES.includes(name)) return detail(c, 400, `Invalid job name: ${name}`);
    return detail(c, 501, needsPython(`The job '${name}'`).message);
  });
}

/** The job functions the reference can run. @see mlflow/server/jobs/__init__.py _SUPPORTED_JOB_FUNCTION_LIST */
const JOB_NAMES = [
  "invoke_scorer",
  "run_online_trace_scorer",
  "run_online_session_scorer",
  "optimize_prompts",
  "invoke_issue_detection",
  "invoke_genai_evaluate",
];

const JOB_STATUSES = ["PENDING", "RUNNING", "NEEDS_RECOVERY", "SUCCEEDED", "FAILED", "TIMEOUT", "CANCELED"] as const;

/** FastAPI's (pydantic's) complaint about a value outside an enum. */
function enumIssue(loc: (string | number)[], input: unknown) {
  const expected = `${JOB_STATUSES.slice(0, -1)
    .map((s) => `'${s}'`)
    .join(", ")} or '${JOB_STATUSES.at(-1)}'`;
  return { type: "enum", loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => ({}));
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
