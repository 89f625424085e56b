import type { LoggedModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/time.js";
import { client } from "../api.js";
import { loggedModelHref, taggedVersions, versionHref } from "../registry/logged-model-tag.js";
import { href } from "../router.js";
import { shared } from "../styles.js";

/** The Models tab: the experiment's logged models (MLflow 3), with their source runs; pages of 100. */
export class TlExperimentModels extends LitElement {
  static override properties = {
    experimentId: {},
    runNames: { attribute: false },
    models: { state: true },
    nextToken: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  declare experimentId: string;
  /** Names of loaded runs, by id, for the source-run links. */
  declare runNames: ReadonlyMap<string, string>;
  declare models: LoggedModel[] | undefined;
  declare nextToken: string | undefined;
  declare loading: boolean;
  declare error: unknown;
  private seq = 0;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      td, th { white-space: nowrap; }
      td.name { font-weight: 600; }
      .more { margin-top: 8px; }
      a.reg + a.reg { margin-left: 8px; }
    `,
  ];

  constructor() {
    super();
    this.experimentId = "";
    this.runNames = new Map();
    this.models = undefined;
    this.nextToken = undefined;
    this.loading = false;
    this.error = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("experimentId") && this.experimentId) void this.load(false);
  }

  private async load(more: boolean) {
    const seq = ++this.seq;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await client.searchLoggedModels({
        experimentIds: [this.experimentId],
        maxResults: 100,
        pageToken: more ? this.nextToken : undefined,
      });
      if (seq !== this.seq) return;
      this.models = more ? [...(this.models ?? []), ...page.items] : page.items;
      this.nextToken = page.nextPageToken || undefined;
    } catch (e) {
      if (seq === this.seq) this.error = e;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  override render() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load(false)}></tl-error>`;
    if (!this.models) return html`<tl-skeleton .rows=${4} label="Loading logged models"></tl-skeleton>`;
    if (this.models.length === 0) {
      return html`<p class="muted">No logged models in this experiment. Models logged with
        <code>mlflow.&lt;flavor&gt;.log_model(...)</code> in MLflow 3 show here.</p>`;
    }
    return html`<table aria-label="Logged models">
        <thead><tr><th>Name</th><th>Registered as</th><th>Status</th><th>Created</th><th>Source run</th><th>Model ID</th><th>Type</th></tr></thead>
        <tbody>
          ${this.models.map((m) => {
            const i = m.info;
            const run = i.source_run_id;
            return html`<tr>
              <td class="name"><a href=${loggedModelHref(i.experiment_id, i.model_id)}>${i.name}</a></td>
              <td>${taggedVersions(m).map(
                (r) => html`<a class="reg" href=${versionHref(r.name, r.version)}>${r.name} v${r.version}</a>`,
              )}</td>
              <td><tl-pill .status=${i.status}></tl-pill></td>
              <td><tl-time .ms=${i.creation_timestamp_ms}></tl-time></td>
              <td>${
                run
                  ? html`<a href=${href(`/experiments/${this.experimentId}/runs/${run}`)}>${this.runNames.get(run) ?? run.slice(0, 8)}</a>`
                  : html`<span class="muted">—</span>`
              }</td>
              <td><tl-copy .value=${i.model_id} .short=${12}></tl-copy></td>
              <td>${i.model_type ?? ""}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${
        this.nextToken
          ? html`<button class="more" ?disabled=${this.loading} @click=${() => this.load(true)}>Load more models</button>`
          : ""
      }`;
  }
}
customElements.define("tl-experiment-models", TlExperimentModels);

declare global {
  interface HTMLElementTagNameMap {
    "tl-experiment-models": TlExperimentModels;
  }
}
