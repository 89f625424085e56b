import type { Hono } from "hono";

/**
 * The UI's telemetry settings (`/ajax-api/3.0/mlflow/ui-telemetry`). tracklite collects no telemetry: it answers as a
 * reference server whose telemetry is turned off does (its fallback settings; records are dropped).
 * @see mlflow/server/handlers.py get_ui_telemetry_handler, post_ui_telemetry_handler; mlflow/telemetry/constant.py
 */
export function uiTelemetryRoutes(ajaxV3: Hono): void {
  ajaxV3.get("/mlflow/ui-telemetry", (c) =>
    c.json({ disable_ui_telemetry: true, disable_ui_events: [], ui_rollout_percentage: 0 }),
  );
  ajaxV3.post("/mlflow/ui-telemetry", (c) => c.json({ status: "disabled" }));
}
