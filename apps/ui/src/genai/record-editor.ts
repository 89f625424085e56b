import type { DatasetRecord } from "@tracklite/client";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/dialog.js";
import { shared } from "../styles.js";
import { readJsonObject, removedKeys } from "./genai-format.js";

/** What the editor hands back: the record's new expectations and tags, and whether keys were removed. */
export interface RecordEdit {
  record: DatasetRecord;
  expectations: Record<string, unknown>;
  tags: Record<string, string>;
  /** A key was removed: an upsert only adds and overwrites, so the record must be re-created. */
  recreate: boolean;
}

const pretty = (v: unknown) => JSON.stringify(v ?? {}, null, 2);

/**
 * A dialog to edit one record's expectations and tags as JSON. Checks the JSON, then fires `record-save` (detail
 * {@link RecordEdit}); the parent writes it and closes the dialog (`record` back to undefined). Fires `close` on cancel.
 */
export class TlRecordEditor extends LitElement {
  static override properties = {
    record: { attribute: false },
    saving: { type: Boolean },
    error: { state: true },
  };
  declare record: DatasetRecord | undefined;
  declare saving: boolean;
  declare error: string;

  static override styles = [
    shared,
    css`
      label { display: block; font-weight: 600; font-size: 12.5px; margin: 8px 0 4px; }
      textarea { width: 100%; box-sizing: border-box; font-family: var(--tl-mono); font-size: 12.5px; min-height: 110px; }
      .inputs { font-family: var(--tl-mono); font-size: 12px; background: var(--tl-bg-alt); padding: 6px 8px;
        border-radius: var(--tl-radius); white-space: pre-wrap; max-height: 120px; overflow: auto; margin: 0; }
      .note { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.record = undefined;
    this.saving = false;
    this.error = "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("record")) this.error = "";
  }

  private clearError = () => {
    this.error = "";
  };

  private field(name: string): string {
    return this.renderRoot.querySelector<HTMLTextAreaElement>(`textarea[name=${name}]`)?.value ?? "";
  }

  private save() {
    const record = this.record;
    if (!record) return;
    const exp = readJsonObject(this.field("expectations"), "Expectations");
    if (!exp.ok) {
      this.error = exp.error;
      return;
    }
    const tags = readJsonObject(this.field("tags"), "Tags", true);
    if (!tags.ok) {
      this.error = tags.error;
      return;
    }
    const recreate =
      removedKeys(record.expectations, exp.value).length > 0 || removedKeys(record.tags, tags.value).length > 0;
    const detail: RecordEdit = {
      record,
      expectations: exp.value,
      tags: tags.value as Record<string, string>,
      recreate,
    };
    this.dispatchEvent(new CustomEvent<RecordEdit>("record-save", { detail, bubbles: true, composed: true }));
  }

  override render() {
    const r = this.record;
    return html`<tl-dialog heading="Edit record" ?open=${!!r}>
      ${
        r
          ? html`<label>Inputs</label><pre class="inputs">${pretty(r.inputs)}</pre>
            <label for="exp">Expectations (JSON)</label>
            <textarea id="exp" name="expectations" spellcheck="false" .value=${pretty(r.expectations)}
              @input=${this.clearError}></textarea>
            <label for="tags">Tags (JSON, string values)</label>
            <textarea id="tags" name="tags" spellcheck="false" .value=${pretty(r.tags)}
              @input=${this.clearError}></textarea>
            <p class="muted note">Saving merges into the record, as <code>merge_records</code> does. Removing a key
              re-creates the record (it gets a new id).</p>
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`
          : nothing
      }
      <button slot="actions" @click=${() => this.dispatchEvent(new CustomEvent("close", { bubbles: true, composed: true }))}>Cancel</button>
      <button slot="actions" class="primary" ?disabled=${this.saving} @click=${() => this.save()}>${this.saving ? "Saving…" : "Save"}</button>
    </tl-dialog>`;
  }
}
customElements.define("tl-record-editor", TlRecordEditor);

declare global {
  interface HTMLElementTagNameMap {
    "tl-record-editor": TlRecordEditor;
  }
}
