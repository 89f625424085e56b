import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import "../components/skeleton.js";
import { icons } from "../components/icons.js";
import { statusInfo } from "../components/pill.js";
import { formatAgo, formatTime, runColor } from "../lib/format.js";
import { canvasMeasure, type Measure } from "../lib/text-measure.js";
import { href } from "../router.js";
import { shared } from "../styles.js";
import { type ColumnDef, type ColumnGroup, cellText, looksNumeric, type SummaryLookup } from "./columns.js";
import { formatRate } from "./live.js";
import type { ModelLinkLookup } from "./model-links-data.js";
import { MAX_NAME_W, nameColumnWidth } from "./name-width.js";
import type { DisplayRow } from "./run-tree.js";
import type { MetricMode, SortSpec } from "./view-state.js";
import { columnWindow, offsets, rowWindow } from "./virtual.js";

export const ROW_H = 28;
const GROUP_H = 22;
const COLS_H = 30;
const HEAD_H = GROUP_H + COLS_H;
const MIN_W = 48;

const GROUP_LABEL: Record<ColumnGroup, string> = { run: "", params: "Params", metrics: "Metrics", tags: "Tags" };
const NEXT_MODE: Record<MetricMode, MetricMode> = { last: "min", min: "max", max: "last" };

interface Win {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/**
 * The runs grid: rows and columns virtualised (only what is on screen plus a margin is in the DOM), a sticky header
 * with coloured group headers, and a sticky run-name column with selection, tree expander, colour swatch, pin and
 * chart-visibility toggles. It owns no data: it fires `sort-change`, `select` ({id, shift}), `select-all`, `expand`,
 * `pin`, `hide` (detail: run id), `column-mode` ({id, mode}), `load-more` and `visible-rows` (ids on screen) and the
 * page decides. Keyboard: arrows / PageUp / PageDown / Home / End move, Enter opens, Space selects, → / ← expand,
 * P pins, H hides from charts.
 */
export class TlRunsTable extends LitElement {
  static override properties = {
    rows: { attribute: false },
    columns: { attribute: false },
    sort: { attribute: false },
    selected: { attribute: false },
    hiddenRuns: { attribute: false },
    inCharts: { attribute: false },
    rates: { attribute: false },
    summaries: { attribute: false },
    modelLinks: { attribute: false },
    version: { type: Number },
    experimentId: { attribute: false },
    loading: { type: Boolean },
    more: { type: Boolean },
    focusIndex: { state: true },
    win: { state: true },
    widths: { state: true },
  };
  declare rows: DisplayRow[];
  declare columns: ColumnDef[];
  declare sort: SortSpec;
  declare selected: ReadonlySet<string>;
  declare hiddenRuns: ReadonlySet<string>;
  /** Runs the charts show (their eye is open). */
  declare inCharts: ReadonlySet<string>;
  declare rates: ReadonlyMap<string, number>;
  declare summaries: SummaryLookup;
  /** The Models cell's links (registered name and version, logged model) once loaded (models-ui). */
  declare modelLinks: ModelLinkLookup | undefined;
  /** Bumped by the owner when row data changed in place. */
  declare version: number;
  declare experimentId: string;
  /** The first page is loading: skeleton rows. */
  declare loading: boolean;
  /** More pages can be loaded. */
  declare more: boolean;
  declare focusIndex: number;
  declare win: Win;
  /** Column widths the user dragged, by column id (`name` for the first). */
  declare widths: Map<string, number>;

  private frame = 0;
  private allSelected = false;
  private someSelected = false;
  /** Relative times ("3 min ago") are redrawn once a minute. */
  private clock: ReturnType<typeof setInterval> | undefined;
  private visibleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastVisible = "";
  private resize = new ResizeObserver(() => this.measure());
  /** The run-name column's width for the names loaded (until the user drags it). */
  private autoNameW = 250;
  private autoNameFor: { rows: DisplayRow[]; cap: number } | undefined;
  private measureName: Measure | undefined;

