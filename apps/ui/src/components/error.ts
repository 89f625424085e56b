import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { icons } from "./icons.js";

/** MLflow's error code and message of any thrown value (an MlflowApiError, a plain Error, a string). */
export function describeError(error: unknown): { code: string; message: string } {
  const e = error as { errorCode?: unknown; message?: unknown } | undefined;
  if (e && typeof e === "object" && typeof e.errorCode === "string") {
    // MlflowApiError's message is "CODE: message"; show the code once.
    const msg = String(e.message ?? "");
    return { code: e.errorCode, message: msg.startsWith(`${e.errorCode}: `) ? msg.slice(e.errorCode.length + 2) : msg };
  }
  if (error instanceof Error) return { code: error.name === "Error" ? "ERROR" : error.name, message: error.message };
  return { code: "ERROR", message: String(error) };
}

/** An inline error next to what failed: the error code, the message and a Retry button (fires `retry`). */
export class TlError extends LitElement {
  static override properties = { error: { attribute: false }, retryable: { type: Boolean } };
  declare error: unknown;
  /** Show the Retry button (default true). */
  declare retryable: boolean;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .box {
        display: flex; gap: 8px; align-items: flex-start; padding: 8px 10px; border: 1px solid var(--tl-danger);
        border-radius: var(--tl-radius); background: color-mix(in srgb, var(--tl-danger) 8%, var(--tl-bg));
      }
      .box > svg { color: var(--tl-danger); margin-top: 3px; }
      .text { flex: 1; min-width: 0; }
      code { font-family: var(--tl-mono); font-size: 12px; color: var(--tl-danger); font-weight: 600; }
      .msg { white-space: pre-wrap; word-break: break-word; }
    `,
  ];

  constructor() {
    super();
    this.error = undefined;
    this.retryable = true;
  }

  override render() {
    if (this.error === undefined || this.error === null) return html``;
    const { code, message } = describeError(this.error);
    return html`<div class="box" role="alert">
      ${icons.warning}
      <div class="text"><code>${code}</code> <span class="msg">${message}</span></div>
      ${
        this.retryable
          ? html`<button @click=${() => this.dispatchEvent(new CustomEvent("retry", { bubbles: true, composed: true }))}>
              Retry
            </button>`
          : ""
      }
    </div>`;
  }
}
customElements.define("tl-error", TlError);

declare global {
  interface HTMLElementTagNameMap {
    "tl-error": TlError;
  }
}
