import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/copy.js";
import { href } from "../router.js";
import { shared } from "../styles.js";
import { type DatasetUse, datasetsOf, sourceText } from "./datasets.js";
import type { RunRow } from "./run-fields.js";

const RUNS_LISTED = 5;

/** The Datasets tab: the datasets used by the loaded runs, with the runs that used each. */
export class TlExperimentDatasets extends LitElement {
  static override properties = {
    rows: { attribute: false },
    experimentId: {},
    more: { type: Boolean },
  };
  declare rows: RunRow[];
  declare experimentId: string;
  /** More runs exist than are loaded (the list may be incomplete). */
  declare more: boolean;
  private uses: DatasetUse[] = [];

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      td.name { font-weight: 600; white-space: nowrap; }
      td.src { font-family: var(--tl-mono); font-size: 12px; word-break: break-all; }
      .runs a { margin-right: 8px; white-space: nowrap; }
    `,
  ];

  constructor() {
    super();
    this.rows = [];
    this.experimentId = "";
    this.more = false;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("rows")) this.uses = datasetsOf(this.rows);
  }

  override render() {
    const scope = `${this.rows.length.toLocaleString()} loaded run${this.rows.length === 1 ? "" : "s"}${this.more ? " (load more runs in the Runs tab to see more)" : ""}`;
    if (this.uses.length === 0) {
      return html`<p class="muted">No datasets logged by the ${scope}. Runs log them with
        <code>mlflow.log_input(dataset, context="training")</code>.</p>`;
    }
    return html`<p class="muted">Datasets used by the ${scope}.</p>
      <table aria-label="Datasets">
        <thead><tr><th>Dataset</th><th>Digest</th><th>Context</th><th>Source type</th><th>Source</th><th>Runs</th></tr></thead>
        <tbody>
          ${this.uses.map(
            (d) => html`<tr>
              <td class="name">${d.name}</td>
              <td><tl-copy .value=${d.digest}></tl-copy></td>
              <td>${d.contexts.join(", ")}</td>
              <td>${d.sourceType}</td>
              <td class="src" title=${d.source}>${sourceText(d.source)}</td>
              <td class="runs"><span class="muted">${d.runs.length}:</span>
                ${d.runs
                  .slice(0, RUNS_LISTED)
                  .map(
                    (r) => html`<a href=${href(`/experiments/${this.experimentId}/runs/${r.id}`)}>${r.name}</a>`,
                  )}${d.runs.length > RUNS_LISTED ? html`<span class="muted">+${d.runs.length - RUNS_LISTED} more</span>` : ""}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}
customElements.define("tl-experiment-datasets", TlExperimentDatasets);

declare global {
  interface HTMLElementTagNameMap {
    "tl-experiment-datasets": TlExperimentDatasets;
  }
}
