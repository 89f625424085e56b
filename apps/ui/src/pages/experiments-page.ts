import { html, LitElement } from "lit";
import { shared } from "../styles.js";

/** Placeholder until the page is written. */
export class TlExperimentsPage extends LitElement {
  static override styles = [shared];
  static override properties = { params: { attribute: false }, query: { attribute: false } };
  declare params: Record<string, string>;
  declare query: URLSearchParams;

  override render() {
    return html`<h1>experiments-page</h1>`;
  }
}
customElements.define("tl-experiments-page", TlExperimentsPage);
