import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { icons } from "./icons.js";

/** Tags as chips, with add / edit / delete when `editable`. The parent saves: it gets `tag-set` and `tag-delete`. */
export class TlTagEditor extends LitElement {
  static override properties = {
    tags: { attribute: false },
    editable: { type: Boolean },
    showSystem: { type: Boolean, attribute: "show-system" },
    editing: { state: true },
  };
  declare tags: Record<string, string>;
  declare editable: boolean;
  /** Also show `mlflow.*` system tags (hidden by default behind a toggle). */
  declare showSystem: boolean;
  /** The key being edited, "" for a new tag, undefined when not editing. */
  declare editing: string | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .tags { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
      .chip {
        display: inline-flex; align-items: center; max-width: 100%; border: 1px solid var(--tl-border);
        border-radius: 999px; background: var(--tl-bg-alt); font-size: 12px; line-height: 20px; padding: 0 2px 0 8px;
      }
      .chip .k { color: var(--tl-muted); }
      .chip .v { font-family: var(--tl-mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 32ch; }
      .chip button.icon-button { padding: 1px 3px; font-size: 11px; border-radius: 999px; }
      .chip.plain { padding-right: 8px; }
      button.small { font-size: 12px; padding: 0 8px; line-height: 20px; }
      form { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; margin-top: 4px; }
      form input { font-size: 12px; padding: 2px 6px; }
      .empty { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.tags = {};
    this.editable = false;
    this.showSystem = false;
    this.editing = undefined;
  }

  private emit(type: "tag-set" | "tag-delete", detail: { key: string; value?: string }) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const key = String(data.get("key") ?? this.editing ?? "").trim();
    const value = String(data.get("value") ?? "");
    if (!key) return;
    this.emit("tag-set", { key, value });
    this.editing = undefined;
  }

  private onFormKey(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.stopPropagation();
      this.editing = undefined;
    }
  }

  private startEdit(key: string) {
    this.editing = key;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>(key ? "input[name=value]" : "input[name=key]")?.focus(),
    );
  }

  private renderForm() {
    const key = this.editing ?? "";
    return html`<form @submit=${this.onSubmit} @keydown=${this.onFormKey}>
      ${
        key
          ? html`<span class="mono">${key}</span>`
          : html`<input name="key" placeholder="Key" aria-label="Tag key" required size="14" />`
      }
      <input name="value" placeholder="Value" aria-label="Tag value" .value=${key ? (this.tags[key] ?? "") : ""} size="24" />
      <button class="small primary" type="submit">Save tag</button>
      <button class="small" type="button" @click=${() => {
        this.editing = undefined;
      }}>Cancel</button>
    </form>`;
  }

  override render() {
    const entries = Object.entries(this.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const system = entries.filter(([k]) => k.startsWith("mlflow."));
    const shown = this.showSystem ? entries : entries.filter(([k]) => !k.startsWith("mlflow."));
    return html`<div class="tags">
        ${shown.map(
          ([k, v]) => html`<span class="chip ${this.editable ? "" : "plain"}" title="${k}: ${v}">
            <span class="k">${k}${v ? ":" : ""}&nbsp;</span><span class="v">${v}</span>
            ${
              this.editable
                ? html`<button class="icon-button" aria-label="Edit tag ${k}" title="Edit" @click=${() => this.startEdit(k)}>
                      ${icons.edit}
                    </button><button class="icon-button" aria-label="Delete tag ${k}" title="Delete" @click=${() =>
                      this.emit("tag-delete", { key: k })}>${icons.close}</button>`
                : ""
            }
          </span>`,
        )}
        ${shown.length === 0 && !this.editable ? html`<span class="muted empty">No tags</span>` : ""}
        ${
          this.editable && this.editing === undefined
            ? html`<button class="small ghost" @click=${() => this.startEdit("")}>${icons.plus} Add tag</button>`
            : ""
        }
        ${
          system.length
            ? html`<button class="small ghost muted" @click=${() => {
                this.showSystem = !this.showSystem;
              }}>${this.showSystem ? "Hide system tags" : `Show ${system.length} system tag${system.length === 1 ? "" : "s"}`}</button>`
            : ""
        }
      </div>
      ${this.editing !== undefined ? this.renderForm() : ""}`;
  }
}
customElements.define("tl-tag-editor", TlTagEditor);

declare global {
  interface HTMLElementTagNameMap {
    "tl-tag-editor": TlTagEditor;
  }
}
