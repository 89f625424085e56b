import type { Assessment, Span, TraceInfoV3 } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/copy.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/pill.js";
import { formatAgo, formatTime } from "../lib/format.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";
import "./span-detail.js";
import { buildSpanTree, columnsOfTreePages, type SpanTree, spanTreeOf } from "./span-tree.js";
import "./span-tree-view.js";
import { idHex } from "./spans.js";
import "./trace-assessments.js";
import { durationMs, formatLatency, requestTimeMs, sourceRun, tokenUsage, traceName, userTags } from "./trace-info.js";
import { getSpans, getSpanTree, loadTrace } from "./traces-api.js";

/** Hex → base64, the form `traces/get` sends span ids in (to find a span named in the URL without a scan). */
function hexToBase64(hex: string): string {
  let bin = "";
  for (let i = 0; i + 1 < hex.length; i += 2) bin += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

/**
 * The trace view `#/experiments/:experimentId/traces/:traceId?span=<hex id>`: the trace's header (name, state,
 * time, latency, tokens, run, tags), its assessments, and the span tree beside its timeline with the selected span's
 * details. The spans come in one `traces/get` answer; the tree is indexed in O(n) and drawn virtualised, so a
 * 50,000-span trace opens as fast as the answer arrives. The selected span is in the URL.
 */
export class TlTracePage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    info: { state: true },
    tree: { state: true },
    error: { state: true },
    experimentName: { state: true },
    complete: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare info: TraceInfoV3 | undefined;
  declare tree: SpanTree | undefined;
  declare error: unknown;
  declare experimentName: string | undefined;
  /** Every span is in (the tree shows a partial trace while they stream in). */
  declare complete: boolean;
  private seq = 0;
  private selected = -1;
  /** Span contents fetched by hex id (null while on the way). */
  private contents = new Map<string, Span | null>();

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; height: calc(100vh - 76px); min-height: 480px; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 4px; display: flex; gap: 6px; flex-wrap: wrap; }
      .crumbs a { color: var(--tl-muted); }
      .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
      .title h1 { margin: 0; overflow-wrap: anywhere; }
      .facts { display: flex; gap: 16px; flex-wrap: wrap; color: var(--tl-muted); font-size: 13px; margin: 6px 0; }
      .facts b { color: var(--tl-fg); font-weight: 500; font-variant-numeric: tabular-nums; }
      details.assess { margin: 4px 0 8px; }
      details.assess > summary { cursor: pointer; font-weight: 600; font-size: 13px; }
      .split { flex: 1; min-height: 0; display: flex; gap: 0; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
      tl-span-tree { flex: 3 1 0; min-width: 0; border-right: 1px solid var(--tl-border); }
      .detail { flex: 2 1 0; min-width: 280px; overflow: auto; padding: 10px 12px; }
      .tools { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.info = undefined;
    this.tree = undefined;
    this.error = undefined;
    this.experimentName = undefined;
    this.complete = false;
  }

  private get traceId() {
    return this.params.traceId ?? "";
  }

  private get experimentId() {
    return this.params.experimentId ?? "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (
      changed.has("params") &&
      (changed.get("params") as Record<string, string> | undefined)?.traceId !== this.traceId
    ) {
      this.info = undefined;
      this.tree = undefined;
      this.complete = false;
      void this.load();
    }
    if (changed.has("query") || changed.has("tree")) this.selected = this.spanFromUrl();
  }

  /**
   * tracklite's span-tree call first (the tree in columns; a span's contents fetched when it is opened); on a server
   * without it, or for spans it does not hold (a client that uploaded them as an artifact), the whole spans through
   * {@link loadTrace}, streamed.
   */
  private async load() {
    const seq = ++this.seq;
    this.error = undefined;
    this.contents = new Map();
    const id = this.traceId;
    void this.loadExperimentName(seq);
    const setInfo = (info: TraceInfoV3) => {
      if (seq === this.seq) this.info = info;
    };
    try {
      const infoCall = client.call("getTraceInfoV3", {}, { trace_id: id }).then((r) => r.trace.trace_info);
      infoCall.then(setInfo, () => {});
      const pages = await getSpanTree(id);
      if (seq !== this.seq) return;
      if (pages?.some((p) => p.span_ids.length > 0)) {
        this.tree = buildSpanTree(columnsOfTreePages(pages));
        this.complete = true;
        setInfo(await infoCall);
      } else await this.loadWhole(seq, id, setInfo);
      document.title = `${(this.info && traceName(this.info)) || id} · tracklite`;
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  /** The whole spans, drawn from the first ones and rebuilt each time their number doubled (about one more build). */
  private async loadWhole(seq: number, id: string, setInfo: (info: TraceInfoV3) => void) {
    let built = 0;
    const grow = (spans: Span[]) => {
      if (seq !== this.seq || (built > 0 && spans.length < built * 2)) return;
      built = spans.length;
      this.tree = spanTreeOf(spans);
    };
    const trace = await loadTrace(id, { info: setInfo, spans: grow });
    if (seq !== this.seq) return;
    setInfo(trace.trace_info);
    this.tree = spanTreeOf(trace.spans);
    this.complete = true;
  }

  /** The selected span's contents: from the tree's whole spans, or fetched (once) by its id. */
  private selectedSpan(): Span | undefined {
    const tree = this.tree;
    if (!tree || this.selected < 0) return undefined;
    if (tree.spans) return tree.spans[this.selected];
    const hex = idHex(tree.ids[this.selected]);
    const got = this.contents.get(hex);
    if (got === undefined) {
      this.contents.set(hex, null);
      const seq = this.seq;
      getSpans(this.traceId, [hex]).then(
        ([span]) => {
          if (seq !== this.seq) return;
          this.contents.set(hex, span ?? null);
          this.requestUpdate();
        },
        (e) => {
          if (seq !== this.seq) return;
          this.contents.delete(hex);
          this.error = e;
        },
      );
    }
    return got ?? undefined;
  }

  private async loadExperimentName(seq: number) {
    try {
      const exp = await client.getExperiment(this.experimentId);
      if (seq === this.seq) this.experimentName = exp.name;
    } catch {
      // The id stands in.
    }
  }

  /** The span the URL names (`span=<hex>`), else the first root. */
  private spanFromUrl(): number {
    const tree = this.tree;
    if (!tree || tree.n === 0) return -1;
    const want = (this.query.get("span") ?? "").toLowerCase();
    if (want) {
      const direct = tree.byId.get(want) ?? (/^[0-9a-f]+$/.test(want) ? tree.byId.get(hexToBase64(want)) : undefined);
      if (direct !== undefined) return direct;
      for (let i = 0; i < tree.n; i++) if (idHex(tree.ids[i]) === want) return i;
    }
    return tree.roots[0] ?? 0;
  }

  private onSelect(e: CustomEvent<number>) {
    const spanId = this.tree?.ids[e.detail];
    if (spanId === undefined) return;
    const q = new URLSearchParams(this.query);
    q.set("span", idHex(spanId));
    navigate(`/experiments/${seg(this.experimentId)}/traces/${seg(this.traceId)}`, q, true);
  }

  private onAssessments(e: CustomEvent<Assessment[]>) {
    if (this.info) this.info = { ...this.info, assessments: e.detail };
  }

  /** Where "back" goes: the run's Traces tab when opened from there, else the experiment's. */
  private backHref(): string {
    const from = this.query.get("from") ?? "";
    if (from.startsWith("run:")) {
      return href(`/experiments/${seg(this.experimentId)}/runs/${seg(from.slice(4))}`, { tab: "traces" });
    }
    return href(`/experiments/${seg(this.experimentId)}`, { tab: "traces" });
  }

  private renderHeader(info: TraceInfoV3 | undefined) {
    const ms = info ? requestTimeMs(info) : undefined;
    const usage = info ? tokenUsage(info) : undefined;
    const run = info ? sourceRun(info) : undefined;
    return html`<nav class="crumbs" aria-label="Breadcrumb">
        <a href="#/experiments">Experiments</a><span aria-hidden="true">/</span>
        <a href=${href(`/experiments/${seg(this.experimentId)}`)}>${this.experimentName ?? `Experiment ${this.experimentId}`}</a>
        <span aria-hidden="true">/</span><a href=${this.backHref()}>Traces</a>
      </nav>
      <div class="title">
        <h1>${info ? traceName(info) || "Trace" : html`<span class="muted">Trace</span>`}</h1>
        ${info ? html`<tl-pill .status=${info.state ?? ""}></tl-pill>` : nothing}
        <tl-copy .value=${this.traceId} .short=${0}></tl-copy>
      </div>
      ${
        info
          ? html`<div class="facts">
            <span title=${formatTime(ms)}>Started <b>${formatAgo(ms)}</b></span>
            <span>Latency <b>${formatLatency(durationMs(info.execution_duration))}</b></span>
            ${usage ? html`<span title="input ${usage.input ?? "?"} · output ${usage.output ?? "?"}">Tokens <b>${usage.total ?? ""}</b></span>` : nothing}
            <span>Spans <b>${this.tree?.n ?? ""}</b>${this.tree && !this.complete ? html` <span class="muted">(loading…)</span>` : nothing}</span>
            ${run ? html`<span>Run <a href=${href(`/experiments/${seg(this.experimentId)}/runs/${seg(run)}`)}>${run.slice(0, 8)}</a></span>` : nothing}
            ${userTags(info).map(([k, v]) => html`<span class="tag" title="${k}: ${v}">${k}: ${v}</span>`)}
          </div>`
          : nothing
      }`;
  }

  override render() {
    const info = this.info;
    const tree = this.tree;
    if (this.error) {
      return html`${this.renderHeader(undefined)}<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    }
    const assessments = info?.assessments ?? [];
    const span = this.selectedSpan();
    return html`${this.renderHeader(info)}
      ${
        info
          ? html`<details class="assess" open>
            <summary>Assessments (${assessments.filter((a) => a.valid !== false).length})</summary>
            <tl-trace-assessments .traceId=${this.traceId} .assessments=${assessments}
              @assessments-change=${this.onAssessments}></tl-trace-assessments>
          </details>`
          : nothing
      }
      ${
        tree
          ? html`<div class="tools">
              <button @click=${() => this.renderRoot.querySelector("tl-span-tree")?.setAll(true)}>Expand all</button>
              <button @click=${() => this.renderRoot.querySelector("tl-span-tree")?.setAll(false)}>Collapse all</button>
            </div>
            <div class="split">
              <tl-span-tree .tree=${tree} .traceKey=${this.traceId} .selected=${this.selected} ?complete=${this.complete} @span-select=${this.onSelect}></tl-span-tree>
              <div class="detail" role="region" aria-label="Span details">
                ${
                  span || this.selected < 0
                    ? html`<tl-span-detail .span=${span}></tl-span-detail>`
                    : html`<tl-skeleton .rows=${6} label="Loading the span"></tl-skeleton>`
                }
              </div>
            </div>`
          : html`<tl-skeleton .rows=${10} label="Loading the trace"></tl-skeleton>`
      }`;
  }
}
customElements.define("tl-trace-page", TlTracePage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-trace-page": TlTracePage;
  }
}
