import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { filterEntries } from "./run-info.js";

/** A run's parameters: key and value (monospace), with a filter box on keys and values. */
export class TlParamsTable extends LitElement {
  static override properties = { params: { attribute: false }, filter: { state: true } };
  declare params: { key: string; value: string }[];
  declare filter: string;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      .head { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; }
      h2 { margin: 0; }
      input { font-size: 12px; padding: 2px 6px; width: 14em; }
      .scroll { max-height: 480px; overflow: auto; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      table { font-size: 12px; }
      thead th { position: sticky; top: 0; z-index: 1; }
      td.k { width: 40%; overflow-wrap: anywhere; }
      td.v { overflow-wrap: anywhere; white-space: pre-wrap; }
      tr:last-child td { border-bottom: 0; }
      .empty { padding: 8px; font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.params = [];
    this.filter = "";
  }

  override render() {
    const sorted = [...this.params].sort((a, b) => a.key.localeCompare(b.key));
    const shown = filterEntries(sorted, this.filter);
    return html`<div class="head">
        <h2>Parameters <span class="muted">(${this.params.length})</span></h2>
        <span class="spacer"></span>
        <input
          type="search"
          placeholder="Filter parameters"
          aria-label="Filter parameters"
          .value=${this.filter}
          @input=${(e: Event) => {
            this.filter = (e.target as HTMLInputElement).value;
          }}
        />
      </div>
      <div class="scroll">
        ${
          shown.length === 0
            ? html`<div class="muted empty">${this.params.length ? "No parameter matches the filter." : "No parameters logged."}</div>`
            : html`<table>
              <thead><tr><th scope="col">Parameter</th><th scope="col">Value</th></tr></thead>
              <tbody>
                ${shown.map((p) => html`<tr><td class="k mono">${p.key}</td><td class="v mono">${p.value}</td></tr>`)}
              </tbody>
            </table>`
        }
      </div>`;
  }
}
customElements.define("tl-params-table", TlParamsTable);
