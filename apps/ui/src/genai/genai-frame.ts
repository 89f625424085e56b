import type { Experiment } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/error.js";
import "../components/tabs.js";
import { client } from "../api.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { GENAI_TABS, genaiTabPath } from "./genai-tabs.js";

/** The experiment page's own tabs (`?tab=` of `#/experiments/:id`), shown beside the GenAI tabs. */
const EXPERIMENT_TABS = [
  { id: "runs", label: "Runs" },
  { id: "charts", label: "Charts" },
  { id: "traces", label: "Traces" },
  { id: "models", label: "Models" },
  { id: "datasets", label: "Datasets" },
];

/**
 * The frame of every GenAI view: the experiment's breadcrumb, name and id, and the experiment's tab bar with the
 * GenAI tab `active`; the view is the default slot. The GenAI views have routes of their own (MLflow's paths), so
 * this stands in for the experiment page's header there. Sets `document.title` to `<view> · <experiment>`.
 */
export class TlGenaiFrame extends LitElement {
  static override properties = {
    experimentId: {},
    active: {},
    crumb: { attribute: false },
    experiment: { state: true },
    error: { state: true },
  };
  declare experimentId: string;
  declare active: string;
  /** An extra breadcrumb after the experiment (a dataset page's link back to the list). */
  declare crumb: { label: string; href: string } | undefined;
  declare experiment: Experiment | undefined;
  declare error: unknown;

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 2px; }
      .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 8px; }
      .title h1 { margin: 0; }
      tl-tabs { margin-bottom: 12px; }
    `,
  ];

  constructor() {
    super();
    this.experimentId = "";
    this.active = "";
    this.crumb = undefined;
    this.experiment = undefined;
    this.error = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("experimentId") && this.experimentId) void this.load();
  }

  private async load() {
    const id = this.experimentId;
    this.error = undefined;
    try {
      const exp = await client.getExperiment(id);
      if (id !== this.experimentId) return;
      this.experiment = exp;
      const label = GENAI_TABS.find((t) => t.id === this.active)?.label ?? "";
      document.title = `${label} · ${exp.name} · tracklite`;
    } catch (e) {
      if (id === this.experimentId) this.error = e;
    }
  }

  private onTab(id: string) {
    const path = genaiTabPath(this.experimentId, id);
    if (path) navigate(path);
    else navigate(`/experiments/${encodeURIComponent(this.experimentId)}`, { tab: id === "runs" ? undefined : id });
  }

  override render() {
    const id = encodeURIComponent(this.experimentId);
    const name = this.experiment?.name;
    return html`<div class="crumbs"><a href="#/experiments">Experiments</a> /
        <a href="#/experiments/${id}">${name ?? `Experiment ${this.experimentId}`}</a>${
          this.crumb ? html` / <a href=${this.crumb.href}>${this.crumb.label}</a>` : nothing
        }</div>
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>` : nothing}
      <div class="title">
        <h1>${name ?? html`<span class="muted">Experiment ${this.experimentId}</span>`}</h1>
        <span class="muted">ID</span><tl-copy .value=${this.experimentId} .short=${0}></tl-copy>
      </div>
      <tl-tabs .tabs=${[...EXPERIMENT_TABS, ...GENAI_TABS]} .active=${this.active}
        @tab-change=${(e: CustomEvent<string>) => this.onTab(e.detail)}></tl-tabs>
      <slot></slot>`;
  }
}
customElements.define("tl-genai-frame", TlGenaiFrame);

declare global {
  interface HTMLElementTagNameMap {
    "tl-genai-frame": TlGenaiFrame;
  }
}
