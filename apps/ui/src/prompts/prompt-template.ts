import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { type ChatMessage, splitVariables } from "./prompt-version.js";

/**
 * A prompt's template as written: a text template in one block, a chat template as one block per message under its
 * role. Variables (`{{ name }}`) are highlighted where they stand.
 */
export class TlPromptTemplate extends LitElement {
  static override properties = { template: { attribute: false } };
  declare template: string | ChatMessage[];

  static override styles = [
    shared,
    css`
      pre {
        margin: 0; padding: 10px 12px; background: var(--tl-bg-alt); border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); font: 12.5px/1.5 var(--tl-mono); white-space: pre-wrap; overflow-wrap: anywhere;
      }
      .var {
        color: var(--tl-accent); background: color-mix(in srgb, var(--tl-accent) 12%, transparent); border-radius: 3px;
        padding: 0 1px;
      }
      .message + .message { margin-top: 8px; }
      .role {
        font-size: 11.5px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--tl-muted);
        margin-bottom: 3px;
      }
      .empty { font-style: italic; }
    `,
  ];

  constructor() {
    super();
    this.template = "";
  }

  private text(text: string) {
    if (text === "") return html`<pre class="muted empty">(empty)</pre>`;
    return html`<pre>${splitVariables(text).map((s) =>
      s.variable === undefined ? s.text : html`<span class="var" title="Variable ${s.variable}">${s.text}</span>`,
    )}</pre>`;
  }

  override render() {
    const t = this.template;
    if (typeof t === "string") return this.text(t);
    return t.map(
      (m) => html`<div class="message" data-role=${m.role}>
        <div class="role">${m.role}</div>
        ${this.text(m.content)}
      </div>`,
    );
  }
}
customElements.define("tl-prompt-template", TlPromptTemplate);

declare global {
  interface HTMLElementTagNameMap {
    "tl-prompt-template": TlPromptTemplate;
  }
}
