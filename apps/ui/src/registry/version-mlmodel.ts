import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../artifacts/mlmodel-view.js";
import { downloadWithCredentials } from "../artifacts/with-credentials.js";
import "../components/error.js";
import "../components/skeleton.js";
import { shared } from "../styles.js";
import { mlmodelUrl, UnreadableSourceError } from "./model-source.js";

type State =
  | { kind: "loading" }
  | { kind: "error"; error: unknown }
  | { kind: "unreadable"; message: string }
  | { kind: "done"; url: string; text: string };

/** Fetches the MLmodel file behind a version's source. */
async function loadMlmodel(source: string): Promise<{ url: string; text: string }> {
  const url = await mlmodelUrl(source, client);
  const res = await client.transport.requestUrl("GET", url);
  return { url, text: await res.text() };
}

/**
 * A model version's MLmodel file (flavors and the signature's inputs, outputs and params), read from its source: a
 * logged model, a path in a run's artifacts or a proxied artifact location. The artifacts browser's MLmodel view
 * renders it (and loads `yaml` on first use).
 */
export class TlVersionMlmodel extends LitElement {
  static override properties = { source: { attribute: false }, state: { state: true } };
  declare source: string;
  declare state: State;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .note { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.source = "";
    this.state = { kind: "loading" };
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("source")) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    this.state = { kind: "loading" };
    try {
      const out = await loadMlmodel(this.source);
      if (seq === this.seq) this.state = { kind: "done", ...out };
    } catch (error) {
      if (seq !== this.seq) return;
      this.state =
        error instanceof UnreadableSourceError
          ? { kind: "unreadable", message: error.message }
          : { kind: "error", error };
    }
  }

  override render() {
    const s = this.state;
    switch (s.kind) {
      case "loading":
        return html`<tl-skeleton .rows=${3} label="Loading the MLmodel file"></tl-skeleton>`;
      case "error":
        return html`<tl-error .error=${s.error} @retry=${() => this.load()}></tl-error>`;
      case "unreadable":
        return html`<p class="muted note">${s.message}</p>`;
      default:
        return html`<tl-mlmodel-view .text=${s.text}></tl-mlmodel-view>
          <p class="note"><a href=${s.url} download="MLmodel"
            @click=${(e: MouseEvent) => downloadWithCredentials(e, s.url, "MLmodel")}>Download MLmodel</a></p>`;
    }
  }
}
customElements.define("tl-version-mlmodel", TlVersionMlmodel);

declare global {
  interface HTMLElementTagNameMap {
    "tl-version-mlmodel": TlVersionMlmodel;
  }
}
