import { css, html, LitElement, type PropertyValues } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { ChartGroup } from "./chart-group.js";
import "./metric-chart.js";
import type { ChartRun } from "./metric-chart.js";
import { metricSections, type Section } from "./sections.js";
import { type ChartSettings, clampSmoothing, DEFAULT_CHART_SETTINGS } from "./settings.js";

export type { ChartRun } from "./metric-chart.js";

/**
 * A chart per metric for a set of runs, in collapsible sections by key prefix (`train/`, `val/`, `system/`, others
 * under "Metrics"), with a toolbar for the x axis, log scale and smoothing. Cursor and zoom are synced across all its
 * charts; each chart fetches when it scrolls into view. The toolbar does not change `settings` itself: it fires
 * `settings-change` (detail: the new ChartSettings) and the page writes them into the URL and passes them back.
 */
export class TlMetricCharts extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKeys: { attribute: false },
    settings: { attribute: false },
    toolbar: { type: Boolean },
    collapsed: { state: true },
    draftSmoothing: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKeys: string[];
  declare settings: ChartSettings;
  /** Show the toolbar (default true). */
  declare toolbar: boolean;
  declare collapsed: Set<string>;
  /** The slider's value while it is dragged, before `change` commits it. */
  declare draftSmoothing: number | undefined;

  private group = new ChartGroup();
  private sections: Section[] = [];

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .toolbar label { display: inline-flex; align-items: center; gap: 6px; font-size: 13px; }
      .toolbar input[type="range"] { width: 120px; padding: 0; }
      .smooth-val { font-variant-numeric: tabular-nums; min-width: 2.5em; color: var(--tl-muted); }
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
      .hint { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKeys = [];
    this.settings = DEFAULT_CHART_SETTINGS;
    this.toolbar = true;
    this.collapsed = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("metricKeys")) this.sections = metricSections(this.metricKeys);
    // Zoom windows are in x-axis units: a new x axis starts unzoomed.
    const old = changed.get("settings") as ChartSettings | undefined;
    if (old && old.x !== this.settings.x) this.group.window = null;
  }

  /** Re-reads the data of every chart already drawn (live runs); charts not yet in view fetch when they get there. */
  refresh() {
    for (const chart of this.renderRoot.querySelectorAll("tl-metric-chart")) {
      if (chart.phase === "ready" || chart.phase === "error") void chart.load();
    }
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

  private renderToolbar() {
    const s = this.settings;
    return html`<div class="toolbar" role="toolbar" aria-label="Chart settings">
      <label>X axis
        <select @change=${(e: Event) => this.change({ x: (e.target as HTMLSelectElement).value as ChartSettings["x"] })}>
          <option value="step" ?selected=${s.x === "step"}>Step</option>
          <option value="time" ?selected=${s.x === "time"}>Wall time</option>
          <option value="relative" ?selected=${s.x === "relative"}>Relative time</option>
        </select>
      </label>
      <label><input type="checkbox" .checked=${s.log}
        @change=${(e: Event) => this.change({ log: (e.target as HTMLInputElement).checked })} />Log scale</label>
      <label>Smoothing
        <input type="range" min="0" max="0.99" step="0.01" .value=${String(s.smoothing)} aria-label="Smoothing"
          @change=${(e: Event) => {
            this.draftSmoothing = undefined;
            this.change({ smoothing: clampSmoothing(Number((e.target as HTMLInputElement).value)) });
          }}
          @input=${(e: Event) => {
            this.draftSmoothing = Number((e.target as HTMLInputElement).value);
          }} />
        <span class="smooth-val">${(this.draftSmoothing ?? s.smoothing).toFixed(2)}</span>
      </label>
      <span class="spacer"></span>
      <span class="muted hint">Drag to zoom · double-click to reset</span>
    </div>`;
  }

  override render() {
    if (!this.metricKeys.length)
      return html`${this.toolbar ? this.renderToolbar() : ""}<p class="muted">No metrics logged for these runs.</p>`;
    return html`
      ${this.toolbar ? this.renderToolbar() : ""}
      ${repeat(
        this.sections,
        (sec) => sec.title,
        (sec) => {
          const open = !this.collapsed.has(sec.title);
          return html`<section>
            <button class="sec-head" aria-expanded=${open} @click=${() => this.toggle(sec.title)}>
              ${icons.chevron} ${sec.title} <span class="count">${sec.keys.length}</span>
            </button>
            ${
              open
                ? html`<div class="grid">
                    ${repeat(
                      sec.keys,
                      (k) => k,
                      (k) => html`<tl-metric-chart .metricKey=${k} .runs=${this.runs} .settings=${this.settings}
                        .group=${this.group}></tl-metric-chart>`,
                    )}
                  </div>`
                : ""
            }
          </section>`;
        },
      )}
    `;
  }
}
customElements.define("tl-metric-charts", TlMetricCharts);

declare global {
  interface HTMLElementTagNameMap {
    "tl-metric-charts": TlMetricCharts;
  }
  interface HTMLElementEventMap {
    "settings-change": CustomEvent<ChartSettings>;
  }
}
