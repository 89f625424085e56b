import { html, LitElement } from "lit";
import { shared } from "../styles.js";

/** Placeholder until the page is written. */
export class TlModelPage extends LitElement {
  static override styles = [shared];
  static override properties = { params: { attribute: false }, query: { attribute: false } };
  declare params: Record<string, string>;
  declare query: URLSearchParams;

  override render() {
    return html`<h1>model-page</h1>`;
  }
}
customElements.define("tl-model-page", TlModelPage);
