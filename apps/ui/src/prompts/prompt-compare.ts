import { css, html, LitElement, nothing } from "lit";
import { shared } from "../styles.js";
import { chipStyles } from "./chips.js";
import "./prompt-diff.js";
import { type PromptVersionView, templateText, templateVariables } from "./prompt-version.js";
import { plain } from "./prompt-version-view.js";

/** The settings of two versions side by side: each model-config key, and the response format. */
export function settingRows(
  left: PromptVersionView,
  right: PromptVersionView,
): { key: string; left: string | undefined; right: string | undefined }[] {
  const keys = [...new Set([...Object.keys(left.modelConfig ?? {}), ...Object.keys(right.modelConfig ?? {})])];
  const show = (v: unknown) => (v === undefined ? undefined : plain(v));
  const rows = keys.map((key) => ({ key, left: show(left.modelConfig?.[key]), right: show(right.modelConfig?.[key]) }));
  if (left.responseFormat !== undefined || right.responseFormat !== undefined) {
    rows.push({ key: "response format", left: show(left.responseFormat), right: show(right.responseFormat) });
  }
  return rows;
}

/** The versions chosen in a comparison: the one on the right (`selected`) and the one on the left (`compared`). */
export interface VersionsChange {
  selected?: string;
  compared?: string;
}

/**
 * Two versions of a prompt compared: pickers for both (any pair, and a swap), their commit messages, the template
 * diff, and the model settings side by side (those that differ marked). It only reports the choices
 * (`versions-change`); the page keeps them in the URL.
 */
export class TlPromptCompare extends LitElement {
  static override properties = {
    versions: { attribute: false },
    selected: { attribute: false },
    compared: { attribute: false },
  };
  declare versions: PromptVersionView[];
  /** The version on the right (the newer, usually). */
  declare selected: PromptVersionView | undefined;
  /** The version it is compared with, on the left. */
  declare compared: PromptVersionView | undefined;

  static override styles = [
    shared,
    chipStyles,
    css`
      .pick { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 10px; font-size: 13px; }
      .messages { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; font-size: 12.5px; margin-bottom: 10px; }
      h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 600; }
      .settings { table-layout: fixed; font-size: 12.5px; }
      .settings td:first-child { font-family: var(--tl-mono); }
      .settings td { overflow-wrap: anywhere; }
      .settings tr.changed td:not(:first-child) { background: color-mix(in srgb, var(--tl-warn) 14%, transparent); }
    `,
  ];

  constructor() {
    super();
    this.versions = [];
    this.selected = undefined;
    this.compared = undefined;
  }

  private emit(detail: VersionsChange) {
    this.dispatchEvent(new CustomEvent<VersionsChange>("versions-change", { detail, bubbles: true, composed: true }));
  }

  /** Picking, on the right, the version shown on the left swaps the two, so the pair stays a pair. */
  private pickSelected(version: string) {
    this.emit(
      version === this.compared?.version
        ? { selected: version, compared: this.selected?.version }
        : { selected: version },
    );
  }

  private swap() {
    this.emit({ selected: this.compared?.version, compared: this.selected?.version });
  }

  private header(v: PromptVersionView) {
    return html`<div>
      <strong>Version ${v.version}</strong> ${v.aliases.map((a) => html`<span class="chip alias">@${a}</span>`)}
      <div class="muted">${v.commitMessage}</div>
    </div>`;
  }

  private settings(left: PromptVersionView, right: PromptVersionView) {
    const rows = settingRows(left, right);
    if (!rows.length) return nothing;
    return html`<h3>Model settings</h3>
      <table class="settings" aria-label="Model settings">
        <colgroup><col style="width:25%" /><col /><col /></colgroup>
        <thead><tr><th></th><th>Version ${left.version}</th><th>Version ${right.version}</th></tr></thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr class=${r.left === r.right ? "" : "changed"}>
              <td>${r.key}</td><td>${r.left ?? html`<span class="muted">—</span>`}</td>
              <td>${r.right ?? html`<span class="muted">—</span>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }

  override render() {
    const { selected, compared } = this;
    if (!selected || !compared) return nothing;
    const option = (v: PromptVersionView, current: string) =>
      html`<option value=${v.version} ?selected=${v.version === current}>Version ${v.version}</option>`;
    return html`
      <div class="pick">
        <label>Compare
          <select
            aria-label="Base version"
            @change=${(e: Event) => this.emit({ compared: (e.target as HTMLSelectElement).value })}
          >
            ${this.versions.filter((v) => v.version !== selected.version).map((v) => option(v, compared.version))}
          </select>
        </label>
        <label>with
          <select
            aria-label="Compared version"
            @change=${(e: Event) => this.pickSelected((e.target as HTMLSelectElement).value)}
          >
            ${this.versions.map((v) => option(v, selected.version))}
          </select>
        </label>
        <button class="ghost" @click=${this.swap} title="Swap the two versions">⇄ Swap</button>
      </div>
      <div class="messages">${this.header(compared)}${this.header(selected)}</div>
      <tl-prompt-diff
        .left=${templateText(compared.template)}
        .right=${templateText(selected.template)}
        .leftLabel=${`Version ${compared.version}`}
        .rightLabel=${`Version ${selected.version}`}
        .leftVariables=${templateVariables(compared.template)}
        .rightVariables=${templateVariables(selected.template)}
      ></tl-prompt-diff>
      ${this.settings(compared, selected)}
    `;
  }
}
customElements.define("tl-prompt-compare", TlPromptCompare);

declare global {
  interface HTMLElementTagNameMap {
    "tl-prompt-compare": TlPromptCompare;
  }
}
