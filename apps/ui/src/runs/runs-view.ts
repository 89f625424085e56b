import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/dialog.js";
import "../components/error.js";
import "../components/split.js";
import "./column-chooser.js";
import "./filter-box.js";
import "./runs-charts.js";
import "./runs-table.js";
import { client } from "../api.js";
import type { ChartRun } from "../charts/metric-chart.js";
import { copyText } from "../components/copy.js";
import { describeError } from "../components/error.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import { toast } from "../components/toast.js";
import { serverBase } from "../lib/server-base.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { buildColumns, type ColumnDef, csvTable, defaultColumns } from "./columns.js";
import { downloadText, toCsv } from "./csv.js";
import type { TlFilterBox } from "./filter-box.js";
import type { RunModelLinks } from "./model-links-data.js";
import type { RunRow } from "./run-fields.js";
import type { DisplayRow } from "./run-tree.js";
import type { RunsData } from "./runs-data.js";
import type { TlRunsTable } from "./runs-table.js";
import { clickSelect } from "./selection.js";
import {
  type ChosenColumn,
  columnId,
  LIFECYCLES,
  type Lifecycle,
  METRIC_MODES,
  type MetricMode,
  PAGE_SIZES,
  type PageSize,
  type ViewState,
} from "./view-state.js";

const LIFECYCLE_LABEL: Record<Lifecycle, string> = { active: "Active", deleted: "Deleted", all: "All" };

/** Runs `fn` over items with at most `n` at a time; returns the failures. */
async function eachLimited<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>) {
  const failed: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return failed;
}

/**
 * The Runs tab: filter box, lifecycle, metric mode, column chooser, the action bar (Compare, Delete, Restore,
 * Download CSV) and the virtualised table, optionally beside the charts. View changes go up as `view-change`
 * (detail: the changed part of the ViewState) and come back through `view` once the page wrote them to the URL.
 */
export class TlRunsView extends LitElement {
  static override properties = {
    data: { attribute: false },
    version: { type: Number },
    view: { attribute: false },
    rows: { attribute: false },
    experimentId: {},
    experimentName: {},
    chartRuns: { attribute: false },
    chartKeys: { attribute: false },
    chartNote: {},
    confirm: { state: true },
    busy: { state: true },
  };
  declare data: RunsData;
  declare version: number;
  declare view: ViewState;
  declare rows: DisplayRow[];
  declare experimentId: string;
  declare experimentName: string;
  declare chartRuns: ChartRun[];
  declare chartKeys: string[];
  declare chartNote: string;
  /** The bulk action waiting for confirmation. */
  declare confirm: "delete" | "restore" | undefined;
  declare busy: boolean;

