import type { DatasetRecord } from "@tracklite/client";
import { css, html, LitElement, nothing } from "lit";
import "../components/time.js";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { fieldEntries, userTags } from "./genai-format.js";

/** The record a row's action is about: `record-edit` and `record-delete` carry it. */
export type RecordAction = CustomEvent<DatasetRecord>;

/**
 * One page of an evaluation dataset's records: inputs, outputs, expectations and tags as `key: value` lines, the
 * source and the last update; each row has Edit and Delete buttons (the parent acts on `record-edit` and
 * `record-delete`).
 */
export class TlRecordsTable extends LitElement {
  static override properties = { records: { attribute: false }, experimentId: {} };
  declare records: DatasetRecord[];
  declare experimentId: string;

  static override styles = [
    shared,
    css`
      :host { overflow: auto; }
      table { font-size: 12.5px; }
      td { max-width: 360px; }
      .kv { display: flex; gap: 6px; line-height: 18px; }
      .kv .k { color: var(--tl-muted); white-space: nowrap; }
      .kv .v { font-family: var(--tl-mono); font-size: 12px; overflow-wrap: anywhere;
        display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
      td.actions { white-space: nowrap; }
      td.src { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.records = [];
    this.experimentId = "";
  }

  private emit(type: "record-edit" | "record-delete", record: DatasetRecord) {
    this.dispatchEvent(new CustomEvent<DatasetRecord>(type, { detail: record, bubbles: true, composed: true }));
  }

  private kv(v: unknown) {
    const entries = fieldEntries(v);
    if (entries.length === 0) return html`<span class="muted">—</span>`;
    return entries.map(
      ([k, x]) =>
        html`<div class="kv">${k ? html`<span class="k">${k}</span>` : nothing}<span class="v" title=${x}>${x}</span></div>`,
    );
  }

  private source(r: DatasetRecord) {
    const type = r.source?.source_type ?? r.source_type;
    if (!type) return html`<span class="muted">—</span>`;
    const traceId = type === "TRACE" ? r.source_id : undefined;
    return traceId
      ? html`${type} <a href="#/experiments/${encodeURIComponent(this.experimentId)}/traces/${encodeURIComponent(traceId)}">${traceId.slice(0, 11)}</a>`
      : html`${type}`;
  }

  override render() {
    return html`<table aria-label="Records">
      <thead><tr><th>Inputs</th><th>Outputs</th><th>Expectations</th><th>Tags</th><th>Source</th><th>Updated</th>
        <th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        ${this.records.map(
          (r) => html`<tr data-id=${r.dataset_record_id}>
            <td>${this.kv(r.inputs)}</td>
            <td>${this.kv(r.outputs && typeof r.outputs === "object" && !Object.keys(r.outputs).length ? undefined : r.outputs)}</td>
            <td class="exp">${this.kv(r.expectations)}</td>
            <td class="tags">${this.kv(userTags(r.tags))}</td>
            <td class="src">${this.source(r)}</td>
            <td><tl-time .ms=${r.last_update_time}></tl-time>${r.last_updated_by ? html`<div class="muted">${r.last_updated_by}</div>` : nothing}</td>
            <td class="actions">
              <button class="icon-button" title="Edit expectations and tags" aria-label="Edit record"
                @click=${() => this.emit("record-edit", r)}>${icons.edit}</button>
              <button class="icon-button" title="Delete record" aria-label="Delete record"
                @click=${() => this.emit("record-delete", r)}>${icons.trash}</button>
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
customElements.define("tl-records-table", TlRecordsTable);

declare global {
  interface HTMLElementTagNameMap {
    "tl-records-table": TlRecordsTable;
  }
}
