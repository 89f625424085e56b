import type { LoggedModel, ModelVersion, Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/time.js";
import { loggedModelHref, taggedVersions, versionHref } from "../registry/logged-model-tag.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";
import { loadLoggedModels, loadRegisteredVersions } from "./run-data.js";

type Slot<T> = { value?: T; error?: unknown };

/**
 * The run page's Models tab: the run's logged models (MLflow 3) and the registered model versions made from it.
 * `tick` re-reads both (after a registration, or on a live refresh).
 */
export class TlRunModels extends LitElement {
  static override properties = {
    run: { attribute: false },
    tick: { type: Number },
    models: { state: true },
    versions: { state: true },
  };
  declare run: Run;
  declare tick: number;
  declare models: Slot<LoggedModel[]>;
  declare versions: Slot<ModelVersion[]>;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      h2:first-child { margin-top: 0; }
      table { font-size: 12.5px; }
      td { vertical-align: middle; }
      .empty { font-size: 13px; }
      a.reg + a.reg { margin-left: 8px; }
    `,
  ];

  constructor() {
    super();
    this.tick = 0;
    this.models = {};
    this.versions = {};
  }

  override willUpdate(changed: PropertyValues<this>) {
    const prev = changed.get("run") as Run | undefined;
    if (!this.run) return;
    const newRun = changed.has("run") && prev?.info.run_id !== this.run.info.run_id;
    if (newRun) {
      this.models = {};
      this.versions = {};
    }
    if (newRun || changed.has("tick")) {
      void this.loadModels();
      void this.loadVersions();
    }
  }

  private loadModels = async () => {
    const runId = this.run.info.run_id;
    try {
      const value = await loadLoggedModels(this.run);
      if (runId === this.run.info.run_id) this.models = { value };
    } catch (error) {
      if (runId === this.run.info.run_id) this.models = { error };
    }
  };

  private loadVersions = async () => {
    const runId = this.run.info.run_id;
    try {
      const value = await loadRegisteredVersions(runId);
      if (runId === this.run.info.run_id) this.versions = { value };
    } catch (error) {
      if (runId === this.run.info.run_id) this.versions = { error };
    }
  };

  private artifactsHref(modelId: string) {
    return href(`/experiments/${seg(this.run.info.experiment_id)}/runs/${seg(this.run.info.run_id)}`, {
      tab: "artifacts",
      src: modelId,
    });
  }

  private renderModels() {
    const m = this.models;
    if (m.error !== undefined) return html`<tl-error .error=${m.error} @retry=${this.loadModels}></tl-error>`;
    if (!m.value) return html`<tl-skeleton .rows=${2} label="Loading logged models"></tl-skeleton>`;
    if (m.value.length === 0) {
      return html`<p class="muted empty">No logged models. Log one with <code>mlflow.&lt;flavor&gt;.log_model(…)</code>.</p>`;
    }
    return html`<table>
      <thead>
        <tr>
          <th scope="col">Name</th><th scope="col">Model ID</th><th scope="col">Status</th><th scope="col">Type</th>
          <th scope="col">Registered as</th><th scope="col">Created</th><th scope="col">Files</th>
        </tr>
      </thead>
      <tbody>
        ${m.value.map(
          (lm) => html`<tr>
            <td><a href=${loggedModelHref(lm.info.experiment_id, lm.info.model_id)}>${lm.info.name}</a></td>
            <td><tl-copy .value=${lm.info.model_id} .short=${12}></tl-copy></td>
            <td><tl-pill .status=${lm.info.status}></tl-pill></td>
            <td>${lm.info.model_type ?? ""}</td>
            <td>${taggedVersions(lm).map(
              (r) => html`<a class="reg" href=${versionHref(r.name, r.version)}>${r.name} v${r.version}</a>`,
            )}</td>
            <td><tl-time .ms=${lm.info.creation_timestamp_ms}></tl-time></td>
            <td><a href=${this.artifactsHref(lm.info.model_id)}>Artifacts</a></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderVersions() {
    const v = this.versions;
    if (v.error !== undefined) return html`<tl-error .error=${v.error} @retry=${this.loadVersions}></tl-error>`;
    if (!v.value) return html`<tl-skeleton .rows=${2} label="Loading registered versions"></tl-skeleton>`;
    if (v.value.length === 0) {
      return html`<p class="muted empty">
        Not registered yet. Open a model folder in Artifacts and choose “Register model”.
      </p>`;
    }
    return html`<table>
      <thead>
        <tr>
          <th scope="col">Registered model</th><th scope="col">Version</th><th scope="col">Aliases</th>
          <th scope="col">Stage</th><th scope="col">Status</th><th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        ${v.value.map(
          (mv) => html`<tr>
            <td><a href=${href(`/models/${seg(mv.name)}`)}>${mv.name}</a></td>
            <td><a href=${href(`/models/${seg(mv.name)}/versions/${seg(mv.version)}`)}>Version ${mv.version}</a></td>
            <td>${(mv.aliases ?? []).map((a) => html`<span class="tag">@${a}</span>`)}</td>
            <td>${mv.current_stage && mv.current_stage !== "None" ? mv.current_stage : nothing}</td>
            <td>${mv.status ? html`<tl-pill .status=${mv.status}></tl-pill>` : nothing}</td>
            <td><tl-time .ms=${mv.creation_timestamp}></tl-time></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    if (!this.run) return nothing;
    return html`<h2>Logged models <span class="muted">(${this.models.value?.length ?? "…"})</span></h2>
      ${this.renderModels()}
      <h2>Registered model versions <span class="muted">(${this.versions.value?.length ?? "…"})</span></h2>
      ${this.renderVersions()}`;
  }
}
customElements.define("tl-run-models", TlRunModels);