  private anchor: string | undefined;
  private chosen: ChosenColumn[] = [];
  private columns: ColumnDef[] = [];
  private columnsKey = "";
  private selectedSet: ReadonlySet<string> = new Set();
  private hiddenSet: ReadonlySet<string> = new Set();
  private chartSet: ReadonlySet<string> = new Set();
  /** models-ui: registered names and versions for the Models cells of the rows on screen (a lazy chunk). */
  private modelLinks: RunModelLinks | undefined;

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; gap: 6px; }
      .toolbar { margin: 0; align-items: flex-start; }
      .seg { display: inline-flex; }
      .seg button { border-radius: 0; margin-left: -1px; }
      .seg button:first-of-type { border-radius: var(--tl-radius) 0 0 var(--tl-radius); margin-left: 0; }
      .seg button:last-of-type { border-radius: 0 var(--tl-radius) var(--tl-radius) 0; }
      .seg button[aria-pressed="true"] { background: var(--tl-bg-selected); border-color: var(--tl-accent); position: relative; }
      .seg .lbl { font-size: 12px; color: var(--tl-muted); margin-right: 6px; align-self: center; }
      button[aria-pressed="true"].toggle { background: var(--tl-bg-selected); border-color: var(--tl-accent); }
      .bar {
        display: flex; align-items: center; gap: 6px; flex-wrap: wrap; font-size: 12.5px; min-height: 30px;
      }
      .bar button { display: inline-flex; align-items: center; gap: 4px; font-size: 12.5px; padding: 2px 8px; }
      .count { font-variant-numeric: tabular-nums; }
      .live { display: inline-flex; align-items: center; gap: 6px; color: var(--tl-accent); }
      .live .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; animation: pulse 1.6s infinite; }
      @keyframes pulse { 50% { opacity: 0.3; } }
      @media (prefers-reduced-motion: reduce) { .live .dot { animation: none; } }
      .live.bad { color: var(--tl-danger); }
      .main { flex: 1; min-height: 0; display: flex; flex-direction: column; }
      tl-runs-table { flex: 1; min-height: 0; }
      tl-split { flex: 1; min-height: 0; }
      tl-split > * { height: 100%; }
      .charts-pane { padding: 0 4px 0 10px; overflow: auto; height: 100%; box-sizing: border-box; }
      .foot { display: flex; gap: 8px; align-items: center; font-size: 12.5px; padding-top: 4px; }
      .keys { font-size: 11.5px; }
      .empty { padding: 24px; border: 1px dashed var(--tl-border); border-radius: var(--tl-radius); max-width: 760px; }
      .empty h2 { margin-top: 0; }
      pre {
        background: var(--tl-bg-alt); border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 12px;
        font-family: var(--tl-mono); font-size: 12.5px; overflow: auto; position: relative;
      }
      .dialog-list { max-height: 200px; overflow: auto; margin: 8px 0 0; padding-left: 20px; font-size: 13px; }
    `,
  ];

  constructor() {
    super();
    this.version = 0;
    this.rows = [];
    this.experimentId = "";
    this.experimentName = "";
    this.chartRuns = [];
    this.chartKeys = [];
    this.chartNote = "";
    this.confirm = undefined;
    this.busy = false;
    // `/` focuses the filter box.
    new SlashFocus(this, () => this.renderRoot.querySelector<TlFilterBox>("tl-filter-box")?.focus());
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("view") || changed.has("version")) {
      const chosen = this.view.columns ?? defaultColumns(this.data.keys);
      const key = `${this.view.metricMode}|${JSON.stringify(chosen)}`;
      // Same columns, same array: the table then keeps its window and does not re-report its rows.
      if (key !== this.columnsKey) {
        this.columnsKey = key;
        this.chosen = chosen;
        this.columns = buildColumns(chosen, this.view.metricMode);
      }
      this.selectedSet = new Set(this.view.selected);
      this.hiddenSet = new Set(this.view.hidden);
    }
    if (changed.has("chartRuns")) this.chartSet = new Set(this.chartRuns.map((r) => r.runId));
  }

  private change(patch: Partial<ViewState>) {
    this.dispatchEvent(new CustomEvent("view-change", { detail: patch, bubbles: true, composed: true }));
  }

  private get order(): string[] {
    return this.rows.map((d) => d.row.id);
  }

  private toggleIn(list: readonly string[], id: string): string[] {
    return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
  }

  private onSelect(e: CustomEvent<{ id: string; shift: boolean }>) {
    const r = clickSelect(this.selectedSet, this.order, e.detail.id, { shift: e.detail.shift, anchor: this.anchor });
    this.anchor = r.anchor;
    // Keep the table's order in the URL so a shared link selects the same runs in the same order.
    this.change({ selected: [...r.selected] });
  }

  private onColumnMode(e: CustomEvent<{ id: string; mode: MetricMode }>) {
    const columns = this.chosen.map((c) =>
      columnId(c) === e.detail.id
        ? { ...c, mode: e.detail.mode === this.view.metricMode ? undefined : e.detail.mode }
        : c,
    );
    this.change({ columns });
  }

  private onVisibleRows(e: CustomEvent<string[]>) {
    const onScreen = new Set(e.detail);
    const rows = [...this.data.rows, ...this.data.extra].filter((r) => onScreen.has(r.id));
    this.requestModelLinks(rows).catch((err) => {
      toast(`Could not load the runs' models: ${describeError(err).message}`, "error");
    });
    const keys = this.columns.filter((c) => c.kind === "metrics" && c.mode !== "last").map((c) => c.key ?? "");
    if (keys.length) {
      this.data.requestSummaries(e.detail, [...new Set(keys)]).catch((err) => {
        toast(`Could not load metric min/max: ${describeError(err).message}`, "error");
      });
    }
  }

  /** Refresh: the same search again, and the Models cells read again (a version may have been registered since). */
  private refresh = () => {
    this.modelLinks?.forget();
    this.data.reload();
  };

  private async requestModelLinks(rows: RunRow[]) {
    if (!this.modelLinks) {
      const { RunModelLinks } = await import("./model-links-data.js");
      this.modelLinks ??= new RunModelLinks(() => this.requestUpdate());
    }
    await this.modelLinks.request(rows, this.experimentId);
  }

  /** Runs a bulk action on the selected runs, then reloads. */
  private async runBulk(kind: "delete" | "restore") {
    const ids = this.targets(kind).map((r) => r.id);
    this.busy = true;
    const failed = await eachLimited(ids, 6, (id) =>
      kind === "delete" ? client.deleteRun(id) : client.restoreRun(id),
    );
    this.busy = false;
    this.confirm = undefined;
    const done = ids.length - failed.length;
    if (done > 0) toast(`${kind === "delete" ? "Deleted" : "Restored"} ${done} run${done === 1 ? "" : "s"}`);
    if (failed.length > 0) {
      const first = describeError(failed[0]?.error);
      toast(`${failed.length} run${failed.length === 1 ? "" : "s"} failed: ${first.code}: ${first.message}`, "error");
    }
    this.change({ selected: failed.map((f) => f.item) });
    this.data.reload();
  }

  /** The selected runs a bulk action applies to (loaded ones: their lifecycle is known). */
  private targets(kind: "delete" | "restore"): RunRow[] {
    if (this.view.selected.length === 0) return [];
    const byId = new Map([...this.data.rows, ...this.data.extra].map((r) => [r.id, r]));
    return this.view.selected
      .map((id) => byId.get(id))
      .filter((r): r is RunRow => !!r && r.deleted === (kind === "restore"));
  }

  private async downloadCsv() {
    const sel = this.selectedSet;
    const rows = sel.size ? this.data.rows.filter((r) => sel.has(r.id)) : this.data.rows;
    const keys = [
      ...new Set(this.columns.filter((c) => c.kind === "metrics" && c.mode !== "last").map((c) => c.key ?? "")),
    ];
    try {
      await this.data.requestSummaries(
        rows.map((r) => r.id),
        keys,
      );
    } catch (err) {
      toast(`Could not load metric min/max for the CSV: ${describeError(err).message}`, "error");
      return;
    }
    const { header, body } = csvTable(rows, this.columns, this.data.summary);
    const name = (this.experimentName || `experiment-${this.experimentId}`).replace(/[^\w.-]+/g, "_");
    downloadText(toCsv(header, body), `${name}-runs.csv`);
  }

  private renderToolbar() {
    const v = this.view;
    return html`<div class="toolbar">
      <tl-filter-box .value=${v.filter} .keys=${this.data.keys} .error=${this.data.filterError}
        @filter-submit=${(e: CustomEvent<string>) => this.change({ filter: e.detail })}></tl-filter-box>
      <label class="sr-only" for="lifecycle">Runs shown</label>
      <select id="lifecycle" title="Active, deleted or all runs" .value=${v.lifecycle}
        @change=${(e: Event) => this.change({ lifecycle: (e.target as HTMLSelectElement).value as Lifecycle, selected: [] })}>
        ${(Object.keys(LIFECYCLES) as Lifecycle[]).map(
          (l) => html`<option value=${l} ?selected=${l === v.lifecycle}>${LIFECYCLE_LABEL[l]}</option>`,
        )}
      </select>
      <div class="seg" role="group" aria-label="Metric values">
        <span class="lbl">Metric values</span>
        ${METRIC_MODES.map(
          (m) => html`<button aria-pressed=${v.metricMode === m ? "true" : "false"}
            title="Metric cells show the ${m} value" @click=${() => this.change({ metricMode: m })}
          >${m[0]?.toUpperCase()}${m.slice(1)}</button>`,
        )}
      </div>
      <tl-column-chooser .keys=${this.data.keys} .chosen=${this.chosen}
        @columns-change=${(e: CustomEvent<ChosenColumn[] | undefined>) => this.change({ columns: e.detail })}></tl-column-chooser>
      <button class="toggle" aria-pressed=${v.beside ? "true" : "false"} @click=${() => this.change({ beside: !v.beside })}>
        Charts beside table
      </button>
      <button @click=${this.refresh} title="Search again" aria-label="Refresh runs">${icons.restore} Refresh</button>
    </div>`;
  }

  private renderBar() {
    const n = this.view.selected.length;
    const loaded = this.data.rows.length;
    const running = this.data.running.length;
    const canDelete = this.targets("delete").length > 0;
    const canRestore = this.targets("restore").length > 0;
    return html`<div class="bar" role="toolbar" aria-label="Run actions">
      <span class="count">${
        n
          ? html`<strong>${n.toLocaleString()} selected</strong>`
          : html`${loaded.toLocaleString()} run${loaded === 1 ? "" : "s"} loaded${this.data.nextToken ? html` <span class="muted">· more available</span>` : ""}`
      }${this.data.status === "loading" && loaded > 0 ? html` <span class="muted" role="status">· searching…</span>` : nothing}</span>
      <button ?disabled=${n < 1} title="Compare the selected runs"
        @click=${() => navigate("/compare", { runs: this.view.selected.join(",") })}>Compare</button>
      <button ?disabled=${!canDelete} class="danger" @click=${() => (this.confirm = "delete")}>${icons.trash} Delete</button>
      <button ?disabled=${!canRestore} @click=${() => (this.confirm = "restore")}>${icons.restore} Restore</button>
      <button ?disabled=${loaded === 0} @click=${this.downloadCsv}
        title=${n ? "The selected runs and the table's columns as CSV" : "The loaded runs and the table's columns as CSV"}
      >${icons.download} Download CSV</button>
      ${n ? html`<button class="ghost" @click=${() => this.change({ selected: [] })}>Clear selection</button>` : nothing}
      <span class="spacer"></span>
      ${
        this.data.pollError
          ? html`<span class="live bad" role="status">Live updates failed: ${describeError(this.data.pollError).message}
              <button @click=${() => this.data.poll()}>Retry</button></span>`
          : running
            ? html`<span class="live" role="status" title="Running runs refresh every few seconds"><span class="dot"></span>Live · ${running} running</span>`
            : nothing
      }
    </div>`;
  }

  private renderEmpty() {
    const uri = serverBase();
    const code = `import mlflow

mlflow.set_tracking_uri("${uri}")
mlflow.set_experiment(experiment_id="${this.experimentId}")

with mlflow.start_run(run_name="first-run"):
    mlflow.log_param("lr", 0.01)
    for step in range(100):
        mlflow.log_metric("loss", 1 / (step + 1), step=step)`;
    return html`<div class="empty">
      <h2>No runs yet</h2>
      <p>Log a run to this experiment from Python (<code>pip install mlflow</code>):</p>
      <pre aria-label="Python example">${code}</pre>
      <button @click=${() => copyText(code).then(() => toast("Copied the example"))}>${icons.copy} Copy code</button>
    </div>`;
  }

  private renderTable() {
    const d = this.data;
    const v = this.view;
    if (d.status !== "loading" && !d.error && d.rows.length === 0 && !d.filterError) {
      if (!v.filter && v.lifecycle === "active") return this.renderEmpty();
      return html`<div class="empty">
        <p>No ${v.lifecycle === "deleted" ? "deleted " : ""}runs match${v.filter ? html` the filter <code>${v.filter}</code>` : ""}.</p>
        ${v.filter ? html`<button @click=${() => this.change({ filter: "" })}>Clear filter</button>` : nothing}
        ${v.lifecycle !== "all" ? html`<button @click=${() => this.change({ lifecycle: "all" })}>Show all runs</button>` : nothing}
      </div>`;
    }
    return html`<tl-runs-table
      .rows=${this.rows}
      .columns=${this.columns}
      .sort=${v.sort}
      .selected=${this.selectedSet}
      .hiddenRuns=${this.hiddenSet}
      .inCharts=${this.chartSet}
      .rates=${d.rates}
      .summaries=${d.summary}
      .modelLinks=${this.modelLinks?.lookup}
      .version=${this.version}
      .experimentId=${this.experimentId}
      ?loading=${d.status === "loading"}
      ?more=${!!d.nextToken}
      @sort-change=${(e: CustomEvent) => this.change({ sort: e.detail })}
      @select=${this.onSelect}
      @select-all=${(e: CustomEvent<boolean>) => this.change({ selected: e.detail ? this.order : [] })}
      @expand=${(e: CustomEvent<string>) => this.change({ expanded: this.toggleIn(v.expanded, e.detail) })}
      @pin=${(e: CustomEvent<string>) => this.change({ pinned: this.toggleIn(v.pinned, e.detail) })}
      @hide=${(e: CustomEvent<string>) => this.change({ hidden: this.toggleIn(v.hidden, e.detail) })}
      @column-mode=${this.onColumnMode}
      @load-more=${() => d.loadMore()}
      @visible-rows=${this.onVisibleRows}
    ></tl-runs-table>`;
  }

  private renderFoot() {
    const d = this.data;
    if (d.rows.length === 0) return nothing;
    return html`<div class="foot">
      ${
        d.nextToken
          ? html`<button ?disabled=${d.status !== "ready"} @click=${() => d.loadMore()}>
              ${d.status === "more" ? "Loading…" : "Load more"}</button>`
          : html`<span class="muted">All ${d.rows.length.toLocaleString()} matching runs loaded</span>`
      }
      <span class="muted keys" aria-hidden="true">↑↓ move · Enter open · Space select · P pin · H hide in charts</span>
      <span class="spacer"></span>
      <label class="muted">Page size
        <select .value=${String(this.view.pageSize)}
          @change=${(e: Event) => this.change({ pageSize: Number((e.target as HTMLSelectElement).value) as PageSize })}>
          ${PAGE_SIZES.map((p) => html`<option value=${p} ?selected=${p === this.view.pageSize}>${p}</option>`)}
        </select>
      </label>
    </div>`;
  }

  private renderConfirm() {
    const kind = this.confirm;
    if (!kind) return nothing;
    const runs = this.targets(kind);
    const verb = kind === "delete" ? "Delete" : "Restore";
    return html`<tl-dialog open .heading=${`${verb} ${runs.length} run${runs.length === 1 ? "" : "s"}?`}
      @close=${() => (this.confirm = undefined)}>
      <p>${
        kind === "delete"
          ? "Deleted runs move to the Deleted view, where they can be restored until the server's garbage collection removes them."
          : "The runs go back to the Active view."
      }</p>
      <ul class="dialog-list">${runs.slice(0, 20).map((r) => html`<li>${r.name}</li>`)}
        ${runs.length > 20 ? html`<li class="muted">and ${runs.length - 20} more</li>` : nothing}</ul>
      <button slot="actions" @click=${() => (this.confirm = undefined)}>Cancel</button>
      <button slot="actions" class=${kind === "delete" ? "danger" : "primary"} ?disabled=${this.busy}
        @click=${() => this.runBulk(kind)}>${this.busy ? `${verb.slice(0, -1)}ing…` : verb}</button>
    </tl-dialog>`;
  }

  override render() {
    const d = this.data;
    const table = html`<div class="main">${this.renderTable()}</div>`;
    return html`${this.renderToolbar()}
      ${d.error ? html`<tl-error .error=${d.error} @retry=${() => d.reload()}></tl-error>` : nothing}
      ${this.renderBar()}
      ${
        this.view.beside
          ? html`<tl-split storage-key="runs-charts" .size=${55}>
              <div slot="start" class="main">${this.renderTable()}</div>
              <div slot="end" class="charts-pane">
                <tl-runs-charts .runs=${this.chartRuns} .metricKeys=${this.chartKeys} .settings=${this.view.chart}
                  .note=${this.chartNote} .tick=${this.data.liveTick}></tl-runs-charts>
              </div>
            </tl-split>`
          : table
      }
      ${this.renderFoot()}
      ${this.renderConfirm()}`;
  }

  /** Focuses the table (after navigation). */
  focusTable() {
    this.renderRoot.querySelector<TlRunsTable>("tl-runs-table")?.focus();
  }
}
customElements.define("tl-runs-view", TlRunsView);

declare global {
  interface HTMLElementTagNameMap {
    "tl-runs-view": TlRunsView;
  }
}
