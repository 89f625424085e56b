import { html, LitElement } from "lit";

/** Placeholder so the route exists; the page is built in the following commits. */
export class TlPromptPage extends LitElement {
  static override properties = { params: { attribute: false }, query: { attribute: false } };
  declare params: Record<string, string>;
  declare query: URLSearchParams;

  override render() {
    return html`<h1>Prompts</h1>`;
  }
}
customElements.define("tl-prompt-page", TlPromptPage);
