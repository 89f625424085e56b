import type { TraceInfoV3 } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/pill.js";
import "../components/skeleton.js";
import { formatAgo, formatTime } from "../lib/format.js";
import { href, seg } from "../router.js";
import { rowWindow } from "../runs/virtual.js";
import { shared } from "../styles.js";
import {
  assessmentValue,
  durationMs,
  formatLatency,
  previewText,
  requestTimeMs,
  tokenUsage,
  traceName,
  userTags,
  validAssessments,
} from "./trace-info.js";

export const TRACE_ROW_H = 30;
const HEAD_H = 30;

/** A column of the traces table; `order` names the order_by attribute its header sorts by. */
interface Column {
  id: string;
  label: string;
  width: number;
  num?: boolean;
  order?: "timestamp_ms" | "execution_time_ms";
}

const COLUMNS: Column[] = [
  { id: "id", label: "Trace ID", width: 110 },
  { id: "request", label: "Request", width: 280 },
  { id: "response", label: "Response", width: 220 },
  { id: "name", label: "Name", width: 130 },
  { id: "state", label: "Status", width: 100 },
  { id: "time", label: "Time", width: 110, order: "timestamp_ms" },
  { id: "latency", label: "Latency", width: 84, num: true, order: "execution_time_ms" },
  { id: "tokens", label: "Tokens", width: 76, num: true },
  { id: "tags", label: "Tags", width: 180 },
  { id: "assessments", label: "Assessments", width: 220 },
];
const TOTAL_W = COLUMNS.reduce((s, c) => s + c.width, 0);

/** The order_by clause of a header: `timestamp_ms DESC`. */
export function parseOrder(orderBy: string): { key: string; asc: boolean } {
  const [key = "timestamp_ms", dir = "DESC"] = orderBy.trim().split(/\s+/);
  return { key, asc: dir.toUpperCase() === "ASC" };
}

/**
 * The traces grid: rows virtualised (only those on screen plus a margin are in the DOM), a sticky header whose Time
 * and Latency headers sort on the server (`order-change`, detail: an order_by clause), `load-more` when the end
 * nears, each row a link to the trace view. Keyboard: arrows / PageUp / PageDown / Home / End move, Enter opens.
 */
export class TlTracesTable extends LitElement {
  static override properties = {
    rows: { attribute: false },
    experimentId: { attribute: false },
    orderBy: { attribute: false },
    arrived: { attribute: false },
    loading: { type: Boolean },
    more: { type: Boolean },
    version: { type: Number },
    linkQuery: { attribute: false },
    focusIndex: { state: true },
    win: { state: true },
  };
  declare rows: readonly TraceInfoV3[];
  declare experimentId: string;
  declare orderBy: string;
  /** Traces that arrived live (marked). */
  declare arrived: ReadonlySet<string>;
  declare loading: boolean;
  declare more: boolean;
  declare version: number;
  /** Extra query of the links to the trace view (where to come back to). */
  declare linkQuery: Record<string, string | undefined>;
  declare focusIndex: number;
  declare win: { r0: number; r1: number };

