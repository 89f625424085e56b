import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/copy.js";
import "../components/description.js";
import "../components/dialog.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/tag-editor.js";
import "../components/time.js";
import { toast } from "../components/toast.js";
import { ActionErrors } from "../registry/action-errors.js";
import "../registry/alias-editor.js";
import type { AliasDetail } from "../registry/alias-editor.js";
import { isPrompt, promptTemplate } from "../registry/model-filters.js";
import "../registry/version-mlmodel.js";
import { parseModelSource } from "../registry/model-source.js";
import "../registry/run-link.js";
import { withTag } from "../lib/format.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

const STAGES = ["None", "Staging", "Production", "Archived"] as const;

/**
 * `#/models/:name/versions/:version`: one model version: source run and source, stage (with transitions), status,
 * aliases, tags, description and its MLmodel file (flavors, signature); for a prompt version, its template.
 */
export class TlModelVersionPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    mv: { state: true },
    error: { state: true },
    stage: { state: true },
    archive: { state: true },
    confirmDelete: { state: true },
    logged: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare mv: ModelVersion | undefined;
  declare error: unknown;
  /** The stage picked in the transition control. */
  declare stage: string;
  declare archive: boolean;
  declare confirmDelete: boolean;
  /** The logged model the version was made from (MLflow 3 `models:/m-…` sources), once read. */
  declare logged: LoggedModel | undefined;
  private actions = new ActionErrors(this);
  private seq = 0;

  static override styles = [
    shared,
    css`
      .crumbs { font-size: 13px; margin-bottom: 4px; }
      .head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .head h1 { margin: 0; word-break: break-all; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 24px; align-items: start; margin-top: 12px; }
      @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
      dl {
        display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 16px; margin: 0 0 16px;
        align-items: center;
      }
      dt { color: var(--tl-muted); }
      dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
      .stage { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .stage label { font-size: 12.5px; display: inline-flex; gap: 4px; align-items: center; }
      section { margin-bottom: 20px; }
      section h2 { margin-top: 0; }
      aside section { border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 10px 12px; }
      aside h2 { font-size: 14px; }
      pre.template {
        background: var(--tl-bg-alt); border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 10px 12px;
        white-space: pre-wrap; font-family: var(--tl-mono); font-size: 12.5px; margin: 0;
      }
      tl-error { margin-top: 6px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.mv = undefined;
    this.error = undefined;
    this.stage = "None";
    this.archive = false;
    this.confirmDelete = false;
    this.logged = undefined;
  }

  private get name() {
    return this.params.name ?? "";
  }
  private get version() {
    return this.params.version ?? "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get("params");
    if (changed.has("params") && (before?.name !== this.name || before?.version !== this.version)) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    this.mv = undefined;
    this.error = undefined;
    this.confirmDelete = false;
    this.logged = undefined;
    this.actions.clear();
    try {
      const mv = await client.getModelVersion(this.name, this.version);
      if (seq !== this.seq) return;
      this.show(mv);
      const parsed = parseModelSource(mv.source ?? "");
      if (parsed.kind === "logged-model") {
        client.getLoggedModel(parsed.modelId).then(
          (m) => {
            if (seq === this.seq) this.logged = m;
          },
          () => {},
        );
      }
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  private show(mv: ModelVersion) {
    this.mv = mv;
    this.stage = mv.current_stage || "None";
  }

  private async transition() {
    const stage = this.stage;
    const archive = this.archive && (stage === "Staging" || stage === "Production");
    const ok = await this.actions.run("stage", async () => {
      this.show(await client.transitionModelVersionStage(this.name, this.version, stage, archive));
    });
    if (ok) toast(`Version ${this.version} moved to ${stage}${archive ? "; other versions there archived" : ""}`);
  }

  private async saveDescription(text: string) {
    await this.actions.run("description", async () => {
      this.show(await client.updateModelVersion(this.name, this.version, text));
    });
  }

  private patch(changes: Partial<ModelVersion>) {
    if (this.mv) this.mv = { ...this.mv, ...changes };
  }

  private async setTag({ key, value }: { key: string; value: string }) {
    await this.actions.run("tags", async () => {
      await client.setModelVersionTag(this.name, this.version, key, value);
      this.patch({ tags: withTag(this.mv?.tags, key, value) });
    });
  }

  private async deleteTag({ key }: { key: string }) {
    await this.actions.run("tags", async () => {
      await client.deleteModelVersionTag(this.name, this.version, key);
      this.patch({ tags: withTag(this.mv?.tags, key) });
    });
  }

  private async setAlias({ alias }: AliasDetail) {
    await this.actions.run("aliases", async () => {
      await client.setRegisteredModelAlias(this.name, alias, this.version);
      this.patch({ aliases: [...new Set([...(this.mv?.aliases ?? []), alias])] });
    });
  }

  private async deleteAlias({ alias }: { alias: string }) {
    await this.actions.run("aliases", async () => {
      await client.deleteRegisteredModelAlias(this.name, alias);
      this.patch({ aliases: (this.mv?.aliases ?? []).filter((a) => a !== alias) });
    });
  }

  private async deleteVersion() {
    const ok = await this.actions.run("delete", () => client.deleteModelVersion(this.name, this.version));
    if (ok) {
      this.confirmDelete = false;
      toast(`Deleted version ${this.version} of ${this.name}`);
      navigate(`/models/${seg(this.name)}`);
    }
  }

  private renderStage(mv: ModelVersion) {
    const current = mv.current_stage || "None";
    const canArchive = this.stage === "Staging" || this.stage === "Production";
    return html`<div class="stage">
        <select
          aria-label="Stage"
          .value=${this.stage}
          @change=${(e: Event) => {
            this.stage = (e.target as HTMLSelectElement).value;
          }}
        >
          ${STAGES.map((s) => html`<option value=${s} ?selected=${s === this.stage}>${s}</option>`)}
        </select>
        <label title="Move the versions now in ${canArchive ? this.stage : "Staging or Production"} to Archived">
          <input
            type="checkbox"
            .checked=${this.archive}
            ?disabled=${!canArchive}
            @change=${(e: Event) => {
              this.archive = (e.target as HTMLInputElement).checked;
            }}
          />
          Archive existing versions in this stage
        </label>
        <button
          class="primary"
          ?disabled=${this.stage === current || this.actions.busy("stage")}
          @click=${() => this.transition()}
        >Transition</button>
      </div>
      ${this.actions.render("stage")}`;
  }

  private renderDetails(mv: ModelVersion, prompt: boolean) {
    const source = mv.source ?? "";
    const parsed = parseModelSource(source);
    return html`<dl>
      <dt>Status</dt>
      <dd>
        <tl-pill .status=${mv.status ?? "READY"}></tl-pill>
        ${mv.status_message ? html`<span class="muted">${mv.status_message}</span>` : ""}
      </dd>
      ${prompt ? "" : html`<dt>Stage</dt><dd>${this.renderStage(mv)}</dd>`}
      ${
        prompt
          ? ""
          : html`<dt>Source run</dt>
              <dd>${mv.run_id ? html`<tl-run-link .runId=${mv.run_id}></tl-run-link>` : html`<span class="muted">—</span>`}</dd>
              <dt>Source</dt>
              <dd>${source ? html`<tl-copy .value=${source} .short=${0}></tl-copy>` : html`<span class="muted">—</span>`}</dd>`
      }
      ${
        parsed.kind === "logged-model"
          ? html`<dt>Logged model</dt><dd>${
              this.logged
                ? html`<a href=${href(`/experiments/${seg(this.logged.info.experiment_id)}/models/${seg(parsed.modelId)}`)}
                    >${this.logged.info.name}</a> `
                : ""
            }<tl-copy .value=${parsed.modelId} .short=${0}></tl-copy></dd>`
          : ""
      }
      <dt>Created</dt>
      <dd><tl-time .ms=${mv.creation_timestamp}></tl-time>${mv.user_id ? html` by ${mv.user_id}` : ""}</dd>
      <dt>Last modified</dt>
      <dd><tl-time .ms=${mv.last_updated_timestamp}></tl-time></dd>
    </dl>`;
  }

  override render() {
    const base = `/models/${seg(this.name)}`;
    const mv = this.mv;
    const prompt = isPrompt(mv);
    const crumbs = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href=${href(prompt ? "/prompts" : "/models")}>${prompt ? "Prompts" : "Models"}</a> /
      <a href=${href(base)}>${this.name}</a> /
    </nav>`;
    const title = html`<h1>${this.name} · Version ${this.version}</h1>`;
    if (this.error)
      return html`${crumbs}${title}<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!mv) return html`${crumbs}${title}<tl-skeleton .rows=${6} label="Loading model version"></tl-skeleton>`;
    const tags = Object.fromEntries(
      (mv.tags ?? []).filter((t) => !t.key.startsWith("_mlflow")).map((t) => [t.key, t.value]),
    );
    return html`
      ${crumbs}
      <div class="head">
        ${title}
        <span class="spacer"></span>
        <button class="danger" @click=${() => {
          this.confirmDelete = true;
        }}>Delete version</button>
      </div>
      <div class="layout">
        <div class="main">
          ${this.renderDetails(mv, prompt)}
          <section>
            <h2>${prompt ? "Commit message" : "Description"}</h2>
            <tl-description
              .value=${mv.description ?? ""}
              editable
              @save=${(e: CustomEvent<string>) => this.saveDescription(e.detail)}
            ></tl-description>
            ${this.actions.render("description")}
          </section>
          ${
            prompt
              ? html`<section><h2>Template</h2><pre class="template">${promptTemplate(mv) ?? ""}</pre></section>`
              : html`<section><h2>MLmodel</h2><tl-version-mlmodel .source=${mv.source ?? ""}></tl-version-mlmodel></section>`
          }
        </div>
        <aside>
          <section>
            <h2>Aliases</h2>
            <tl-alias-editor
              .modelName=${this.name}
              .aliases=${(mv.aliases ?? []).map((alias) => ({ alias, version: mv.version }))}
              .versions=${[mv.version]}
              editable
              @alias-set=${(e: CustomEvent<AliasDetail>) => this.setAlias(e.detail)}
              @alias-delete=${(e: CustomEvent<{ alias: string }>) => this.deleteAlias(e.detail)}
            ></tl-alias-editor>
            ${this.actions.render("aliases")}
          </section>
          <section>
            <h2>Tags</h2>
            <tl-tag-editor
              .tags=${tags}
              editable
              @tag-set=${(e: CustomEvent<{ key: string; value: string }>) => this.setTag(e.detail)}
              @tag-delete=${(e: CustomEvent<{ key: string }>) => this.deleteTag(e.detail)}
            ></tl-tag-editor>
            ${this.actions.render("tags")}
          </section>
        </aside>
      </div>
      <tl-dialog heading="Delete version" ?open=${this.confirmDelete} @close=${() => {
        this.confirmDelete = false;
      }}>
        <p>Delete version ${this.version} of <strong>${this.name}</strong>? This cannot be undone.</p>
        ${this.actions.render("delete")}
        <button slot="actions" @click=${() => {
          this.confirmDelete = false;
        }}>Cancel</button>
        <button slot="actions" class="danger" ?disabled=${this.actions.busy("delete")} @click=${() => this.deleteVersion()}>
          Delete permanently
        </button>
      </tl-dialog>
    `;
  }
}
customElements.define("tl-model-version-page", TlModelVersionPage);
