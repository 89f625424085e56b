import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/dialog.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import "./genai-frame.js";
import { client } from "../api.js";
import { describeError } from "../components/error.js";
import { icons } from "../components/icons.js";
import { toast } from "../components/toast.js";
import { href, navigate } from "../router.js";
import { shared } from "../styles.js";
import { type DatasetView, datasetView } from "./dataset-view.js";
import { userTags } from "./genai-format.js";

const PAGE = 50;

/**
 * `#/experiments/:experimentId/datasets` (MLflow's path): the experiment's GenAI evaluation datasets, newest first,
 * with their record counts and tags; each opens its records; a dataset can be deleted (after a confirmation).
 * MLflow's `?selectedDatasetId=` opens that dataset's page.
 */
export class TlGenaiDatasetsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    datasets: { state: true },
    next: { state: true },
    error: { state: true },
    confirm: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare datasets: DatasetView[] | undefined;
  declare next: string | undefined;
  declare error: unknown;
  /** The dataset whose deletion waits for confirmation. */
  declare confirm: DatasetView | undefined;
  private loadedFor = "";

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      td.name a { font-weight: 600; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .empty code { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.datasets = undefined;
    this.next = undefined;
    this.error = undefined;
    this.confirm = undefined;
  }

  private get experimentId() {
    return this.params.experimentId ?? "";
  }

  override willUpdate(_changed: PropertyValues<this>) {
    // MLflow's UI links a dataset as `…/datasets?selectedDatasetId=<id>`: open its page.
    const selected = this.query.get("selectedDatasetId");
    if (selected) {
      const exp = encodeURIComponent(this.experimentId);
      navigate(`/experiments/${exp}/datasets/${encodeURIComponent(selected)}`, undefined, true);
      return;
    }
    if (this.experimentId !== this.loadedFor) {
      this.loadedFor = this.experimentId;
      this.datasets = undefined;
      void this.load();
    }
  }

  private async load(pageToken?: string) {
    const id = this.experimentId;
    this.error = undefined;
    try {
      const page = await client.searchEvaluationDatasets({
        experimentIds: [id],
        maxResults: PAGE,
        pageToken,
      });
      if (id !== this.experimentId) return;
      const got = page.items.map(datasetView);
      this.datasets = pageToken ? [...(this.datasets ?? []), ...got] : got;
      this.next = page.nextPageToken;
    } catch (e) {
      if (id === this.experimentId) this.error = e;
    }
  }

  private async deleteDataset(d: DatasetView) {
    this.confirm = undefined;
    try {
      await client.deleteEvaluationDataset(d.dataset.dataset_id);
      this.datasets = this.datasets?.filter((x) => x.dataset.dataset_id !== d.dataset.dataset_id);
      toast(`Deleted dataset ${d.dataset.name}.`);
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not delete ${d.dataset.name}: ${code}: ${message}`, "error");
    }
  }

  private renderTable(list: DatasetView[]) {
    const exp = encodeURIComponent(this.experimentId);
    if (list.length === 0) {
      return html`<div class="empty muted"><p>No evaluation datasets in this experiment. Create one with the Python client:</p>
        <pre class="mono">import mlflow.genai.datasets as gd
ds = gd.create_dataset(name="qa", experiment_id="${this.experimentId}")
ds.merge_records([{"inputs": {"question": "…"}, "expectations": {"answer": "…"}}])</pre></div>`;
    }
    return html`<table aria-label="Evaluation datasets">
      <thead><tr><th>Name</th><th class="num">Records</th><th>Tags</th><th>Created by</th><th>Created</th>
        <th>Last updated</th><th>Digest</th><th>ID</th><th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        ${list.map(
          (d) => html`<tr data-id=${d.dataset.dataset_id}>
            <td class="name"><a href=${href(`/experiments/${exp}/datasets/${encodeURIComponent(d.dataset.dataset_id)}`)}>${d.dataset.name}</a></td>
            <td class="num">${d.recordCount ?? 0}</td>
            <td>${Object.entries(userTags(d.tags)).map(([k, v]) => html`<span class="tag">${k}: ${v}</span>`)}</td>
            <td>${d.dataset.created_by ?? ""}</td>
            <td><tl-time .ms=${d.dataset.created_time}></tl-time></td>
            <td><tl-time .ms=${d.dataset.last_update_time}></tl-time></td>
            <td class="mono">${d.dataset.digest ?? ""}</td>
            <td><tl-copy .value=${d.dataset.dataset_id}></tl-copy></td>
            <td><button class="icon-button" title="Delete ${d.dataset.name}" aria-label="Delete ${d.dataset.name}"
              @click=${() => {
                this.confirm = d;
              }}>${icons.trash}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${this.next ? html`<p><button @click=${() => this.load(this.next)}>Load more</button></p>` : nothing}`;
  }

  override render() {
    const d = this.confirm;
    return html`<tl-genai-frame .experimentId=${this.experimentId} active="eval-datasets">
      ${
        this.error
          ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`
          : this.datasets
            ? this.renderTable(this.datasets)
            : html`<tl-skeleton rows="4" label="Loading evaluation datasets"></tl-skeleton>`
      }
      <tl-dialog heading="Delete dataset" ?open=${!!d} @close=${() => {
        this.confirm = undefined;
      }}>
        ${d ? html`<p>Delete <b>${d.dataset.name}</b> and its ${d.recordCount ?? 0} records? This cannot be undone.</p>` : nothing}
        <button slot="actions" @click=${() => {
          this.confirm = undefined;
        }}>Cancel</button>
        <button slot="actions" class="primary danger" @click=${() => d && this.deleteDataset(d)}>Delete</button>
      </tl-dialog>
    </tl-genai-frame>`;
  }
}
customElements.define("tl-genai-datasets-page", TlGenaiDatasetsPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-genai-datasets-page": TlGenaiDatasetsPage;
  }
}
