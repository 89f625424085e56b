import type { DatasetRecord } from "@tracklite/client";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/dialog.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/tag-editor.js";
import "../components/time.js";
import "./genai-frame.js";
import "./record-editor.js";
import "./records-table.js";
import { client } from "../api.js";
import { describeError } from "../components/error.js";
import { toast } from "../components/toast.js";
import { href, navigate } from "../router.js";
import { shared } from "../styles.js";
import { type DatasetView, datasetView } from "./dataset-view.js";
import { pageRange } from "./genai-format.js";
import type { RecordEdit } from "./record-editor.js";

const PAGE_SIZES = [25, 50, 100] as const;

/**
 * `#/experiments/:experimentId/datasets/:datasetId` (MLflow's path): one evaluation dataset — its tags (editable),
 * digest, counts and schema — and its records a page at a time. A record's expectations and tags can be edited and a
 * record or the dataset deleted. The page (`p`, `from`: the page's token) and its size (`size`) are in the URL.
 */
export class TlGenaiDatasetPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    view: { state: true },
    records: { state: true },
    next: { state: true },
    error: { state: true },
    recordsError: { state: true },
    editing: { state: true },
    saving: { state: true },
    deleting: { state: true },
    deletingDataset: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare view: DatasetView | undefined;
  declare records: DatasetRecord[] | undefined;
  declare next: string | undefined;
  declare error: unknown;
  declare recordsError: unknown;
  declare editing: DatasetRecord | undefined;
  declare saving: boolean;
  declare deleting: DatasetRecord | undefined;
  declare deletingDataset: boolean;
  /** The token of each page seen so far (index 0: the first page, no token), for Previous. */
  private tokens: (string | undefined)[] = [undefined];
  private loadedDataset = "";
  private loadedPage = "";

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .head { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
      .head h2 { margin: 0; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 12.5px; }
      dt { color: var(--tl-muted); }
      dd { margin: 0; }
      .pager { display: flex; align-items: center; gap: 8px; font-size: 12.5px; }
      .pager .range { font-variant-numeric: tabular-nums; }
      select { font-size: 12.5px; padding: 2px 4px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.view = undefined;
    this.records = undefined;
    this.next = undefined;
    this.error = undefined;
    this.recordsError = undefined;
    this.editing = undefined;
    this.saving = false;
    this.deleting = undefined;
    this.deletingDataset = false;
  }

  private get experimentId() {
    return this.params.experimentId ?? "";
  }
  private get datasetId() {
    return this.params.datasetId ?? "";
  }
  private get pageSize(): number {
    const n = Number(this.query.get("size"));
    return (PAGE_SIZES as readonly number[]).includes(n) ? n : PAGE_SIZES[0];
  }
  private get pageIndex(): number {
    const n = Number(this.query.get("p"));
    return Number.isInteger(n) && n > 0 && this.query.get("from") ? n : 0;
  }

  override willUpdate(_changed: PropertyValues<this>) {
    if (this.datasetId !== this.loadedDataset) {
      this.loadedDataset = this.datasetId;
      this.tokens = [undefined];
      this.view = undefined;
      void this.loadDataset();
    }
    const from = this.query.get("from") ?? "";
    const pageKey = `${this.datasetId}|${this.pageSize}|${from}`;
    if (pageKey !== this.loadedPage) {
      this.loadedPage = pageKey;
      if (from) this.tokens[this.pageIndex] = from;
      void this.loadRecords();
    }
  }

  private async loadDataset() {
    const id = this.datasetId;
    this.error = undefined;
    try {
      const ds = await client.getEvaluationDataset(id);
      if (id === this.datasetId) this.view = datasetView(ds);
    } catch (e) {
      if (id === this.datasetId) this.error = e;
    }
  }

  private async loadRecords() {
    const key = this.loadedPage;
    this.recordsError = undefined;
    try {
      const page = await client.getDatasetRecords(this.datasetId, {
        maxResults: this.pageSize,
        pageToken: this.query.get("from") || undefined,
      });
      if (key !== this.loadedPage) return;
      this.records = page.items;
      this.next = page.nextPageToken;
    } catch (e) {
      if (key === this.loadedPage) this.recordsError = e;
    }
  }

  private reload() {
    void this.loadDataset();
    void this.loadRecords();
  }

  private goTo(index: number, token: string | undefined, size = this.pageSize) {
    if (token) this.tokens[index] = token;
    navigate(this.path(), {
      p: token ? String(index) : undefined,
      from: token,
      size: size === PAGE_SIZES[0] ? undefined : String(size),
    });
  }

  private path() {
    return `/experiments/${encodeURIComponent(this.experimentId)}/datasets/${encodeURIComponent(this.datasetId)}`;
  }

  private async setTag(key: string, value: string | undefined) {
    try {
      if (value === undefined) await client.deleteDatasetTag(this.datasetId, key);
      else await client.setDatasetTags(this.datasetId, { [key]: value });
      await this.loadDataset();
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not save tag ${key}: ${code}: ${message}`, "error");
    }
  }

  /** Writes an edit: a merge when keys were only changed or added; a re-created record when some were removed. */
  private async save(edit: RecordEdit) {
    const r = edit.record;
    this.saving = true;
    try {
      if (edit.recreate) {
        await client.deleteDatasetRecords(this.datasetId, [r.dataset_record_id]);
        await client.upsertDatasetRecords(this.datasetId, [
          { inputs: r.inputs, outputs: r.outputs, expectations: edit.expectations, tags: edit.tags, source: r.source },
        ]);
      } else {
        await client.upsertDatasetRecords(this.datasetId, [
          { inputs: r.inputs, expectations: edit.expectations, tags: edit.tags },
        ]);
      }
      this.editing = undefined;
      toast("Record saved.");
      this.reload();
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not save the record: ${code}: ${message}`, "error");
    } finally {
      this.saving = false;
    }
  }

  private async removeRecord(r: DatasetRecord) {
    this.deleting = undefined;
    try {
      await client.deleteDatasetRecords(this.datasetId, [r.dataset_record_id]);
      toast("Record deleted.");
      this.reload();
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not delete the record: ${code}: ${message}`, "error");
    }
  }

  private async removeDataset() {
    this.deletingDataset = false;
    try {
      await client.deleteEvaluationDataset(this.datasetId);
      toast(`Deleted dataset ${this.view?.dataset.name ?? this.datasetId}.`);
      navigate(`/experiments/${encodeURIComponent(this.experimentId)}/datasets`);
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not delete the dataset: ${code}: ${message}`, "error");
    }
  }

  private renderHeader(v: DatasetView) {
    const d = v.dataset;
    const fields = (part: string) => Object.keys((v.schema[part] as Record<string, unknown> | undefined) ?? {});
    return html`<div class="head">
        <h2>${d.name}</h2><tl-copy .value=${d.dataset_id} .short=${0}></tl-copy>
        <span class="spacer"></span>
        <button class="danger" @click=${() => {
          this.deletingDataset = true;
        }}>Delete dataset</button>
      </div>
      <dl>
        <dt>Records</dt><dd class="count">${v.recordCount ?? 0}</dd>
        <dt>Digest</dt><dd class="mono">${d.digest ?? "—"}</dd>
        <dt>Created</dt><dd><tl-time .ms=${d.created_time}></tl-time>${d.created_by ? ` by ${d.created_by}` : ""}</dd>
        <dt>Last updated</dt><dd><tl-time .ms=${d.last_update_time}></tl-time>${d.last_updated_by ? ` by ${d.last_updated_by}` : ""}</dd>
        <dt>Fields</dt><dd>${["inputs", "outputs", "expectations"].map((p) => (fields(p).length ? html`<span class="muted">${p}:</span> ${fields(p).join(", ")} ` : nothing))}</dd>
        <dt>Tags</dt><dd><tl-tag-editor .tags=${v.tags} editable
          @tag-set=${(e: CustomEvent<{ key: string; value: string }>) => this.setTag(e.detail.key, e.detail.value)}
          @tag-delete=${(e: CustomEvent<{ key: string }>) => this.setTag(e.detail.key, undefined)}></tl-tag-editor></dd>
      </dl>`;
  }

  private renderRecords() {
    if (this.recordsError) {
      return html`<tl-error .error=${this.recordsError} @retry=${() => this.loadRecords()}></tl-error>`;
    }
    const records = this.records;
    if (!records) return html`<tl-skeleton rows="6" label="Loading records"></tl-skeleton>`;
    const i = this.pageIndex;
    const prev = i > 0 ? this.tokens[i - 1] : undefined;
    const canPrev = i > 0 && (i === 1 || prev !== undefined);
    return html`<div class="toolbar pager" role="navigation" aria-label="Record pages">
        <span class="range">Records ${pageRange(i, this.pageSize, records.length, this.view?.recordCount)}</span>
        <button ?disabled=${!canPrev} @click=${() => this.goTo(i - 1, i - 1 === 0 ? undefined : prev)}>Previous</button>
        <button ?disabled=${!this.next} @click=${() => this.goTo(i + 1, this.next)}>Next</button>
        ${i > 1 && !canPrev ? html`<button @click=${() => this.goTo(0, undefined)}>First page</button>` : nothing}
        <label>Per page <select aria-label="Records per page" @change=${(e: Event) =>
          this.goTo(0, undefined, Number((e.target as HTMLSelectElement).value))}>
          ${PAGE_SIZES.map((n) => html`<option value=${n} ?selected=${n === this.pageSize}>${n}</option>`)}
        </select></label>
      </div>
      ${
        records.length
          ? html`<tl-records-table .records=${records} .experimentId=${this.experimentId}
              @record-edit=${(e: CustomEvent<DatasetRecord>) => {
                this.editing = e.detail;
              }}
              @record-delete=${(e: CustomEvent<DatasetRecord>) => {
                this.deleting = e.detail;
              }}></tl-records-table>`
          : html`<p class="muted">No records.</p>`
      }`;
  }

  override render() {
    const exp = encodeURIComponent(this.experimentId);
    return html`<tl-genai-frame .experimentId=${this.experimentId} active="eval-datasets"
        .crumb=${{ label: "Evaluation datasets", href: href(`/experiments/${exp}/datasets`) }}>
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.loadDataset()}></tl-error>` : nothing}
      ${this.view ? this.renderHeader(this.view) : this.error ? nothing : html`<tl-skeleton rows="3" label="Loading the dataset"></tl-skeleton>`}
      ${this.error ? nothing : this.renderRecords()}
      <tl-record-editor .record=${this.editing} ?saving=${this.saving}
        @record-save=${(e: CustomEvent<RecordEdit>) => this.save(e.detail)}
        @close=${() => {
          this.editing = undefined;
        }}></tl-record-editor>
      <tl-dialog heading="Delete record" ?open=${!!this.deleting} @close=${() => {
        this.deleting = undefined;
      }}>
        <p>Delete this record? This cannot be undone.</p>
        <button slot="actions" @click=${() => {
          this.deleting = undefined;
        }}>Cancel</button>
        <button slot="actions" class="primary danger" @click=${() => this.deleting && this.removeRecord(this.deleting)}>Delete</button>
      </tl-dialog>
      <tl-dialog heading="Delete dataset" ?open=${this.deletingDataset} @close=${() => {
        this.deletingDataset = false;
      }}>
        <p>Delete <b>${this.view?.dataset.name ?? this.datasetId}</b> and its ${this.view?.recordCount ?? 0} records? This cannot be undone.</p>
        <button slot="actions" @click=${() => {
          this.deletingDataset = false;
        }}>Cancel</button>
        <button slot="actions" class="primary danger" @click=${() => this.removeDataset()}>Delete</button>
      </tl-dialog>
    </tl-genai-frame>`;
  }
}
customElements.define("tl-genai-dataset-page", TlGenaiDatasetPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-genai-dataset-page": TlGenaiDatasetPage;
  }
}
