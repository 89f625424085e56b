import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import "../runs/filter-box.js";
import { copyText } from "../components/copy.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import { shared } from "../styles.js";
import "./traces-table.js";
import { serverBase } from "../lib/server-base.js";
import { completeTraceFilter } from "./trace-filter-complete.js";
import { TracesData } from "./traces-data.js";
import { TRACE_ORDERS, type TracesViewState } from "./traces-view-state.js";

const ORDER_LABEL: Record<(typeof TRACE_ORDERS)[number], string> = {
  "timestamp_ms DESC": "Newest first",
  "timestamp_ms ASC": "Oldest first",
  "execution_time_ms DESC": "Slowest first",
  "execution_time_ms ASC": "Fastest first",
};

/** The Python that logs a first trace to this server (into `experimentId`). */
export function traceSnippet(trackingUri: string, experimentId: string): string {
  return [
    "import mlflow",
    `mlflow.set_tracking_uri("${trackingUri}")`,
    `mlflow.set_experiment(experiment_id="${experimentId}")`,
    "",
    "@mlflow.trace",
    "def answer(question):",
    '    return "42"',
    "",
    'answer("What is the meaning of life?")',
  ].join("\n");
}

/**
 * A traces table with its toolbar: the search_traces filter box (autocomplete of the keys in the loaded traces), the
 * order, a refresh button and the live state. Used by the experiment page's Traces tab and the run page's Traces
 * tab (`runId` set). The view (filter, order) is the page's URL: the element fires `traces-view-change` and the page
 * writes it.
 */
export class TlTracesView extends LitElement {
  static override properties = {
    experimentId: { attribute: false },
    runId: { attribute: false },
    view: { attribute: false },
    linkQuery: { attribute: false },
  };
  declare experimentId: string;
  declare runId: string | undefined;
  declare view: TracesViewState;
  declare linkQuery: Record<string, string | undefined>;

  private data = new TracesData(this);

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; flex: 1; }
      .toolbar { align-items: flex-start; }
      .count { font-size: 12px; color: var(--tl-muted); white-space: nowrap; padding-top: 5px; }
      .live { color: var(--tl-accent); font-size: 12px; display: inline-flex; align-items: center; gap: 4px; padding-top: 5px; }
      .live::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
      tl-traces-table { flex: 1; min-height: 240px; }
      pre {
        margin: 8px 0; padding: 10px 12px; background: var(--tl-bg-alt); border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); overflow: auto; font: 12.5px/1.6 var(--tl-mono);
      }
      .empty { max-width: 720px; }
    `,
  ];

  constructor() {
    super();
    this.experimentId = "";
    this.runId = undefined;
    this.view = { filter: "", orderBy: "timestamp_ms DESC" };
    this.linkQuery = {};
    // `/` focuses the filter, as on the runs table.
    new SlashFocus(this, () => (this.renderRoot.querySelector("tl-filter-box") as HTMLElement | null)?.focus());
  }

  override willUpdate(_changed: PropertyValues<this>) {
    if (!this.experimentId) return;
    this.data.setQuery({
      experimentId: this.experimentId,
      runId: this.runId,
      filter: this.view.filter,
      orderBy: this.view.orderBy,
    });
  }

  private change(patch: Partial<TracesViewState>) {
    this.dispatchEvent(
      new CustomEvent<TracesViewState>("traces-view-change", {
        detail: { ...this.view, ...patch },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private renderEmpty() {
    const d = this.data;
    if (d.status !== "ready" || d.rows.length > 0 || d.error || d.filterError) return nothing;
    if (this.view.filter) return html`<p class="muted">No traces match this filter.</p>`;
    if (this.runId) return html`<p class="muted">No traces were logged in this run.</p>`;
    const code = traceSnippet(serverBase(), this.experimentId);
    return html`<section class="card empty" aria-label="Log your first trace">
      <h2>Log your first trace</h2>
      <p class="muted">Decorate a function with <code>@mlflow.trace</code> and call it; new traces appear here by themselves.</p>
      <pre><code>${code}</code></pre>
      <button @click=${() => copyText(code)}>${icons.copy} Copy</button>
    </section>`;
  }

  override render() {
    const d = this.data;
    const keys = d.keys;
    return html`<div class="toolbar" role="toolbar" aria-label="Trace actions">
        <tl-filter-box
          .value=${this.view.filter}
          .error=${d.filterError}
          .completer=${(text: string, cursor: number) => completeTraceFilter(text, cursor, keys)}
          label="Filter traces"
          placeholder="trace.status = 'OK' and tags.env = 'prod'"
          @filter-submit=${(e: CustomEvent<string>) => {
            e.stopPropagation();
            this.change({ filter: e.detail });
          }}
        ></tl-filter-box>
        <label class="sr-only" for="order">Order</label>
        <select id="order" .value=${this.view.orderBy} @change=${(e: Event) => this.change({ orderBy: (e.target as HTMLSelectElement).value })}>
          ${TRACE_ORDERS.map((o) => html`<option value=${o} ?selected=${o === this.view.orderBy}>${ORDER_LABEL[o]}</option>`)}
        </select>
        <button class="icon-button" title="Refresh" aria-label="Refresh traces" @click=${() => d.reload()}>${icons.restore}</button>
        <span class="count" aria-live="polite">${d.rows.length}${d.nextToken ? "+" : ""} trace${d.rows.length === 1 ? "" : "s"}</span>
        ${d.pollError ? nothing : html`<span class="live" title="New traces appear every few seconds">Live</span>`}
      </div>
      ${d.error ? html`<tl-error .error=${d.error} @retry=${() => d.reload()}></tl-error>` : nothing}
      ${d.pollError ? html`<tl-error .error=${d.pollError} .retryable=${false}></tl-error>` : nothing}
      ${this.renderEmpty()}
      <tl-traces-table
        .rows=${d.rows}
        .version=${d.version}
        .experimentId=${this.experimentId}
        .orderBy=${this.view.orderBy}
        .arrived=${d.arrived}
        .linkQuery=${this.linkQuery}
        ?loading=${d.status === "loading" || d.status === "more"}
        ?more=${!!d.nextToken}
        @load-more=${() => d.loadMore()}
        @order-change=${(e: CustomEvent<string>) => this.change({ orderBy: e.detail })}
      ></tl-traces-table>`;
  }
}
customElements.define("tl-traces-view", TlTracesView);

declare global {
  interface HTMLElementTagNameMap {
    "tl-traces-view": TlTracesView;
  }
}
