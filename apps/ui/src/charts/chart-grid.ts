import { css, html, LitElement, type PropertyValues } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import {
  type Board,
  type ChartSpec,
  matchesSearch,
  moveItem,
  newChartId,
  orderKeys,
  parseBoard,
  reorderKeys,
  serializeBoard,
  specKeys,
  specTitle,
} from "./chart-board.js";
import type { CardAction } from "./chart-card.js";
import "./chart-card.js";
import "./chart-builder.js";
import type { ChartGroup } from "./chart-group.js";
import type { ChartRun } from "./metric-chart.js";
import { clearRunValues } from "./run-values.js";
import { metricSections, type Section } from "./sections.js";
import { type ChartSettings, DEFAULT_CHART_SETTINGS } from "./settings.js";
import { clearProbes } from "./single-value.js";

/** The title of the section of charts the user added. */
const ADDED = "Added charts";

/** What the builder dialog is open for: a new chart, an added chart, or a default metric chart's settings. */
type Editing = { spec: ChartSpec | undefined; metricKey?: string };

/**
 * The chart board under the toolbar of `<tl-metric-charts>` (lazily loaded with the chart kinds): a card per metric,
 * in collapsible sections by key prefix (`train/`, `val/`, `system/`, others under "Metrics"), after the charts the
 * user added. Metrics logged once per run are drawn as bars (switchable to a line, per chart); every card has its own
 * settings, full screen, and a handle to drag it within its section; the search (`settings.search`) filters cards by
 * key. It changes nothing itself: it fires `settings-change` (detail: the new ChartSettings with the new board) and
 * the page writes them into the URL and passes them back.
 */
