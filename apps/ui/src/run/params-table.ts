import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { filterTable, filterTableStyles } from "./filter-table.js";
import { filterEntries } from "./run-info.js";

/** A run's parameters: key and value (monospace), with a filter box on keys and values. */
export class TlParamsTable extends LitElement {
  static override properties = { params: { attribute: false }, filter: { state: true } };
  declare params: { key: string; value: string }[];
  declare filter: string;

  static override styles = [
    shared,
    filterTableStyles,
    css`
      td.k { width: 40%; overflow-wrap: anywhere; }
      td.v { overflow-wrap: anywhere; white-space: pre-wrap; }
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
    return filterTable({
      title: "Parameters",
      count: this.params.length,
      filterLabel: "Filter parameters",
      filter: this.filter,
      onFilter: (text) => {
        this.filter = text;
      },
      shown: shown.length,
      noMatch: "No parameter matches the filter.",
      none: "No parameters logged.",
      table: () => html`<table>
        <thead><tr><th scope="col">Parameter</th><th scope="col">Value</th></tr></thead>
        <tbody>
          ${shown.map((p) => html`<tr><td class="k mono">${p.key}</td><td class="v mono">${p.value}</td></tr>`)}
        </tbody>
      </table>`,
    });
  }
}
customElements.define("tl-params-table", TlParamsTable);
