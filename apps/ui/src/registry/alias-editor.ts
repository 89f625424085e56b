import { css, html, LitElement } from "lit";
import { icons } from "../components/icons.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";

export interface AliasDetail {
  alias: string;
  version: string;
}

/**
 * A model's aliases as chips (`@champion → v2`, linking to the version), with remove buttons and an add form when
 * `editable`. With several `versions` the form picks the version; with one, aliases go to that version. The parent
 * saves: it gets `alias-set` ({alias, version}) and `alias-delete` ({alias}).
 */
export class TlAliasEditor extends LitElement {
  static override properties = {
    modelName: { attribute: false },
    aliases: { attribute: false },
    versions: { attribute: false },
    editable: { type: Boolean },
    adding: { state: true },
  };
  declare modelName: string;
  declare aliases: AliasDetail[];
  /** The versions an alias may point at, newest first. */
  declare versions: string[];
  declare editable: boolean;
  declare adding: boolean;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .list { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
      .chip {
        display: inline-flex; align-items: center; gap: 4px; border: 1px solid var(--tl-border); border-radius: 999px;
        background: var(--tl-bg-alt); font-size: 12px; line-height: 20px; padding: 0 8px;
      }
      .chip.editable { padding-right: 2px; }
      .chip .name { font-family: var(--tl-mono); }
      .chip button.icon-button { padding: 1px 3px; font-size: 11px; border-radius: 999px; }
      button.small { font-size: 12px; padding: 0 8px; line-height: 20px; }
      form { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; margin-top: 4px; }
      form input, form select { font-size: 12px; padding: 2px 6px; }
      .empty { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.modelName = "";
    this.aliases = [];
    this.versions = [];
    this.editable = false;
    this.adding = false;
  }

  private emit(type: "alias-set" | "alias-delete", detail: Partial<AliasDetail>) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const alias = String(data.get("alias") ?? "").trim();
    const version = String(data.get("version") ?? this.versions[0] ?? "");
    if (!alias || !version) return;
    this.emit("alias-set", { alias, version });
    this.adding = false;
  }

  private startAdd() {
    this.adding = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>("input[name=alias]")?.focus());
  }

  private renderForm() {
    return html`<form
      @submit=${this.onSubmit}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          this.adding = false;
        }
      }}
    >
      <input name="alias" placeholder="Alias, e.g. champion" aria-label="Alias" required size="16" />
      ${
        this.versions.length > 1
          ? html`<select name="version" aria-label="Version">
              ${this.versions.map((v) => html`<option value=${v}>Version ${v}</option>`)}
            </select>`
          : ""
      }
      <button class="small primary" type="submit">Set alias</button>
      <button class="small" type="button" @click=${() => {
        this.adding = false;
      }}>Cancel</button>
    </form>`;
  }

  override render() {
    const sorted = [...this.aliases].sort((a, b) => a.alias.localeCompare(b.alias));
    const canAdd = this.editable && this.versions.length > 0;
    return html`<div class="list">
        ${sorted.map(
          (a) => html`<span class="chip ${this.editable ? "editable" : ""}">
            <span class="name">@${a.alias}</span>
            <a href=${href(`/models/${seg(this.modelName)}/versions/${seg(a.version)}`)}>Version ${a.version}</a>
            ${
              this.editable
                ? html`<button
                    class="icon-button"
                    aria-label="Remove alias ${a.alias}"
                    title="Remove alias"
                    @click=${() => this.emit("alias-delete", { alias: a.alias })}
                  >${icons.close}</button>`
                : ""
            }
          </span>`,
        )}
        ${sorted.length === 0 ? html`<span class="muted empty">No aliases</span>` : ""}
        ${canAdd && !this.adding ? html`<button class="small ghost" @click=${this.startAdd}>${icons.plus} Add alias</button>` : ""}
      </div>
      ${this.adding ? this.renderForm() : ""}`;
  }
}
customElements.define("tl-alias-editor", TlAliasEditor);

declare global {
  interface HTMLElementTagNameMap {
    "tl-alias-editor": TlAliasEditor;
  }
}
