/**
 * MLflow's one UI page outside the hash routes: the notebook trace renderer. The MLflow client shows a trace in
 * Jupyter as an iframe of `<tracking URI>/static-files/lib/notebook-trace-renderer/index.html?trace_id=…&experiment_id=…`
 * (one pair per trace). tracklite answers it with a redirect to its own trace view in embed mode (no app frame).
 * @see mlflow/tracing/display/display_handler.py get_notebook_iframe_html
 */

/** The renderer's path, as the client builds it (under the server's static prefix). */
export const NOTEBOOK_TRACE_RENDERER = "/static-files/lib/notebook-trace-renderer/index.html";

/**
 * Where a renderer URL goes, relative to the renderer's folder (so it stays under any `--static-prefix`): one trace
 * → its trace view; several → the experiment's Traces tab; none → the experiments list.
 */
export function notebookTraceTarget(query: URLSearchParams): string {
  const root = "../../../";
  const traces = query.getAll("trace_id").filter(Boolean);
  const experiment = query.getAll("experiment_id").find(Boolean);
  if (!experiment) return `${root}#/`;
  const exp = encodeURIComponent(experiment);
  const [only] = traces;
  if (traces.length === 1 && only) return `${root}#/experiments/${exp}/traces/${encodeURIComponent(only)}?embed=1`;
  return `${root}#/experiments/${exp}?tab=traces&embed=1`;
}