  private frame = 0;
  private clock: ReturnType<typeof setInterval> | undefined;
  private resize = new ResizeObserver(() => this.measure());

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; font-size: 12px; }
      .scroller {
        flex: 1; min-height: 0; overflow: auto; position: relative; border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); background: var(--tl-bg); outline: none; overscroll-behavior: contain;
      }
      .scroller:focus-visible { box-shadow: 0 0 0 2px var(--tl-accent); }
      .head {
        position: sticky; top: 0; z-index: 2; display: flex; height: ${HEAD_H}px; background: var(--tl-bg-alt);
        border-bottom: 1px solid var(--tl-border);
      }
      .th, .cell {
        flex: none; box-sizing: border-box; padding: 0 8px; display: flex; align-items: center; overflow: hidden;
        white-space: nowrap; border-right: 1px solid var(--tl-border);
      }
      .th { font-weight: 600; color: var(--tl-muted); }
      .th button {
        border: 0; background: none; font: inherit; color: inherit; padding: 0; height: 100%; width: 100%;
        text-align: inherit; border-radius: 0;
      }
      .th button:hover { color: var(--tl-fg); }
      .th.sorted { color: var(--tl-fg); }
      .num { justify-content: flex-end; text-align: right; font-variant-numeric: tabular-nums; }
      .body { position: relative; }
      .row {
        position: absolute; left: 0; display: flex; height: ${TRACE_ROW_H}px; box-sizing: border-box;
        border-bottom: 1px solid var(--tl-border); color: var(--tl-fg); text-decoration: none; background: var(--tl-bg);
      }
      .row:hover { background: var(--tl-bg-hover); text-decoration: none; }
      .row.new { box-shadow: inset 3px 0 0 var(--tl-accent); }
      .scroller:focus-visible .row.focus { box-shadow: inset 0 0 0 1px var(--tl-accent); }
      .cell > .t { overflow: hidden; text-overflow: ellipsis; min-width: 0; }
      .mono { font-family: var(--tl-mono); font-size: 11.5px; }
      .chip {
        display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px;
        margin-right: 4px; background: var(--tl-bg-alt); max-width: 160px; overflow: hidden; text-overflow: ellipsis;
      }
      .chip.fb { border-color: color-mix(in srgb, var(--tl-ok) 50%, var(--tl-border)); }
      .chip.ex { border-color: color-mix(in srgb, var(--tl-warn) 50%, var(--tl-border)); }
      .end { padding: 8px; color: var(--tl-muted); position: absolute; left: 0; }
    `,
  ];

  constructor() {
    super();
    this.rows = [];
    this.experimentId = "";
    this.orderBy = "timestamp_ms DESC";
    this.arrived = new Set();
    this.loading = false;
    this.more = false;
    this.version = 0;
    this.linkQuery = {};
    this.focusIndex = 0;
    this.win = { r0: 0, r1: 40 };
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector(".scroller");
  }

  override connectedCallback() {
    super.connectedCallback();
    this.clock = setInterval(() => this.requestUpdate(), 60_000);
    const s = this.hasUpdated ? this.scroller : null;
    if (s) this.resize.observe(s);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  override firstUpdated() {
    const s = this.scroller;
    if (s) this.resize.observe(s);
    this.measure();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("rows") || changed.has("more") || changed.has("loading")) this.measure();
  }

  /** Recomputes the drawn rows from the scroll position; asks for more when the end is near. */
  private measure = () => {
    const s = this.scroller;
    if (!s) return;
    const rw = rowWindow(s.scrollTop, s.clientHeight - HEAD_H, TRACE_ROW_H, this.rows.length, 10);
    if (rw.start !== this.win.r0 || rw.end !== this.win.r1) this.win = { r0: rw.start, r1: rw.end };
    if (this.more && !this.loading && rw.end >= this.rows.length - 20) {
      this.dispatchEvent(new CustomEvent("load-more", { bubbles: true, composed: true }));
    }
  };

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(this.measure);
  };

  private link(t: TraceInfoV3) {
    return href(`/experiments/${seg(this.experimentId)}/traces/${seg(t.trace_id)}`, this.linkQuery);
  }

  private onKey(e: KeyboardEvent) {
    const n = this.rows.length;
    if (n === 0 || (e.target as HTMLElement) !== this.scroller) return;
    const page = Math.max(1, Math.floor(((this.scroller?.clientHeight ?? 300) - HEAD_H) / TRACE_ROW_H) - 1);
    let i = this.focusIndex;
    if (e.key === "ArrowDown") i++;
    else if (e.key === "ArrowUp") i--;
    else if (e.key === "PageDown") i += page;
    else if (e.key === "PageUp") i -= page;
    else if (e.key === "Home") i = 0;
    else if (e.key === "End") i = n - 1;
    else if (e.key === "Enter") {
      const t = this.rows[i];
      if (t) location.hash = this.link(t).slice(1);
    } else return;
    e.preventDefault();
    this.focusIndex = Math.max(0, Math.min(n - 1, i));
    const s = this.scroller;
    if (!s) return;
    const top = this.focusIndex * TRACE_ROW_H;
    const viewH = s.clientHeight - HEAD_H;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + TRACE_ROW_H > s.scrollTop + viewH) s.scrollTop = top + TRACE_ROW_H - viewH;
  }

  override focus() {
    this.scroller?.focus();
  }

  private sortBy(c: Column) {
    if (!c.order) return;
    const cur = parseOrder(this.orderBy);
    const asc = cur.key === c.order ? !cur.asc : false;
    this.dispatchEvent(
      new CustomEvent<string>("order-change", {
        detail: `${c.order} ${asc ? "ASC" : "DESC"}`,
        bubbles: true,
        composed: true,
      }),
    );
  }

  private renderHead() {
    const cur = parseOrder(this.orderBy);
    return html`<div class="head" role="row" style="width:${TOTAL_W}px">
      ${COLUMNS.map((c) => {
        const sorted = c.order === cur.key || (c.order === "timestamp_ms" && cur.key === "timestamp");
        const sort = sorted ? (cur.asc ? "ascending" : "descending") : "none";
        return html`<div class="th ${c.num ? "num" : ""} ${sorted ? "sorted" : ""}" role="columnheader"
          style="width:${c.width}px" aria-sort=${c.order ? sort : nothing}>
          ${
            c.order
              ? html`<button class=${c.num ? "num" : ""} @click=${() => this.sortBy(c)} title="Sort by ${c.label.toLowerCase()}">
                  ${c.label}${sorted ? html` <span aria-hidden="true">${cur.asc ? "▲" : "▼"}</span>` : nothing}</button>`
              : c.label
          }
        </div>`;
      })}
    </div>`;
  }

  private cell(c: Column, t: TraceInfoV3) {
    switch (c.id) {
      case "id":
        return html`<span class="t mono" title=${t.trace_id}>${t.trace_id.replace(/^tr-/, "").slice(0, 8)}</span>`;
      case "request": {
        const p = previewText(t.request_preview);
        return html`<span class="t" title=${p}>${p}</span>`;
      }
      case "response": {
        const p = previewText(t.response_preview);
        return html`<span class="t" title=${p}>${p}</span>`;
      }
      case "name":
        return html`<span class="t">${traceName(t)}</span>`;
      case "state":
        return html`<tl-pill .status=${t.state ?? ""}></tl-pill>`;
      case "time": {
        const ms = requestTimeMs(t);
        return html`<span class="t" title=${formatTime(ms)}>${formatAgo(ms)}</span>`;
      }
      case "latency": {
        const ms = durationMs(t.execution_duration);
        return html`<span class="t" title=${t.execution_duration ?? ""}>${formatLatency(ms)}</span>`;
      }
      case "tokens": {
        const u = tokenUsage(t);
        const tip = u ? `input ${u.input ?? "?"} · output ${u.output ?? "?"} · total ${u.total ?? "?"}` : "";
        return html`<span class="t" title=${tip}>${u?.total ?? ""}</span>`;
      }
      case "tags":
        return html`<span class="t">${userTags(t).map(([k, v]) => html`<span class="chip" title="${k}: ${v}">${k}: ${v}</span>`)}</span>`;
      case "assessments":
        return html`<span class="t">${validAssessments(t).map(
          (a) =>
            html`<span class="chip ${a.expectation ? "ex" : "fb"}" title="${a.expectation ? "Expectation" : "Feedback"} ${a.assessment_name}: ${assessmentValue(a)}"
              >${a.assessment_name}: ${assessmentValue(a)}</span>`,
        )}</span>`;
      default:
        return nothing;
    }
  }

  override render() {
    const rows = this.rows;
    const { r0, r1 } = this.win;
    const visible = rows.slice(r0, Math.min(r1, rows.length));
    const tail = this.more || this.loading ? TRACE_ROW_H : 0;
    return html`<div class="scroller" tabindex="0" role="grid" aria-label="Traces" aria-rowcount=${rows.length + 1}
        @scroll=${this.onScroll} @keydown=${this.onKey}>
      ${this.renderHead()}
      ${
        this.loading && rows.length === 0
          ? html`<tl-skeleton .rows=${8} label="Loading traces"></tl-skeleton>`
          : html`<div class="body" role="rowgroup" style="height:${rows.length * TRACE_ROW_H + tail}px;width:${TOTAL_W}px">
            ${visible.map((t, k) => {
              const i = r0 + k;
              return html`<a class="row ${this.arrived.has(t.trace_id) ? "new" : ""} ${i === this.focusIndex ? "focus" : ""}"
                role="row" aria-rowindex=${i + 2} href=${this.link(t)} tabindex="-1" data-id=${t.trace_id}
                style="top:${i * TRACE_ROW_H}px;width:${TOTAL_W}px">
                ${COLUMNS.map(
                  (c) =>
                    html`<span class="cell ${c.num ? "num" : ""}" role="gridcell" style="width:${c.width}px">${this.cell(c, t)}</span>`,
                )}
              </a>`;
            })}
            ${tail ? html`<div class="end" style="top:${rows.length * TRACE_ROW_H}px">Loading more traces…</div>` : nothing}
          </div>`
      }
    </div>`;
  }
}
customElements.define("tl-traces-table", TlTracesTable);

declare global {
  interface HTMLElementTagNameMap {
    "tl-traces-table": TlTracesTable;
  }
}
