import type { ModelVersion, RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/description.js";
import "../components/dialog.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/tag-editor.js";
import "../components/time.js";
import { toast } from "../components/toast.js";
import { ActionErrors } from "../registry/action-errors.js";
import "../registry/alias-editor.js";
import type { AliasDetail } from "../registry/alias-editor.js";
import { aliasesByVersion, isPrompt, versionSearchFilter } from "../registry/model-filters.js";
import "../registry/versions-table.js";
import { withTag } from "../lib/format.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

/** MLflow's internal tags (`_mlflow…`) are bookkeeping, not the user's: they are not shown. */
const visibleTags = (tags: RegisteredModel["tags"]) =>
  Object.fromEntries((tags ?? []).filter((t) => !t.key.startsWith("_mlflow")).map((t) => [t.key, t.value]));

/**
 * `#/models/:name`: one registered model (or prompt): description, aliases, tags and its versions, with rename and
 * delete.
 */
export class TlModelPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    model: { state: true },
    error: { state: true },
    versions: { state: true },
    versionsNext: { state: true },
    versionsError: { state: true },
    dialog: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare model: RegisteredModel | undefined;
  declare error: unknown;
  declare versions: ModelVersion[] | undefined;
  declare versionsNext: string | undefined;
  declare versionsError: unknown;
  declare dialog: "rename" | "delete" | undefined;
  private actions = new ActionErrors(this);
  private seq = 0;

  static override styles = [
    shared,
    css`
      .crumbs { font-size: 13px; margin-bottom: 4px; }
      .head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .head h1 { margin: 0; word-break: break-all; }
      .badge {
        font-size: 11px; border: 1px solid var(--tl-accent); color: var(--tl-accent); border-radius: 999px; padding: 0 7px;
      }
      .meta { font-size: 12.5px; margin: 4px 0 12px; display: flex; gap: 12px; flex-wrap: wrap; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 24px; align-items: start; }
      @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
      section { margin-bottom: 20px; }
      section h2 { margin-top: 0; display: flex; align-items: baseline; gap: 6px; }
      .count { font-size: 12px; color: var(--tl-muted); font-weight: 400; }
      aside section { border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 10px 12px; }
      aside h2 { font-size: 14px; }
      tl-error { margin-top: 6px; }
      label { display: block; font-weight: 600; margin-bottom: 4px; }
      input.wide { width: 100%; box-sizing: border-box; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.model = undefined;
    this.error = undefined;
    this.versions = undefined;
    this.versionsNext = undefined;
    this.versionsError = undefined;
    this.dialog = undefined;
  }

  private get name() {
    return this.params.name ?? "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("params") && changed.get("params")?.name !== this.name) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    this.model = undefined;
    this.error = undefined;
    this.versions = undefined;
    this.versionsError = undefined;
    this.dialog = undefined;
    this.actions.clear();
    try {
      const model = await client.getRegisteredModel(this.name);
      if (seq !== this.seq) return;
      this.model = model;
      await this.loadVersions(seq);
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  /** One page of versions (newest first), appended to those shown; the first page when `more` is false. */
  private async loadVersions(seq = this.seq, more = false) {
    this.versionsError = undefined;
    try {
      const page = await client.searchModelVersions({
        filterString: versionSearchFilter(this.name, isPrompt(this.model)),
        orderBy: ["version_number DESC"],
        maxResults: 100,
        pageToken: more ? this.versionsNext : undefined,
      });
      if (seq !== this.seq) return;
      this.versions = more ? [...(this.versions ?? []), ...page.items] : page.items;
      this.versionsNext = page.nextPageToken || undefined;
    } catch (e) {
      if (seq === this.seq) this.versionsError = e;
    }
  }

  private async saveDescription(text: string) {
    await this.actions.run("description", async () => {
      this.model = await client.updateRegisteredModel(this.name, text);
    });
  }

  private setTags(tags: { key: string; value: string }[]) {
    if (this.model) this.model = { ...this.model, tags };
  }

  private async setTag({ key, value }: { key: string; value: string }) {
    await this.actions.run("tags", async () => {
      await client.setRegisteredModelTag(this.name, key, value);
      this.setTags(withTag(this.model?.tags, key, value));
    });
  }

  private async deleteTag({ key }: { key: string }) {
    await this.actions.run("tags", async () => {
      await client.deleteRegisteredModelTag(this.name, key);
      this.setTags(withTag(this.model?.tags, key));
    });
  }

  private async setAlias({ alias, version }: AliasDetail) {
    await this.actions.run("aliases", async () => {
      await client.setRegisteredModelAlias(this.name, alias, version);
      if (this.model) {
        const aliases = [...(this.model.aliases ?? []).filter((a) => a.alias !== alias), { alias, version }];
        this.model = { ...this.model, aliases };
      }
    });
  }

  private async deleteAlias({ alias }: { alias: string }) {
    await this.actions.run("aliases", async () => {
      await client.deleteRegisteredModelAlias(this.name, alias);
      if (this.model)
        this.model = { ...this.model, aliases: (this.model.aliases ?? []).filter((a) => a.alias !== alias) };
    });
  }

  private async rename(e?: Event) {
    e?.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>("#new-name");
    const newName = input?.value.trim() ?? "";
    if (!newName || newName === this.name) return;
    const ok = await this.actions.run("rename", () => client.renameRegisteredModel(this.name, newName));
    if (ok) {
      this.dialog = undefined;
      toast(`Renamed to ${newName}`);
      navigate(`/models/${seg(newName)}`, undefined, true);
    }
  }

  private async deleteModel() {
    const name = this.name;
    const prompt = isPrompt(this.model);
    const ok = await this.actions.run("delete", () => client.deleteRegisteredModel(name));
    if (ok) {
      this.dialog = undefined;
      toast(`Deleted ${prompt ? "prompt" : "model"} ${name}`);
      navigate(prompt ? "/prompts" : "/models");
    }
  }

  private renderDialogs(m: RegisteredModel) {
    const n = this.versions?.length ?? 0;
    const kind = isPrompt(m) ? "prompt" : "model";
    return html`
      <tl-dialog heading="Rename ${kind}" ?open=${this.dialog === "rename"} @close=${() => {
        this.dialog = undefined;
      }}>
        <form @submit=${this.rename}>
          <label for="new-name">New name</label>
          <input id="new-name" class="wide" .value=${m.name} required autocomplete="off" />
        </form>
        ${this.actions.render("rename")}
        <button slot="actions" @click=${() => {
          this.dialog = undefined;
        }}>Cancel</button>
        <button slot="actions" class="primary" ?disabled=${this.actions.busy("rename")} @click=${() => this.rename()}>
          Save name
        </button>
      </tl-dialog>
      <tl-dialog heading="Delete ${kind}" ?open=${this.dialog === "delete"} @close=${() => {
        this.dialog = undefined;
      }}>
        <p>
          Delete the ${kind} <strong>${m.name}</strong>${n ? ` and its ${n}${this.versionsNext ? "+" : ""} version${n === 1 ? "" : "s"}` : ""}?
          This cannot be undone.
        </p>
        ${this.actions.render("delete")}
        <button slot="actions" @click=${() => {
          this.dialog = undefined;
        }}>Cancel</button>
        <button slot="actions" class="danger" ?disabled=${this.actions.busy("delete")} @click=${() => this.deleteModel()}>
          Delete permanently
        </button>
      </tl-dialog>
    `;
  }

  private renderVersions(m: RegisteredModel) {
    if (this.versionsError && !this.versions) {
      return html`<tl-error .error=${this.versionsError} @retry=${() => this.loadVersions()}></tl-error>`;
    }
    if (!this.versions) return html`<tl-skeleton .rows=${4} label="Loading versions"></tl-skeleton>`;
    return html`<tl-versions-table
        .modelName=${m.name}
        .versions=${this.versions}
        .aliases=${aliasesByVersion(m.aliases)}
        ?prompt=${isPrompt(m)}
      ></tl-versions-table>
      ${this.versionsError ? html`<tl-error .error=${this.versionsError} @retry=${() => this.loadVersions(this.seq, true)}></tl-error>` : ""}
      ${this.versionsNext ? html`<button @click=${() => this.loadVersions(this.seq, true)}>Load more versions</button>` : ""}`;
  }

  override render() {
    const prompt = isPrompt(this.model);
    const crumbs = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href=${href(prompt ? "/prompts" : "/models")}>${prompt ? "Prompts" : "Models"}</a> /
    </nav>`;
    if (this.error) {
      return html`${crumbs}<h1>${this.name}</h1><tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    }
    const m = this.model;
    if (!m) return html`${crumbs}<h1>${this.name}</h1><tl-skeleton .rows=${6} label="Loading model"></tl-skeleton>`;
    const versionNumbers = (this.versions ?? []).map((v) => v.version);
    return html`
      ${crumbs}
      <div class="head">
        <h1>${m.name}</h1>
        ${prompt ? html`<span class="badge">Prompt</span>` : ""}
        <span class="spacer"></span>
        <button @click=${() => {
          this.dialog = "rename";
        }}>Rename</button>
        <button class="danger" @click=${() => {
          this.dialog = "delete";
        }}>Delete</button>
      </div>
      <div class="meta muted">
        <span>Created <tl-time .ms=${m.creation_timestamp}></tl-time></span>
        <span>Last modified <tl-time .ms=${m.last_updated_timestamp}></tl-time></span>
        ${m.user_id ? html`<span>by ${m.user_id}</span>` : ""}
      </div>
      <div class="layout">
        <div class="main">
          <section>
            <h2>Description</h2>
            <tl-description
              .value=${m.description ?? ""}
              editable
              @save=${(e: CustomEvent<string>) => this.saveDescription(e.detail)}
            ></tl-description>
            ${this.actions.render("description")}
          </section>
          <section>
            <h2>Versions ${this.versions ? html`<span class="count">${this.versions.length}${this.versionsNext ? "+" : ""}</span>` : ""}</h2>
            ${this.renderVersions(m)}
          </section>
        </div>
        <aside>
          <section>
            <h2>Aliases</h2>
            <tl-alias-editor
              .modelName=${m.name}
              .aliases=${m.aliases ?? []}
              .versions=${versionNumbers}
              editable
              @alias-set=${(e: CustomEvent<AliasDetail>) => this.setAlias(e.detail)}
              @alias-delete=${(e: CustomEvent<{ alias: string }>) => this.deleteAlias(e.detail)}
            ></tl-alias-editor>
            ${this.actions.render("aliases")}
          </section>
          <section>
            <h2>Tags</h2>
            <tl-tag-editor
              .tags=${visibleTags(m.tags)}
              editable
              @tag-set=${(e: CustomEvent<{ key: string; value: string }>) => this.setTag(e.detail)}
              @tag-delete=${(e: CustomEvent<{ key: string }>) => this.deleteTag(e.detail)}
            ></tl-tag-editor>
            ${this.actions.render("tags")}
          </section>
        </aside>
      </div>
      ${this.renderDialogs(m)}
    `;
  }
}
customElements.define("tl-model-page", TlModelPage);
