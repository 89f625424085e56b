import type { ScorerWire } from "@tracklite/schemas";
import { css, html, LitElement, nothing } from "lit";
import "../components/time.js";
import { shared } from "../styles.js";
import { SCORER_KINDS, summarizeScorer } from "./scorer-summary.js";

/**
 * One registered scorer version, readably: its kind (LLM judge, built-in, custom code), model, the judge's
 * instructions, feedback type and aggregations; the serialized scorer itself as indented JSON under a disclosure.
 */
export class TlScorerDetail extends LitElement {
  static override properties = { scorer: { attribute: false } };
  declare scorer: ScorerWire | undefined;

  static override styles = [
    shared,
    css`
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0 0 8px; font-size: 13px; }
      dt { color: var(--tl-muted); }
      dd { margin: 0; }
      pre { font-family: var(--tl-mono); font-size: 12.5px; background: var(--tl-bg-alt); padding: 8px 10px;
        border-radius: var(--tl-radius); white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 8px; }
      summary { cursor: pointer; color: var(--tl-muted); font-size: 12.5px; margin: 4px 0; }
      h3 { font-size: 13px; margin: 8px 0 4px; }
    `,
  ];

  constructor() {
    super();
    this.scorer = undefined;
  }

  override render() {
    const s = this.scorer;
    if (!s) return nothing;
    const sum = summarizeScorer(s.serialized_scorer);
    return html`<dl>
        <dt>Kind</dt><dd class="kind">${SCORER_KINDS[sum.kind]}${sum.className ? html` · <span class="mono">${sum.className}</span>` : nothing}</dd>
        <dt>Version</dt><dd>${s.scorer_version}</dd>
        <dt>Registered</dt><dd><tl-time .ms=${s.creation_time}></tl-time></dd>
        ${sum.model ? html`<dt>Model</dt><dd class="mono model">${sum.model}</dd>` : nothing}
        ${sum.feedbackType ? html`<dt>Feedback type</dt><dd>${sum.feedbackType}</dd>` : nothing}
        ${sum.aggregations.length ? html`<dt>Aggregations</dt><dd>${sum.aggregations.join(", ")}</dd>` : nothing}
        ${sum.description ? html`<dt>Description</dt><dd>${sum.description}</dd>` : nothing}
        ${s.scorer_id ? html`<dt>Scorer ID</dt><dd class="mono">${s.scorer_id}</dd>` : nothing}
      </dl>
      ${sum.instructions ? html`<h3>Instructions</h3><pre class="instructions">${sum.instructions}</pre>` : nothing}
      ${sum.source ? html`<h3>Source</h3><pre class="source">${sum.source}</pre>` : nothing}
      <details><summary>Serialized scorer (JSON)</summary><pre class="raw">${JSON.stringify(sum.raw, null, 2)}</pre></details>`;
  }
}
customElements.define("tl-scorer-detail", TlScorerDetail);

declare global {
  interface HTMLElementTagNameMap {
    "tl-scorer-detail": TlScorerDetail;
  }
}
