import type { ReactiveController, ReactiveControllerHost } from "lit";

let chartsModule: Promise<unknown> | undefined;

/**
 * Loads the metric chart grid (`<tl-metric-charts>`, and uPlot with it) the first time a host connects, so pages that
 * show charts only behind a tab do not pay for them up front. The host renders a skeleton until `ready` and a
 * `<tl-error>` whose Retry calls `load()` when `error` is set. A failed import is forgotten, so Retry imports again.
 */
export class MetricChartsLoader implements ReactiveController {
  ready = false;
  error: unknown = undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    void this.load();
  }

  async load() {
    this.error = undefined;
    this.host.requestUpdate();
    try {
      // The chart board and kinds (their own chunk) load alongside, not after, the grid that shows them.
      chartsModule ??= Promise.all([import("./metric-charts.js"), import("./chart-kinds.js")]);
      await chartsModule;
      this.ready = true;
    } catch (error) {
      chartsModule = undefined;
      this.error = error;
    }
    this.host.requestUpdate();
  }
}

/** Makes the chart grid under `root` re-read the data of the charts it has drawn (live runs got new points). */
export function refreshMetricCharts(root: ParentNode) {
  root.querySelector("tl-metric-charts")?.refresh();
}
