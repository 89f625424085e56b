import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { type ChartKind, type ChartSpec, KIND_LABELS, type Override, specTitle } from "./chart-board.js";
import type { ChartGroup } from "./chart-group.js";
import "./metric-chart.js";
import type { ChartRun } from "./metric-chart.js";
import "./bar-chart.js";
import "./chart-body.js";
import type { ChartSettings } from "./settings.js";
import { type MetricProbe, probeMetric } from "./single-value.js";

const glyph = (d: string): TemplateResult =>
  html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5"
    stroke-linecap="round"><path d=${d}></path></svg>`;
const GRIP = glyph("M6 3.5h.01M10 3.5h.01M6 8h.01M10 8h.01M6 12.5h.01M10 12.5h.01");
const EXPAND = glyph("M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10");
const BARS = glyph("M2.5 3.5h8M2.5 8h11M2.5 12.5h5");
const LINE = glyph("M1.5 12.5l4-5 3 2.5 6-7");

/** What a card asks its board to do. */
export interface CardAction {
  action: "edit" | "remove" | "kind" | "spec" | "move";
  /** The default metric chart's key, or the added chart's id. */
  key: string;
  /** For "kind": the kind to show; for "spec": the changed fields. */
  kind?: "line" | "bar";
  patch?: Partial<ChartSpec>;
  /** For "move": one place back (-1) or on (1) in its section. */
  by?: -1 | 1;
}

/**
 * One card of the chart board: a default metric chart (`metricKey`, drawn as bars when the metric holds one value
 * per run, else as a line, unless its override says otherwise) or a chart the user added (`spec`). A thin bar on top
 * holds the drag handle and the card's tools (bars/line switch, settings, fullscreen, remove); the board acts on them
 * through `card-action` events (detail: CardAction) and on drag events from the handle.
 */
export class TlChartCard extends LitElement {
  static override properties = {
    runs: { attribute: false },
    settings: { attribute: false },
    group: { attribute: false },
    metricKey: { attribute: false },
    override: { attribute: false },
    spec: { attribute: false },
    full: { type: Boolean, reflect: true },
    wide: { type: Boolean, reflect: true },
    probe: { state: true },
  };
  declare runs: ChartRun[];
  /** The page's chart settings (the card's own settings override them). */
  declare settings: ChartSettings;
  declare group: ChartGroup | undefined;
  declare metricKey: string;
  declare override: Override | undefined;
  declare spec: ChartSpec | undefined;
  /** Shown full screen. */
  declare full: boolean;
  /** Takes a whole row of the grid (tables and image grids). */
  declare wide: boolean;
  declare probe: MetricProbe | undefined;

  private io: IntersectionObserver | undefined;
  private visible = false;
  /** The runs the probe was for (a new array of the same runs keeps it). */
  private probedIds = "";
  private probeDue = true;
  private effCache: { key: string; value: ChartSettings } | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; position: relative; }
      :host([full]) {
        position: fixed; inset: 24px; z-index: 50; background: var(--tl-bg); padding: 12px 16px; overflow: auto;
        border: 1px solid var(--tl-border); border-radius: var(--tl-radius); box-shadow: 0 8px 40px rgb(0 0 0 / 0.35);
      }
      :host(.drop-target) { outline: 2px dashed var(--tl-accent); outline-offset: 4px; }
      .bar { display: flex; align-items: center; gap: 2px; height: 22px; font-size: 11px; }
      .grip:focus-visible { outline: 2px solid var(--tl-accent); border-radius: 3px; }
      .grip { cursor: grab; color: var(--tl-muted); padding: 2px; display: inline-flex; }
      .kind { color: var(--tl-muted); text-transform: uppercase; letter-spacing: 0.04em; font-size: 10px; }
      .bar button.icon-button { padding: 2px 4px; }
      .title { font-size: 13px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .placeholder {
        display: flex; align-items: center; justify-content: center; color: var(--tl-muted); font-size: 13px;
        border: 1px dashed var(--tl-border); border-radius: var(--tl-radius); height: 230px;
      }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.settings = { x: "step", log: false, smoothing: 0 };
    this.group = undefined;
    this.metricKey = "";
    this.override = undefined;
    this.spec = undefined;
    this.full = false;
    this.wide = false;
    this.probe = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.visible) return;
    this.io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.visible = true;
          this.io?.disconnect();
          this.requestUpdate();
        }
      },
      { rootMargin: "300px 0px" },
    );
    this.io.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.onKey);
    this.io?.disconnect();
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && this.full) this.full = false;
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    // Esc leaves full screen: listened to only while full screen (a board may hold thousands of cards).
    if (changed.has("full")) {
      if (this.full) window.addEventListener("keydown", this.onKey);
      else window.removeEventListener("keydown", this.onKey);
    }
    const ids = this.runs.map((r) => r.runId).join(",");
    if (ids !== this.probedIds || (changed.has("metricKey") && changed.get("metricKey") !== undefined)) {
      // Keep drawing the kind known so far (no remount) until the new answer lands.
      this.probedIds = ids;
      this.probeDue = true;
    }
    // What tests and styles find the card by: the metric key or the added chart's id.
    this.dataset.key = this.spec?.i ?? this.metricKey;
    this.wide = this.spec?.k === "difference" || this.spec?.k === "images";
  }

  protected override updated() {
    // Default cards ask once visible whether the metric holds single values (bars) or a series (line).
    const asks = this.metricKey && !this.spec && !this.override?.k && !this.metricKey.startsWith("system/");
    if (this.visible && this.probeDue && asks) {
      this.probeDue = false;
      void this.runProbe();
    }
  }

  private async runProbe() {
    const key = this.metricKey;
    const ids = this.probedIds;
    try {
      const probe = await probeMetric(
        this.runs.map((r) => r.runId),
        key,
      );
      if (key === this.metricKey && ids === this.probedIds) this.probe = probe;
    } catch {
      // The line chart shows the error and its retry.
      if (key === this.metricKey) this.probe = { single: false, last: new Map() };
    }
  }

  /** The kind drawn: the added chart's, the override's, or bars/line by the probe (undefined while probing). */
  kind(): ChartKind | undefined {
    if (this.spec) return this.spec.k;
    if (this.override?.k) return this.override.k;
    // System metrics are sampled over time: always a series, no need to ask.
    if (this.metricKey.startsWith("system/")) return "line";
    if (!this.probe) return undefined;
    return this.probe.single && this.probe.last.size > 0 ? "bar" : "line";
  }

  /** The page's settings with the card's own on top (the same object while nothing changes, so charts keep still). */
  private effective(): ChartSettings {
    const own = this.spec ?? this.override ?? {};
    const s = this.settings;
    const value: ChartSettings = {
      x: own.x ?? s.x,
      log: own.log ?? s.log,
      smoothing: own.smooth ?? s.smoothing,
    };
    const key = `${value.x}|${value.log}|${value.smoothing}`;
    if (this.effCache?.key !== key) this.effCache = { key, value };
    return this.effCache.value;
  }

  private act(a: Omit<CardAction, "key">) {
    const key = this.spec?.i ?? this.metricKey;
    this.dispatchEvent(
      new CustomEvent<CardAction>("card-action", { detail: { ...a, key }, bubbles: true, composed: true }),
    );
  }

  private renderBar(kind: ChartKind | undefined) {
    const name = this.spec ? specTitle(this.spec) : this.metricKey;
    const other = kind === "bar" ? "line" : "bar";
    return html`<div class="bar">
      <span class="grip" draggable="true" tabindex="0" role="button" title="Drag to reorder (or arrow keys)"
        aria-label="Move ${name}: drag, or arrow keys" @keydown=${(e: KeyboardEvent) => {
          const by = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1 }[e.key] as -1 | 1 | undefined;
          if (!by) return;
          e.preventDefault();
          this.act({ action: "move", by });
        }}>${GRIP}</span>
      <span class="kind">${kind ? KIND_LABELS[kind] : ""}</span>
      <span class="spacer"></span>
      ${
        !this.spec && kind
          ? html`<button class="icon-button" aria-label="Show ${name} as ${other === "bar" ? "bars" : "a line"}"
              title=${other === "bar" ? "Show as bars" : "Show as a line"}
              @click=${() => this.act({ action: "kind", kind: other })}>${other === "bar" ? BARS : LINE}</button>`
          : nothing
      }
      <button class="icon-button" aria-label="Settings of ${name}" title="Chart settings"
        @click=${() => this.act({ action: "edit" })}>${icons.edit}</button>
      <button class="icon-button" aria-label=${this.full ? `Close full screen ${name}` : `Full screen ${name}`}
        title=${this.full ? "Close full screen (Esc)" : "Full screen"} @click=${() => {
          this.full = !this.full;
        }}>${this.full ? icons.close : EXPAND}</button>
      ${
        this.spec
          ? html`<button class="icon-button" aria-label="Remove ${name}" title="Remove chart"
              @click=${() => this.act({ action: "remove" })}>${icons.trash}</button>`
          : nothing
      }
    </div>`;
  }

  private renderBody(kind: ChartKind | undefined) {
    const key = this.spec ? (this.spec.m?.[0] ?? "") : this.metricKey;
    const height = this.full ? Math.max(240, window.innerHeight - 260) : 200;
    if (!kind || !this.visible) return html`<div class="placeholder">${key || "…"}</div>`;
    if (kind === "line") {
      const eff = this.effective();
      // A chart on an x axis of its own cannot share the page's zoom.
      const group = eff.x === this.settings.x ? this.group : undefined;
      return html`<tl-metric-chart .metricKey=${key} .runs=${this.runs} .settings=${eff} .group=${group}
        .height=${height}></tl-metric-chart>`;
    }
    if (kind === "bar") return html`<tl-bar-chart .metricKey=${key} .runs=${this.runs}></tl-bar-chart>`;
    return html`<div class="title">${this.spec ? specTitle(this.spec) : key}</div>
      <tl-chart-body .spec=${this.spec} .runs=${this.runs} ?full=${this.full}
        @spec-change=${(e: CustomEvent<Partial<ChartSpec>>) => {
          e.stopPropagation();
          this.act({ action: "spec", patch: e.detail });
        }}></tl-chart-body>`;
  }

  override render() {
    const kind = this.kind();
    return html`${this.renderBar(kind)}${this.renderBody(kind)}`;
  }
}
customElements.define("tl-chart-card", TlChartCard);

declare global {
  interface HTMLElementTagNameMap {
    "tl-chart-card": TlChartCard;
  }
  interface HTMLElementEventMap {
    "card-action": CustomEvent<CardAction>;
  }
}
