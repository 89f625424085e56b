import type { Context } from "hono";

/**
 * The run a query-string artifact call (`get-artifact`, `artifacts/list`, `upload-artifact`) names: `run_id`, else
 * `run_uuid`. The permission check and the handler both read it here, so a request naming two runs cannot be checked
 * against one and served from the other (the reference's upload handler reads `run_uuid` while its check prefers
 * `run_id`). @see mlflow/server/auth/__init__.py _run_id_or_uuid_param
 */
export function runIdQuery(c: Context): string | undefined {
  return c.req.query("run_id") || c.req.query("run_uuid") || undefined;
}
