import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { icons } from "../components/icons.js";
import { rowWindow } from "../runs/virtual.js";
import { shared } from "../styles.js";
import { ancestors, type SpanTree, visibleRows } from "./span-tree.js";
import { formatLatency } from "./trace-info.js";

export const SPAN_ROW_H = 26;
const AXIS_H = 24;
const INDENT = 14;

/** The marks the bench reads (bench/ui-trace-open.mjs): the first frame with span rows, and with all of them. */
export const TREE_DRAWN_MARK = "tl-span-tree-drawn";
export const TREE_COMPLETE_MARK = "tl-span-tree-complete";

/** Colours of span types (an accent per family; the label is always shown too). */
const TYPE_COLOR: Record<string, string> = {
  LLM: "#b07aa1",
  CHAT_MODEL: "#b07aa1",
  AGENT: "#4e79a7",
  CHAIN: "#4e79a7",
  TOOL: "#f28e2b",
  RETRIEVER: "#59a14f",
  EMBEDDING: "#76b7b2",
  RERANKER: "#76b7b2",
};

/**
 * The span tree beside its timeline: one row per visible span (indented name with expander, type, duration) and a
 * waterfall bar placed by start and end on the trace's time axis. Only the rows on screen are in the DOM, so a
 * 50,000-span trace draws as fast as a small one. Fires `span-select` (detail: the span's index in the tree).
 * Keyboard: ↑/↓ move, → / ← expand or collapse (or go to the parent), Home / End.
 */
export class TlSpanTree extends LitElement {
  static override properties = {
    tree: { attribute: false },
    traceKey: { attribute: false },
    selected: { type: Number },
    complete: { type: Boolean },
    collapsed: { state: true },
    win: { state: true },
  };
  declare tree: SpanTree | undefined;
  /** The trace shown: a new tree of the same trace (more spans arrived) keeps what was collapsed. */
  declare traceKey: string;
  /** Index of the selected span, −1 for none. */
  declare selected: number;
  /** All spans are in (while they stream, `tree` is rebuilt with more). */
  declare complete: boolean;
  declare collapsed: ReadonlySet<number>;
  declare win: { r0: number; r1: number };

