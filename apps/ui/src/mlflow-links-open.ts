/**
 * The lazily loaded side of MLflow links: translates the current hash (mlflow-links.ts) and, for `#/runs/<id>` (which
 * names no experiment), reads the run to build tracklite's run URL. Loaded by the app only for URLs that are no
 * tracklite route or carry MLflow's query keys.
 */
import { client } from "./api.js";
import { describeError } from "./components/error.js";
import { translateMlflowLink } from "./mlflow-links.js";
import { findRoute } from "./router.js";

/** Go to `path?query` (replacing the MLflow URL), or show `note` in place of a page, or nothing to do. */
export type LinkOutcome = { path: string; query: URLSearchParams } | { note: string } | undefined;

export async function openMlflowLink(path: string, query: URLSearchParams): Promise<LinkOutcome> {
  const target = translateMlflowLink(path, query, { isRoute: (p) => findRoute(p) !== undefined });
  if (!target) return undefined;
  switch (target.kind) {
    case "go":
      return { path: target.path, query: target.query };
    case "unsupported":
      return { note: `This MLflow link has no page in tracklite: ${target.what}.` };
    case "run":
      try {
        const run = await client.getRun(target.runId);
        const exp = encodeURIComponent(run.info.experiment_id);
        return { path: `/experiments/${exp}/runs/${encodeURIComponent(target.runId)}`, query: target.query };
      } catch (e) {
        const { code, message } = describeError(e);
        return { note: `Run ${target.runId} could not be read: ${code}: ${message}` };
      }
  }
}