  // .glabel: a group of thousands of columns is wider than the screen, so its label is sticky beside the name column;
  // the group clips (overflow: clip) rather than hides its overflow, which would make it the sticky label's scroller.
  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; font-size: 12px; }
      .scroller {
        flex: 1; min-height: 0; overflow: auto; position: relative; border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); background: var(--tl-bg); outline: none; overscroll-behavior: contain;
        will-change: transform;
      }
      .scroller:focus-visible { box-shadow: 0 0 0 2px var(--tl-accent); }
      .head { position: sticky; top: 0; z-index: 3; background: var(--tl-bg-alt); }
      .hrow { display: flex; position: relative; border-bottom: 1px solid var(--tl-border); }
      .groups { height: ${GROUP_H}px; }
      .cols { height: ${COLS_H}px; }
      .corner {
        position: sticky; left: 0; z-index: 2; flex: none; background: var(--tl-bg-alt); display: flex;
        align-items: center; gap: 6px; padding: 0 6px; box-sizing: border-box; border-right: 1px solid var(--tl-border);
      }
      .span { position: relative; flex: none; }
      .group {
        position: absolute; top: 0; bottom: 0; box-sizing: border-box; padding: 0 8px; font-weight: 600;
        font-size: 11px; letter-spacing: 0.02em; display: flex; align-items: center; color: var(--tl-fg);
        border-top: 2px solid var(--c); background: color-mix(in srgb, var(--c) 14%, var(--tl-bg-alt));
        border-right: 1px solid var(--tl-border); overflow: clip; white-space: nowrap;
      }
      .glabel { position: sticky; }
      .g-params { --c: var(--tl-accent); }
      .g-metrics { --c: var(--tl-ok); }
      .g-tags { --c: var(--tl-warn); }
      .th {
        position: absolute; top: 0; bottom: 0; display: flex; align-items: center; box-sizing: border-box;
        border-right: 1px solid var(--tl-border); font-weight: 600; color: var(--tl-muted);
      }
      .th.num { justify-content: flex-end; }
      .th .label {
        flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: inherit;
        border: 0; background: none; padding: 0 8px; font: inherit; color: inherit; height: 100%; border-radius: 0;
      }
      .th span.label { line-height: ${COLS_H}px; }
      .th button.label:hover, .corner button.label:hover { color: var(--tl-fg); background: var(--tl-bg-hover); }
      .corner .label {
        flex: 1; min-width: 0; text-align: left; border: 0; background: none; font: inherit; font-weight: 600;
        color: var(--tl-muted); height: 100%; border-radius: 0; padding: 0 4px;
      }
      .th .label:disabled { opacity: 1; cursor: default; }
      .sorted { color: var(--tl-fg); }
      .arrow { font-size: 10px; margin-left: 2px; }
      .mode {
        flex: none; font-size: 10px; padding: 0 4px; line-height: 16px; margin-right: 4px; border-radius: 4px;
        color: var(--tl-muted);
      }
      .mode.own { color: var(--tl-fg); border-color: var(--tl-ok); }
      /* The per-column switch shows on hover or focus unless the column picked its own mode. */
      .mode:not(.own) { position: absolute; right: 2px; opacity: 0; background: var(--tl-bg-alt); }
      .th.num .mode:not(.own) { right: auto; left: 2px; }
      .th:hover .mode, .mode:focus-visible { opacity: 1; }
      .grip { position: absolute; right: -4px; top: 0; bottom: 0; width: 8px; cursor: col-resize; z-index: 1; }
      .grip:hover { background: color-mix(in srgb, var(--tl-accent) 40%, transparent); }
      .body { position: relative; }
      .row {
        position: absolute; left: 0; height: ${ROW_H}px; display: flex; box-sizing: border-box;
        border-bottom: 1px solid var(--tl-border); background: var(--tl-bg);
      }
      .row:hover, .row:hover .name { background: var(--tl-bg-hover); }
      .row.sel, .row.sel .name { background: var(--tl-bg-selected); }
      .scroller:focus-visible .row.focus { box-shadow: inset 2px 0 0 var(--tl-accent), inset 0 0 0 1px var(--tl-accent); }
      .row.deleted .nm { text-decoration: line-through; color: var(--tl-muted); }
      .name {
        position: sticky; left: 0; z-index: 1; flex: none; display: flex; align-items: center; gap: 4px;
        padding: 0 4px 0 6px; box-sizing: border-box; background: var(--tl-bg); border-right: 1px solid var(--tl-border);
      }
      .name a { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--tl-fg); }
      .name a:hover { color: var(--tl-accent); }
      .swatch { width: 10px; height: 10px; border-radius: 3px; flex: none; }
      .exp { flex: none; width: 34px; padding: 0 2px; justify-content: flex-start; font-size: 11px; gap: 1px; }
      .exp svg { transition: transform 0.1s; }
      .exp[aria-expanded="true"] svg { transform: rotate(90deg); }
      .leaf { flex: none; width: 34px; }
      .toggle { flex: none; padding: 2px 3px; opacity: 0; }
      .row:hover .toggle, .toggle.on, .toggle:focus-visible { opacity: 1; }
      .toggle.on { color: var(--tl-accent); }
      .toggle.off { opacity: 1; color: var(--tl-muted); }
      .cells { position: relative; flex: none; height: 100%; }
      .cell {
        position: absolute; top: 0; bottom: 0; padding: 0 8px; box-sizing: border-box; display: flex; align-items: center;
        overflow: hidden; white-space: nowrap; border-right: 1px solid var(--tl-border);
      }
      .cell > span.t { overflow: hidden; text-overflow: ellipsis; min-width: 0; }
      .cell.num { justify-content: flex-end; font-variant-numeric: tabular-nums; }
      .cell.mono { font-family: var(--tl-mono); font-size: 11.5px; }
      .cell.models { gap: 8px; }
      .cell.models a { flex: none; max-width: 100%; overflow: hidden; text-overflow: ellipsis; }
      .cell.models .v {
        padding: 0 4px; border: 1px solid var(--tl-border); border-radius: 4px; font-size: 11px;
        background: var(--tl-bg-alt); color: var(--tl-fg);
      }
      .pill {
        display: inline-flex; align-items: center; gap: 4px; font-size: 12px; line-height: 18px; padding: 0 7px 0 5px;
        border-radius: 999px; border: 1px solid currentColor; white-space: nowrap;
      }
      .pill.running { color: var(--tl-accent); }
      .pill.finished { color: var(--tl-ok); }
      .pill.failed { color: var(--tl-danger); }
      .pill.killed { color: var(--tl-muted); }
      .pill.scheduled, .pill.pending { color: var(--tl-warn); }
      .rate { margin-left: 6px; color: var(--tl-accent); font-variant-numeric: tabular-nums; white-space: nowrap; }
      input[type="checkbox"] { margin: 0; flex: none; }
      .skeleton { position: sticky; left: 0; width: min(100%, 900px); }
      .deleted-tag { font-size: 10px; color: var(--tl-danger); border: 1px solid currentColor; border-radius: 4px; padding: 0 3px; }
    `,
  ];

  constructor() {
    super();
    this.rows = [];
    this.columns = [];
    this.sort = { key: "attributes.start_time", asc: false };
    this.selected = new Set();
    this.hiddenRuns = new Set();
    this.inCharts = new Set();
    this.rates = new Map();
    this.summaries = () => undefined;
    this.version = 0;
    this.experimentId = "";
    this.loading = false;
    this.more = false;
    this.focusIndex = 0;
    this.win = { r0: 0, r1: 40, c0: 0, c1: 12 };
    this.widths = new Map();
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

  override firstUpdated() {
    const s = this.scroller;
    if (s) this.resize.observe(s);
    this.measure();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.visibleTimer);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("rows")) this.sizeNameColumn();
    if (changed.has("rows") && this.focusIndex >= this.rows.length) this.focusIndex = Math.max(0, this.rows.length - 1);
    if (changed.has("rows") || changed.has("selected")) {
      const n = this.rows.reduce((k, d) => k + (this.selected.has(d.row.id) ? 1 : 0), 0);
      this.allSelected = n > 0 && n === this.rows.length;
      this.someSelected = n > 0 && n < this.rows.length;
    }
  }

  override updated(changed: PropertyValues<this>) {
    // New columns may need other metric summaries for the same rows: report them again.
    if (changed.has("columns")) this.lastVisible = "";
    if (changed.has("rows") || changed.has("columns") || changed.has("widths")) this.measure();
    else this.reportVisible();
  }

  private width(c: { id: string; width: number }) {
    const w = this.widths.get(c.id);
    if (w !== undefined) return w;
    // Room for "12 steps/s" beside the pill while some run reports a rate.
    return c.id === "status" && this.rates.size > 0 ? Math.max(c.width, 172) : c.width;
  }

  private get nameWidth() {
    return this.widths.get("name") ?? this.autoNameW;
  }

  /** Sizes the name column to the widest loaded name, up to half the grid's width (and MAX_NAME_W). */
  private sizeNameColumn(): boolean {
    const s = this.scroller;
    const cap = s?.clientWidth ? Math.min(MAX_NAME_W, Math.floor(s.clientWidth / 2)) : MAX_NAME_W;
    const last = this.autoNameFor;
    if (last && last.rows === this.rows && last.cap === cap) return false;
    this.autoNameFor = { rows: this.rows, cap };
    this.measureName ??= canvasMeasure(`12px ${getComputedStyle(this).fontFamily || "system-ui, sans-serif"}`, 12);
    const w = nameColumnWidth(
      this.rows.map((d) => ({ name: d.row.name, depth: d.depth, deleted: d.row.deleted })),
      this.measureName,
      cap,
    );
    if (w === this.autoNameW) return false;
    this.autoNameW = w;
    return true;
  }

  /** Recomputes the drawn window from the scroll position; re-renders only when it moved. */
  private measure = () => {
    const s = this.scroller;
    if (!s) return;
    if (this.sizeNameColumn()) this.requestUpdate();
    const rw = rowWindow(s.scrollTop, s.clientHeight - HEAD_H, ROW_H, this.rows.length, 10);
    const edges = offsets(this.columns.map((c) => this.width(c)));
    const cw = columnWindow(edges, s.scrollLeft, s.clientWidth - this.nameWidth, 240);
    const w = this.win;
    if (w.r0 !== rw.start || w.r1 !== rw.end || w.c0 !== cw.start || w.c1 !== cw.end) {
      this.win = { r0: rw.start, r1: rw.end, c0: cw.start, c1: cw.end };
    }
    if (this.more && !this.loading && rw.end >= this.rows.length - 30) this.fire("load-more", undefined);
    this.reportVisible();
  };

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(this.measure);
  };

  /** Tells the owner which runs are on screen (debounced): it fetches their min/max. */
  private reportVisible() {
    const ids = this.rows.slice(this.win.r0, this.win.r1).map((d) => d.row.id);
    const key = `${this.version}|${ids.join(",")}`;
    if (key === this.lastVisible) return;
    this.lastVisible = key;
    clearTimeout(this.visibleTimer);
    this.visibleTimer = setTimeout(() => this.fire("visible-rows", ids), 120);
  }

  private fire<T>(name: string, detail: T) {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  // Interaction

  private onBodyClick(e: MouseEvent) {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-act]");
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>(".row");
    if (rowEl) this.focusIndex = Number(rowEl.dataset.index);
    if (!el) return;
    const id = el.dataset.id ?? "";
    const act = el.dataset.act;
    if (act === "select") this.fire("select", { id, shift: e.shiftKey });
    else if (act === "expand" || act === "pin" || act === "hide") {
      e.preventDefault();
      this.fire(act, id);
    }
  }

  private onKey(e: KeyboardEvent) {
    if ((e.target as HTMLElement) !== this.scroller) return;
    const n = this.rows.length;
    if (n === 0) return;
    const page = Math.max(1, Math.floor(((this.scroller?.clientHeight ?? 300) - HEAD_H) / ROW_H) - 1);
    let i = this.focusIndex;
    const d = this.rows[i];
    switch (e.key) {
      case "ArrowDown":
        i++;
        break;
      case "ArrowUp":
        i--;
        break;
      case "PageDown":
        i += page;
        break;
      case "PageUp":
        i -= page;
        break;
      case "Home":
        i = 0;
        break;
      case "End":
        i = n - 1;
        break;
      case "Enter":
        if (d) location.hash = href(`/experiments/${this.experimentId}/runs/${d.row.id}`).slice(1);
        e.preventDefault();
        return;
      case " ":
        if (d) this.fire("select", { id: d.row.id, shift: e.shiftKey });
        e.preventDefault();
        return;
      case "p":
      case "P":
        if (d) this.fire("pin", d.row.id);
        e.preventDefault();
        return;
      case "h":
      case "H":
        if (d) this.fire("hide", d.row.id);
        e.preventDefault();
        return;
      case "ArrowRight":
      case "ArrowLeft":
        if (d && d.children > 0 && d.expanded === (e.key === "ArrowLeft")) this.fire("expand", d.row.id);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.focusRow(Math.max(0, Math.min(n - 1, i)));
  }

  /** Moves the keyboard focus to a row and scrolls it into view below the sticky header. */
  focusRow(i: number) {
    this.focusIndex = i;
    const s = this.scroller;
    if (!s) return;
    const top = i * ROW_H;
    const viewH = s.clientHeight - HEAD_H;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + ROW_H > s.scrollTop + viewH) s.scrollTop = top + ROW_H - viewH;
  }

  /** Focuses the grid itself (the page's keyboard entry point). */
  override focus() {
    this.scroller?.focus();
  }

  private onSort(col: { sortKey?: string }) {
    const key = col.sortKey;
    if (!key) return;
    const asc = this.sort.key === key ? !this.sort.asc : key !== "attributes.start_time";
    this.fire("sort-change", { key, asc } satisfies SortSpec);
  }

  private startResize(e: PointerEvent, id: string, from: number) {
    e.preventDefault();
    e.stopPropagation();
    const grip = e.currentTarget as HTMLElement;
    grip.setPointerCapture(e.pointerId);
    const x0 = e.clientX;
    const move = (ev: PointerEvent) => {
      const next = new Map(this.widths);
      next.set(id, Math.max(MIN_W, Math.round(from + ev.clientX - x0)));
      this.widths = next;
    };
    const up = () => {
      grip.removeEventListener("pointermove", move);
      grip.removeEventListener("pointerup", up);
    };
    grip.addEventListener("pointermove", move);
    grip.addEventListener("pointerup", up);
  }

  // Rendering

  private sortMark(key: string | undefined) {
    if (!key || this.sort.key !== key) return nothing;
    return html`<span class="arrow" aria-hidden="true">${this.sort.asc ? "▲" : "▼"}</span>`;
  }

  private sortState(key: string | undefined) {
    if (!key || this.sort.key !== key) return "none";
    return this.sort.asc ? "ascending" : "descending";
  }

  private renderHead(edges: number[], total: number) {
    const { c0, c1 } = this.win;
    const cols = this.columns.slice(c0, c1);
    // Group spans: contiguous runs of one group among all columns, drawn when they overlap the window.
    const groups: { group: ColumnGroup; x: number; w: number }[] = [];
    this.columns.forEach((c, i) => {
      const last = groups[groups.length - 1];
      const x = edges[i] ?? 0;
      if (last && last.group === c.group) last.w += this.width(c);
      else groups.push({ group: c.group, x, w: this.width(c) });
    });
    const vx0 = edges[c0] ?? 0;
    const vx1 = edges[c1] ?? total;
    const { allSelected, someSelected } = this;
    const nameW = this.nameWidth;
    return html`<div class="head" role="rowgroup" style="width:${nameW + total}px">
      <div class="hrow groups" aria-hidden="true">
        <div class="corner" style="width:${nameW}px"></div>
        <div class="span" style="width:${total}px">
          ${groups
            .filter((g) => g.group !== "run" && g.x < vx1 && g.x + g.w > vx0)
            .map(
              (g) =>
                html`<div class="group g-${g.group}" style="left:${g.x}px;width:${g.w}px"><span class="glabel"
                  style="left:${nameW + 8}px">${GROUP_LABEL[g.group]}</span></div>`,
            )}
        </div>
      </div>
      <div class="hrow cols" role="row" aria-rowindex="1">
        <div class="corner th-name" role="columnheader" aria-sort=${this.sortState("attributes.run_name")} style="width:${nameW}px">
          <input
            type="checkbox"
            aria-label="Select all loaded runs"
            .checked=${allSelected}
            .indeterminate=${someSelected}
            @change=${(e: Event) => this.fire("select-all", (e.target as HTMLInputElement).checked)}
          />
          <button class="label ${this.sort.key === "attributes.run_name" ? "sorted" : ""}"
            @click=${() => this.onSort({ sortKey: "attributes.run_name" })}
            title="Sort by run name">Run name${this.sortMark("attributes.run_name")}</button>
          <span class="grip" @pointerdown=${(e: PointerEvent) => this.startResize(e, "name", nameW)}></span>
        </div>
        <div class="span" style="width:${total}px">
          ${cols.map((c, j) => this.renderTh(c, edges[c0 + j] ?? 0))}
        </div>
      </div>
    </div>`;
  }

  private renderTh(c: ColumnDef, x: number) {
    const w = this.width(c);
    const num = c.kind === "metrics";
    const full = c.kind ? `${c.kind}.${c.key}` : c.label;
    const sorted = c.sortKey !== undefined && this.sort.key === c.sortKey;
    const label = html`${c.label}${this.sortMark(c.sortKey)}`;
    return html`<div class="th ${num ? "num" : ""}" role="columnheader" aria-sort=${this.sortState(c.sortKey)}
      style="left:${x}px;width:${w}px" title=${c.sortKey ? `${full} — click to sort` : full}>
      ${
        c.sortKey
          ? html`<button class="label ${sorted ? "sorted" : ""}" @click=${() => this.onSort(c)}>${label}</button>`
          : html`<span class="label">${label}</span>`
      }
      ${
        c.mode
          ? html`<button class="mode ${c.ownMode ? "own" : ""}"
              title="Showing the ${c.mode} value; click for ${NEXT_MODE[c.mode]}"
              aria-label="${c.label}: showing ${c.mode}, switch to ${NEXT_MODE[c.mode]}"
              @click=${() => this.fire("column-mode", { id: c.id, mode: NEXT_MODE[c.mode ?? "last"] })}
            >${c.mode}</button>`
          : nothing
      }
      <span class="grip" @pointerdown=${(e: PointerEvent) => this.startResize(e, c.id, w)}></span>
    </div>`;
  }

  private renderCell(c: ColumnDef, d: DisplayRow, x: number): TemplateResult {
    const w = this.width(c);
    const r = d.row;
    if (c.fixed === "status") {
      const rate = this.rates.get(r.id);
      const rateText = rate === undefined ? "" : formatRate(rate);
      // The pill's look drawn inline: a custom element per row costs a shadow root on every scrolled-in row.
      const st = statusInfo(r.status);
      return html`<div class="cell" role="gridcell" style="left:${x}px;width:${w}px"
        title=${rateText ? `${r.status} · ${rateText}` : r.status}><span class="pill ${st.kind}">${icons[st.icon]}${st.label}</span>${
          rateText ? html`<span class="rate">${rateText}</span>` : nothing
        }</div>`;
    }
    if (c.fixed === "created") {
      return html`<div class="cell" role="gridcell" style="left:${x}px;width:${w}px"
        title=${formatTime(r.start)}><time datetime=${r.start ? new Date(r.start).toISOString() : ""}>${formatAgo(r.start) || "—"}</time></div>`;
    }
    const links = c.fixed === "models" ? this.modelLinks?.(r) : undefined;
    if (links?.length) {
      return html`<div class="cell models" role="gridcell" style="left:${x}px;width:${w}px"
        title=${links.map((l) => l.title).join("\n")}>${links.map(
          (l) =>
            html`<a href=${l.href} tabindex="-1">${l.label}${l.version ? html` <span class="v">v${l.version}</span>` : nothing}</a>`,
        )}</div>`;
    }
    const { text, title } = cellText(c, r, this.summaries);
    const num = c.kind === "metrics" || c.fixed === "duration" || (c.kind === "params" && looksNumeric(text));
    const mono = c.fixed === "models";
    return html`<div class="cell ${num ? "num" : ""} ${mono ? "mono" : ""}" role="gridcell"
      style="left:${x}px;width:${w}px" title=${title}><span class="t">${text}</span></div>`;
  }

  private renderRow(d: DisplayRow, i: number, edges: number[], total: number) {
    const r = d.row;
    const { c0, c1 } = this.win;
    const sel = this.selected.has(r.id);
    const hidden = this.hiddenRuns.has(r.id);
    const shown = this.inCharts.has(r.id);
    const cols = this.columns.slice(c0, c1);
    return html`<div
      class="row ${sel ? "sel" : ""} ${i === this.focusIndex ? "focus" : ""} ${r.deleted ? "deleted" : ""}"
      role="row" aria-rowindex=${i + 2} aria-selected=${sel ? "true" : "false"} data-index=${i}
      style="top:${i * ROW_H}px;width:${this.nameWidth + total}px"
    >
      <div class="name" role="gridcell" style="width:${this.nameWidth}px">
        <input type="checkbox" tabindex="-1" .checked=${sel} data-act="select" data-id=${r.id}
          aria-label="Select run ${r.name}" />
        <span style="width:${d.depth * 14}px;flex:none"></span>
        ${
          d.children > 0
            ? html`<button class="icon-button exp" tabindex="-1" data-act="expand" data-id=${r.id}
                aria-expanded=${d.expanded ? "true" : "false"}
                aria-label="${d.expanded ? "Collapse" : "Expand"} ${d.children} child runs of ${r.name}"
                title="${d.children} child run${d.children === 1 ? "" : "s"}">${icons.chevron}${d.children}</button>`
            : html`<span class="leaf"></span>`
        }
        <span class="swatch" style="background:${runColor(r.id)}" aria-hidden="true"></span>
        <a class="nm" tabindex="-1" href=${href(`/experiments/${this.experimentId}/runs/${r.id}`)} title=${`${r.name}\n${r.id}`}>${r.name}</a>
        ${r.deleted ? html`<span class="deleted-tag">deleted</span>` : nothing}
        <button class="icon-button toggle ${d.pinned ? "on" : ""}" tabindex="-1" data-act="pin" data-id=${r.id}
          aria-pressed=${d.pinned ? "true" : "false"} aria-label="${d.pinned ? "Unpin" : "Pin"} run ${r.name}"
          title=${d.pinned ? "Unpin" : "Pin to the top"}>${icons.pin}</button>
        <button class="icon-button toggle ${hidden ? "off" : shown ? "on" : ""}" tabindex="-1" data-act="hide"
          data-id=${r.id} aria-pressed=${hidden ? "false" : "true"}
          aria-label="${hidden ? "Show" : "Hide"} run ${r.name} in charts"
          title=${hidden ? "Hidden from charts: click to show" : shown ? "In the charts: click to hide" : "Hide from charts"}
        >${hidden ? icons.eyeOff : icons.eye}</button>
      </div>
      <div class="cells" style="width:${total}px">${cols.map((c, j) => this.renderCell(c, d, edges[c0 + j] ?? 0))}</div>
    </div>`;
  }

  override render() {
    const edges = offsets(this.columns.map((c) => this.width(c)));
    const total = edges[edges.length - 1] ?? 0;
    const { r0, r1 } = this.win;
    const n = this.rows.length;
    return html`<div
      class="scroller"
      tabindex="0"
      role="grid"
      aria-label="Runs"
      aria-rowcount=${n + 1}
      aria-colcount=${this.columns.length + 1}
      @scroll=${this.onScroll}
      @keydown=${this.onKey}
    >
      ${this.renderHead(edges, total)}
      ${
        this.loading && n === 0
          ? html`<div class="skeleton"><tl-skeleton .rows=${12} label="Loading runs"></tl-skeleton></div>`
          : html`<div class="body" role="rowgroup" style="height:${n * ROW_H}px;width:${this.nameWidth + total}px"
              @click=${this.onBodyClick}>
              ${repeat(
                this.rows.slice(r0, r1),
                (d) => d.row.id,
                (d, j) => this.renderRow(d, r0 + j, edges, total),
              )}
            </div>`
      }
    </div>`;
  }
}
customElements.define("tl-runs-table", TlRunsTable);

declare global {
  interface HTMLElementTagNameMap {
    "tl-runs-table": TlRunsTable;
  }
}