export class TlChartGrid extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKeys: { attribute: false },
    settings: { attribute: false },
    group: { attribute: false },
    collapsed: { state: true },
    editing: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKeys: string[];
  declare settings: ChartSettings;
  /** Line charts that share cursor and zoom. */
  declare group: ChartGroup | undefined;
  declare collapsed: Set<string>;
  declare editing: Editing | undefined;

  private sections: Section[] = [];
  private board: Board = parseBoard("");
  /** The card being dragged: its section and key (metric key or added chart id). */
  private dragging: { section: string; key: string } | undefined;
  /** Each shown card's section and that section's keys as shown (for moves by keyboard). */
  private placement = new Map<string, { section: string; keys: string[] }>();

  static override styles = [
    shared,
    css`
      :host { display: block; }
      section { margin-bottom: 12px; }
      .sec-head {
        display: flex; align-items: center; gap: 6px; width: 100%; border: none; background: none; padding: 4px 0;
        font-weight: 600; font-size: 14px; text-align: left; border-bottom: 1px solid var(--tl-border);
        border-radius: 0;
      }
      .sec-head:hover { background: none; color: var(--tl-accent); }
      .sec-head svg { transition: transform 0.1s; }
      .sec-head[aria-expanded="true"] svg { transform: rotate(90deg); }
      .count { color: var(--tl-muted); font-weight: 400; font-size: 12px; }
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px 20px; padding-top: 8px; }
      .grid > div > tl-chart-card[wide] { grid-column: 1 / -1; }
      .matches { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKeys = [];
    this.settings = DEFAULT_CHART_SETTINGS;
    this.group = undefined;
    this.collapsed = new Set();
    this.editing = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("metricKeys")) this.sections = metricSections(this.metricKeys);
    const before = changed.get("settings") as ChartSettings | undefined;
    if (changed.has("settings") && (before?.board ?? "") !== (this.settings.board ?? ""))
      this.board = parseBoard(this.settings.board);
  }

  /** Opens the "Add chart" dialog. */
  addChart() {
    this.editing = { spec: undefined };
  }

  /** Re-reads the data of every chart already drawn (live runs); charts not yet in view fetch when they get there. */
  refresh() {
    clearProbes();
    clearRunValues();
    for (const card of this.renderRoot.querySelectorAll("tl-chart-card")) {
      const root = card.renderRoot;
      for (const chart of root.querySelectorAll("tl-metric-chart")) {
        if (chart.phase === "ready" || chart.phase === "error") void chart.load();
      }
      for (const el of root.querySelectorAll<HTMLElement & { load(): Promise<void> }>("tl-bar-chart, tl-chart-body"))
        void el.load();
    }
  }

  /** Writes a new board (and search) through the page. */
  private setBoard(board: Board) {
    this.change({ board: serializeBoard(board) });
  }

  private onCard(e: CustomEvent<CardAction>) {
    const a = e.detail;
    const b = this.board;
    const spec = b.c.find((c) => c.i === a.key);
    if (a.action === "edit") {
      this.editing = spec
        ? { spec }
        : { spec: { i: "", k: b.o[a.key]?.k ?? this.kindShown(a.key), m: [a.key], ...b.o[a.key] }, metricKey: a.key };
    } else if (a.action === "remove") {
      this.setBoard({ ...b, c: b.c.filter((c) => c.i !== a.key) });
    } else if (a.action === "kind" && a.kind) {
      this.setBoard({ ...b, o: { ...b.o, [a.key]: { ...b.o[a.key], k: a.kind } } });
    } else if (a.action === "move" && a.by) {
      // The keyboard's drag: onto the neighbour in the card's section, then focus stays on the moved card's handle.
      const at = this.placement.get(a.key);
      const to = at?.keys[at.keys.indexOf(a.key) + a.by];
      if (!at || to === undefined) return;
      this.dragging = { section: at.section, key: a.key };
      this.onDrop(at.section, to, at.keys);
      const moved = a.key;
      void this.updateComplete.then(() =>
        requestAnimationFrame(() =>
          this.renderRoot
            .querySelector<HTMLElement>(`tl-chart-card[data-key="${CSS.escape(moved)}"]`)
            ?.shadowRoot?.querySelector<HTMLElement>(".grip")
            ?.focus(),
        ),
      );
    } else if (a.action === "spec" && spec) {
      this.setBoard({ ...b, c: b.c.map((c) => (c === spec ? { ...c, ...a.patch } : c)) });
    }
  }

  /** The kind a default card shows now (for its settings dialog). */
  private kindShown(key: string): "line" | "bar" {
    for (const card of this.renderRoot.querySelectorAll("tl-chart-card"))
      if (card.metricKey === key && card.kind() === "bar") return "bar";
    return "line";
  }

  private onSave(spec: ChartSpec) {
    const b = this.board;
    const editing = this.editing;
    this.editing = undefined;
    if (editing?.metricKey) {
      const { x, log, smooth } = spec;
      const k = spec.k === "bar" || spec.k === "line" ? spec.k : undefined;
      const over = JSON.parse(JSON.stringify({ k, x, log, smooth }));
      this.setBoard({ ...b, o: { ...b.o, [editing.metricKey]: over } });
    } else if (editing?.spec) {
      this.setBoard({ ...b, c: b.c.map((c) => (c.i === editing.spec?.i ? spec : c)) });
    } else {
      this.setBoard({ ...b, c: [...b.c, { ...spec, i: newChartId(b) }] });
    }
  }

  private onDrop(section: string, key: string, keys: string[]) {
    const from = this.dragging;
    this.dragging = undefined;
    if (!from || from.section !== section || from.key === key) return;
    const b = this.board;
    if (section === ADDED) {
      const ids = b.c.map((c) => c.i);
      const order = moveItem(ids, from.key, key);
      this.setBoard({ ...b, c: order.flatMap((id) => b.c.filter((c) => c.i === id)) });
    } else {
      this.setBoard({ ...b, r: reorderKeys(b.r, keys, from.key, key) });
    }
  }

  /** Drag handlers of a card in a section whose keys (in shown order) are `keys`. */
  private dnd(section: string, key: string, keys: string[]) {
    const clear = (e: Event) => (e.currentTarget as HTMLElement).classList.remove("drop-target");
    return {
      start: (e: DragEvent) => {
        this.dragging = { section, key };
        e.dataTransfer?.setData("text/plain", key);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
      },
      over: (e: DragEvent) => {
        if (this.dragging?.section !== section || this.dragging.key === key) return;
        e.preventDefault();
        (e.currentTarget as HTMLElement).classList.add("drop-target");
      },
      leave: clear,
      drop: (e: DragEvent) => {
        clear(e);
        e.preventDefault();
        this.onDrop(section, key, keys);
      },
    };
  }

  private change(patch: Partial<ChartSettings>) {
    const next = { ...this.settings, ...patch };
    this.dispatchEvent(
      new CustomEvent<ChartSettings>("settings-change", { detail: next, bubbles: true, composed: true }),
    );
  }

  private toggle(title: string) {
    const next = new Set(this.collapsed);
    if (next.has(title)) next.delete(title);
    else next.add(title);
    this.collapsed = next;
  }

  private renderBuilder() {
    const ed = this.editing;
    if (!ed) return "";
    return html`<tl-chart-builder .spec=${ed.spec} .metricKeys=${this.metricKeys} .runs=${this.runs}
      .settings=${this.settings}
      ?locked=${!!ed.metricKey} @builder-save=${(e: CustomEvent<ChartSpec>) => this.onSave(e.detail)}
      @builder-close=${() => {
        this.editing = undefined;
      }}></tl-chart-builder>`;
  }

  private renderSection(title: string, keys: string[], card: (key: string) => unknown, total: number) {
    for (const k of keys) this.placement.set(k, { section: title, keys });
    const open = !this.collapsed.has(title);
    return html`<section>
      <button class="sec-head" aria-expanded=${open} @click=${() => this.toggle(title)}>
        ${icons.chevron} ${title} <span class="count">${keys.length === total ? total : `${keys.length} of ${total}`}</span>
      </button>
      ${
        open
          ? html`<div class="grid">
              ${repeat(
                keys,
                (k) => k,
                (k) => {
                  const d = this.dnd(title, k, keys);
                  return html`<div style="display:contents" @dragstart=${d.start}>
                    ${card(k)}
                  </div>`;
                },
              )}
            </div>`
          : ""
      }
    </section>`;
  }

  override render() {
    const added = this.board.c;
    if (!this.metricKeys.length && !added.length)
      return html`<p class="muted">No metrics logged for these runs.</p>${this.renderBuilder()}`;
    const q = this.settings.search ?? "";
    const shownAdded = added.filter((c) => matchesSearch(q, `${specTitle(c)} ${specKeys(c).join(" ")}`));
    const sections = this.sections.map((sec) => ({
      sec,
      keys: orderKeys(sec.keys, this.board.r).filter((k) => matchesSearch(q, k)),
    }));
    const shown = shownAdded.length + sections.reduce((n, s) => n + s.keys.length, 0);
    this.placement = new Map();
    const cardEvents = (section: string, key: string, keys: string[]) => this.dnd(section, key, keys);
    return html`
      ${q ? html`<p class="muted matches">${shown} of ${added.length + this.metricKeys.length} charts match “${q}”</p>` : ""}
      <div @card-action=${(e: CustomEvent<CardAction>) => this.onCard(e)}>
        ${
          added.length
            ? this.renderSection(
                ADDED,
                shownAdded.map((c) => c.i),
                (id) => {
                  const d = cardEvents(
                    ADDED,
                    id,
                    shownAdded.map((c) => c.i),
                  );
                  return html`<tl-chart-card .spec=${added.find((c) => c.i === id)} .runs=${this.runs}
                    .settings=${this.settings} .group=${this.group} @dragover=${d.over} @dragleave=${d.leave}
                    @drop=${d.drop}></tl-chart-card>`;
                },
                added.length,
              )
            : ""
        }
        ${repeat(
          sections.filter((s) => s.keys.length),
          (s) => s.sec.title,
          ({ sec, keys }) =>
            this.renderSection(
              sec.title,
              keys,
              (k) => {
                const d = cardEvents(sec.title, k, keys);
                return html`<tl-chart-card .metricKey=${k} .override=${this.board.o[k]} .runs=${this.runs}
                  .settings=${this.settings} .group=${this.group} @dragover=${d.over} @dragleave=${d.leave}
                  @drop=${d.drop}></tl-chart-card>`;
              },
              sec.keys.length,
            ),
        )}
      </div>
      ${this.renderBuilder()}
    `;
  }
}
customElements.define("tl-chart-grid", TlChartGrid);

declare global {
  interface HTMLElementTagNameMap {
    "tl-chart-grid": TlChartGrid;
  }
}
