import { html, LitElement } from "lit";

/** Placeholder until the palette is written. */
export class TlCommandPalette extends LitElement {
  open() {}
  override render() {
    return html``;
  }
}
customElements.define("tl-command-palette", TlCommandPalette);
