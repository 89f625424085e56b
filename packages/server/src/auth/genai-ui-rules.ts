import { createIn } from "./checker.js";
import type { RouteRule } from "./route-table.js";

/**
 * The permission rules of the UI's GenAI calls under `/ajax-api/3.0` (jobs, telemetry, judge runs, demo data).
 * @see mlflow/server/auth/__init__.py validate_is_job_owner, validate_can_invoke_*, the demo and UI_TELEMETRY entries
 */

const AJAX_V3 = "^/ajax-api/3\\.0/mlflow";

export const GENAI_UI_ROUTES: readonly RouteRule[] = [
  // A job is its creator's; tracklite has none, so only admins (who skip rules) get past, to its 404.
  { name: "getJob", methods: ["GET"], pattern: new RegExp(`${AJAX_V3}/jobs/(?<job_id>[^/]+)$`), rule: () => false },
  {
    name: "cancelJob",
    methods: ["PATCH"],
    pattern: new RegExp(`${AJAX_V3}/jobs/cancel/(?<job_id>[^/]+)$`),
    rule: () => false,
  },
  {
    name: "uiTelemetry",
    methods: ["GET", "POST"],
    pattern: new RegExp(`${AJAX_V3}/ui-telemetry$`),
    rule: "authenticated",
  },
  {
    name: "invokeGenaiEvaluate",
    methods: ["POST"],
    pattern: new RegExp(`${AJAX_V3}/genai/evaluate/invoke$`),
    rule: async ({ check, params }) => createIn(check, String((await params.optional("experiment_id")) ?? ""), "run"),
  },
  // Without gateway secrets in tracklite, a `secret_id` names nothing a user could USE: refused.
  {
    name: "invokeIssueDetection",
    methods: ["POST"],
    pattern: new RegExp(`${AJAX_V3}/issues/invoke$`),
    rule: async ({ check, params }) =>
      createIn(check, String((await params.optional("experiment_id")) ?? ""), "run") &&
      !(await params.optional("secret_id")),
  },
  { name: "generateDemo", methods: ["POST"], pattern: new RegExp(`${AJAX_V3}/demo/generate$`), rule: "authenticated" },
  { name: "deleteDemo", methods: ["POST"], pattern: new RegExp(`${AJAX_V3}/demo/delete$`), rule: "admin" },
];