  private rows: Int32Array = new Int32Array(0);
  private rowOf = new Int32Array(0);
  private frame = 0;
  private drawn = false;
  private drawnComplete = false;
  private resize = new ResizeObserver(() => this.measure());

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; font-size: 12px; }
      .scroller { flex: 1; min-height: 0; overflow: auto; position: relative; outline: none; }
      .scroller:focus-visible { box-shadow: inset 0 0 0 2px var(--tl-accent); }
      .axis {
        position: sticky; top: 0; z-index: 2; height: ${AXIS_H}px; display: flex; background: var(--tl-bg-alt);
        border-bottom: 1px solid var(--tl-border); color: var(--tl-muted); font-size: 11px;
      }
      .axis .label { flex: 0 0 var(--name-w); padding: 0 8px; display: flex; align-items: center; font-weight: 600; box-sizing: border-box; }
      .axis .ticks { flex: 1; position: relative; }
      .tick { position: absolute; top: 0; bottom: 0; padding-left: 3px; border-left: 1px solid var(--tl-border); display: flex; align-items: center; white-space: nowrap; font-variant-numeric: tabular-nums; }
      .body { position: relative; }
      .row {
        position: absolute; left: 0; right: 0; height: ${SPAN_ROW_H}px; display: flex; align-items: stretch; cursor: pointer;
        border-bottom: 1px solid color-mix(in srgb, var(--tl-border) 50%, transparent);
      }
      .row:hover { background: var(--tl-bg-hover); }
      .row[aria-selected="true"] { background: var(--tl-bg-selected); }
      .name { flex: 0 0 var(--name-w); display: flex; align-items: center; gap: 4px; min-width: 0; box-sizing: border-box; padding-right: 6px; border-right: 1px solid var(--tl-border); }
      .exp { flex: none; width: 16px; height: 16px; padding: 0; border: 0; background: none; color: var(--tl-muted); display: inline-flex; align-items: center; justify-content: center; }
      .exp svg { transition: transform 0.1s; }
      .exp[aria-expanded="true"] svg { transform: rotate(90deg); }
      .leaf { flex: none; width: 16px; }
      .nm { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
      .type { flex: none; font-size: 10px; color: var(--tl-muted); border: 1px solid var(--tl-border); border-radius: 3px; padding: 0 3px; }
      .dur { margin-left: auto; flex: none; color: var(--tl-muted); font-variant-numeric: tabular-nums; padding-left: 4px; }
      .err { color: var(--tl-danger); flex: none; }
      .lane { flex: 1; position: relative; }
      .bar { position: absolute; top: 7px; height: 12px; border-radius: 2px; min-width: 2px; background: var(--c, var(--tl-accent)); opacity: 0.85; }
      .bar.error { background: var(--tl-danger); }
    `,
  ];

  constructor() {
    super();
    this.tree = undefined;
    this.traceKey = "";
    this.selected = -1;
    this.complete = false;
    this.collapsed = new Set();
    this.win = { r0: 0, r1: 60 };
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector(".scroller");
  }

  override connectedCallback() {
    super.connectedCallback();
    const s = this.hasUpdated ? this.scroller : null;
    if (s) this.resize.observe(s);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  override willUpdate(changed: PropertyValues<this>) {
    const tree = this.tree;
    // Indexes are arrival order, so they hold across rebuilds of the same trace.
    if (changed.has("traceKey")) this.collapsed = new Set();
    if (changed.has("selected") && tree && this.selected >= 0) {
      // A span selected from outside (a link) shows: its collapsed ancestors open.
      const hidden = ancestors(tree, this.selected).filter((a) => this.collapsed.has(a));
      if (hidden.length) {
        const next = new Set(this.collapsed);
        for (const a of hidden) next.delete(a);
        this.collapsed = next;
      }
    }
    if (changed.has("tree") || changed.has("collapsed")) {
      this.rows = tree ? visibleRows(tree, this.collapsed) : new Int32Array(0);
      this.rowOf = new Int32Array(tree?.n ?? 0).fill(-1);
      for (let k = 0; k < this.rows.length; k++) this.rowOf[this.rows[k] as number] = k;
    }
  }

  override firstUpdated() {
    const s = this.scroller;
    if (s) this.resize.observe(s);
    this.measure();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("tree") || changed.has("collapsed")) this.measure();
    if (changed.has("selected") && this.selected >= 0) this.reveal(this.selected);
    // After the frame that shows the rows: what the bench times.
    if (!this.drawn && this.rows.length > 0) {
      this.drawn = true;
      requestAnimationFrame(() => setTimeout(() => performance.mark(TREE_DRAWN_MARK), 0));
    }
    if (!this.drawnComplete && this.complete && this.rows.length > 0) {
      this.drawnComplete = true;
      requestAnimationFrame(() => setTimeout(() => performance.mark(TREE_COMPLETE_MARK), 0));
    }
  }

  private measure = () => {
    const s = this.scroller;
    if (!s) return;
    const rw = rowWindow(s.scrollTop, s.clientHeight - AXIS_H, SPAN_ROW_H, this.rows.length, 12);
    if (rw.start !== this.win.r0 || rw.end !== this.win.r1) this.win = { r0: rw.start, r1: rw.end };
  };

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(this.measure);
  };

  /** Scrolls a span's row into view. */
  private reveal(i: number) {
    const k = this.rowOf[i] ?? -1;
    const s = this.scroller;
    if (k < 0 || !s) return;
    const top = k * SPAN_ROW_H;
    const viewH = s.clientHeight - AXIS_H;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + SPAN_ROW_H > s.scrollTop + viewH) s.scrollTop = top + SPAN_ROW_H - viewH;
  }

  private select(i: number) {
    this.dispatchEvent(new CustomEvent<number>("span-select", { detail: i, bubbles: true, composed: true }));
  }

  private toggle(i: number) {
    const next = new Set(this.collapsed);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    this.collapsed = next;
  }

  /** Collapses every span with children (only the roots stay), or opens all. */
  setAll(open: boolean) {
    const tree = this.tree;
    if (!tree) return;
    if (open) {
      this.collapsed = new Set();
      return;
    }
    const next = new Set<number>();
    for (let i = 0; i < tree.n; i++) if ((tree.childCount[i] as number) > 0) next.add(i);
    this.collapsed = next;
  }

  private onClick(e: MouseEvent) {
    const row = (e.target as HTMLElement).closest<HTMLElement>(".row");
    if (!row) return;
    const i = Number(row.dataset.i);
    if ((e.target as HTMLElement).closest(".exp")) this.toggle(i);
    else this.select(i);
  }

  private onKey(e: KeyboardEvent) {
    const tree = this.tree;
    const n = this.rows.length;
    if (!tree || n === 0) return;
    const k = Math.max(0, this.rowOf[this.selected] ?? 0);
    const cur = this.selected;
    let next: number | undefined;
    if (e.key === "ArrowDown") next = this.rows[Math.min(n - 1, cur < 0 ? 0 : k + 1)];
    else if (e.key === "ArrowUp") next = this.rows[Math.max(0, k - 1)];
    else if (e.key === "Home") next = this.rows[0];
    else if (e.key === "End") next = this.rows[n - 1];
    else if (e.key === "ArrowRight" && cur >= 0) {
      if (this.collapsed.has(cur)) this.toggle(cur);
      else if ((tree.firstChild[cur] as number) >= 0) next = tree.firstChild[cur];
    } else if (e.key === "ArrowLeft" && cur >= 0) {
      if ((tree.childCount[cur] as number) > 0 && !this.collapsed.has(cur)) this.toggle(cur);
      else if ((tree.parent[cur] as number) >= 0) next = tree.parent[cur];
    } else return;
    e.preventDefault();
    if (next !== undefined) this.select(next);
  }

  override focus() {
    this.scroller?.focus();
  }

  private renderAxis(tree: SpanTree) {
    const total = tree.t1 - tree.t0;
    const ticks = [0, 0.25, 0.5, 0.75];
    return html`<div class="axis" aria-hidden="true">
      <div class="label">Span</div>
      <div class="ticks">${ticks.map((f) => html`<span class="tick" style="left:${f * 100}%">${formatLatency(total * f)}</span>`)}</div>
    </div>`;
  }

  override render() {
    const tree = this.tree;
    if (!tree) return nothing;
    const total = tree.t1 - tree.t0 || 1;
    const { r0, r1 } = this.win;
    const end = Math.min(r1, this.rows.length);
    const rows = [];
    for (let k = r0; k < end; k++) {
      const i = this.rows[k] as number;
      const name = tree.names[i] ?? "";
      const start = tree.startMs[i] as number;
      const stop = tree.endMs[i] as number;
      const done = stop >= start;
      const left = ((start - tree.t0) / total) * 100;
      const width = ((done ? stop - start : tree.t1 - start) / total) * 100;
      const type = tree.types[i] ?? "";
      const kids = tree.childCount[i] as number;
      const open = !this.collapsed.has(i);
      const err = tree.error[i] === 1;
      rows.push(html`<div class="row" role="treeitem" data-i=${i} aria-level=${(tree.depth[i] as number) + 1}
        aria-selected=${i === this.selected ? "true" : "false"} aria-expanded=${kids > 0 ? String(open) : nothing}
        style="top:${k * SPAN_ROW_H}px">
        <div class="name" style="padding-left:${4 + (tree.depth[i] as number) * INDENT}px">
          ${
            kids > 0
              ? html`<button class="exp" tabindex="-1" aria-expanded=${String(open)} aria-label="${open ? "Collapse" : "Expand"} (${kids})">${icons.chevron}</button>`
              : html`<span class="leaf"></span>`
          }
          ${err ? html`<span class="err" title="Error">✕</span>` : nothing}
          <span class="nm" title=${name}>${name}</span>
          ${type && type !== "UNKNOWN" ? html`<span class="type">${type}</span>` : nothing}
          <span class="dur">${done ? formatLatency(stop - start) : "…"}</span>
        </div>
        <div class="lane"><div class="bar ${err ? "error" : ""}" style="left:${left}%;width:${Math.max(width, 0.15)}%;--c:${TYPE_COLOR[type] ?? "var(--tl-accent)"}"></div></div>
      </div>`);
    }
    return html`<div class="scroller" tabindex="0" role="tree" aria-label="Spans" style="--name-w:min(50%, 460px)"
        @scroll=${this.onScroll} @keydown=${this.onKey} @click=${this.onClick}>
      ${this.renderAxis(tree)}
      <div class="body" role="presentation" style="height:${this.rows.length * SPAN_ROW_H}px">${rows}</div>
    </div>`;
  }
}
customElements.define("tl-span-tree", TlSpanTree);

declare global {
  interface HTMLElementTagNameMap {
    "tl-span-tree": TlSpanTree;
  }
}
