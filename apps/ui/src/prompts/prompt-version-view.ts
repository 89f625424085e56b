import { css, html, LitElement, nothing } from "lit";
import "../components/copy.js";
import "../components/time.js";
import { shared } from "../styles.js";
import { chipStyles } from "./chips.js";
import "./prompt-template.js";
import { type PromptVersionView, templateVariables } from "./prompt-version.js";

/** A JSON value as one line of text (strings as they are). */
export const plain = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * One version of a prompt: commit message, creation time, type and URI, then the template, its variables, the
 * version's tags, and the model config and response format when it has them.
 */
export class TlPromptVersion extends LitElement {
  static override properties = { version: { attribute: false }, uri: {} };
  declare version: PromptVersionView | undefined;
  /** `prompts:/name/3`, as `mlflow.genai.load_prompt` takes it. */
  declare uri: string;

  static override styles = [
    shared,
    chipStyles,
    css`
      h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 600; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: 13px; }
      dt { color: var(--tl-muted); }
      dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
      .kv td { font-size: 12.5px; }
      .kv td:first-child { font-family: var(--tl-mono); width: 30%; }
      pre.json {
        margin: 0; padding: 8px 12px; background: var(--tl-bg-alt); border-radius: var(--tl-radius); font: 12px var(--tl-mono);
        white-space: pre-wrap; overflow-wrap: anywhere;
      }
    `,
  ];

  constructor() {
    super();
    this.version = undefined;
    this.uri = "";
  }

  override render() {
    const v = this.version;
    if (!v) return nothing;
    const variables = templateVariables(v.template);
    return html`
      <dl>
        <dt>Commit message</dt><dd class="commit">${v.commitMessage || html`<span class="muted">—</span>`}</dd>
        <dt>Created</dt><dd><tl-time .ms=${v.created}></tl-time></dd>
        <dt>Type</dt><dd>${v.type === "chat" ? "Chat (messages)" : "Text"}</dd>
        <dt>URI</dt><dd class="mono"><tl-copy .value=${this.uri} .short=${0}></tl-copy></dd>
      </dl>
      <h3>Template</h3>
      <tl-prompt-template .template=${v.template}></tl-prompt-template>
      <h3>Variables <span class="muted">(${variables.length})</span></h3>
      <div class="variables">
        ${
          variables.length
            ? variables.map((name) => html`<span class="chip var">${name}</span>`)
            : html`<span class="muted">No variables.</span>`
        }
      </div>
      <h3>Tags</h3>
      <div class="tags">
        ${
          v.tags.length
            ? v.tags.map((t) => html`<span class="chip">${t.key}: ${t.value}</span>`)
            : html`<span class="muted">No tags on this version.</span>`
        }
      </div>
      ${
        v.modelConfig
          ? html`<h3>Model config</h3>
            <table class="kv" aria-label="Model config">
              <tbody>
                ${Object.entries(v.modelConfig).map(([k, val]) => html`<tr><td>${k}</td><td>${plain(val)}</td></tr>`)}
              </tbody>
            </table>`
          : nothing
      }
      ${
        v.responseFormat !== undefined
          ? html`<h3>Response format</h3><pre class="json">${JSON.stringify(v.responseFormat, null, 2)}</pre>`
          : nothing
      }
    `;
  }
}
customElements.define("tl-prompt-version", TlPromptVersion);

declare global {
  interface HTMLElementTagNameMap {
    "tl-prompt-version": TlPromptVersion;
  }
}
