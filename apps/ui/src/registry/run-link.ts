import type { Run } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import { describeError } from "../components/error.js";
import { href } from "../router.js";
import { shared } from "../styles.js";

/** One get-run per run id for the whole session: a versions table often names the same run many times. */
const runs = new Map<string, Promise<Run>>();

/** The run (its experiment id, name), fetched once. A failed fetch is forgotten so that a later render retries. */
export function cachedRun(runId: string): Promise<Run> {
  let p = runs.get(runId);
  if (!p) {
    p = client.getRun(runId);
    p.catch(() => runs.delete(runId));
    runs.set(runId, p);
  }
  return p;
}

/**
 * A link to a model version's source run (`#/experiments/<exp>/runs/<run>`), named by the run's name. The run is
 * fetched to learn its experiment; until then the shortened id shows, and a failure shows its error code.
 */
export class TlRunLink extends LitElement {
  static override properties = { runId: { attribute: false }, run: { state: true }, error: { state: true } };
  declare runId: string;
  declare run: Run | undefined;
  declare error: unknown;

  static override styles = [
    shared,
    css`
      :host { display: inline; }
      .id { font-family: var(--tl-mono); font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.runId = "";
    this.run = undefined;
    this.error = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("runId")) return;
    this.run = undefined;
    this.error = undefined;
    const id = this.runId;
    if (!id) return;
    cachedRun(id).then(
      (run) => {
        if (id === this.runId) this.run = run;
      },
      (e: unknown) => {
        if (id === this.runId) this.error = e;
      },
    );
  }

  override render() {
    if (!this.runId) return html`<span class="muted">—</span>`;
    if (this.error) {
      const { code, message } = describeError(this.error);
      return html`<span class="id" title=${`${code}: ${message}`}>${this.runId.slice(0, 8)}</span>
        <span class="error">(${code})</span>`;
    }
    if (!this.run) return html`<span class="id muted" title=${this.runId}>${this.runId.slice(0, 8)}</span>`;
    const info = this.run.info;
    const name = info.run_name || this.runId.slice(0, 8);
    return html`<a href=${href(`/experiments/${info.experiment_id}/runs/${this.runId}`)} title=${`Run ${this.runId}`}
      >${name}</a
    >`;
  }
}
customElements.define("tl-run-link", TlRunLink);

declare global {
  interface HTMLElementTagNameMap {
    "tl-run-link": TlRunLink;
  }
}
