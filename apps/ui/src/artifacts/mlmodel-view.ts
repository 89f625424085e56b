import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { parseYaml } from "./parse-yaml.js";
import "../components/error.js";
import { shared } from "../styles.js";
import { type MlmodelSummary, mlmodelSummary, type SignaturePart } from "./mlmodel.js";

type State = { state: "parsing" } | { state: "error"; error: unknown } | { state: "done"; summary: MlmodelSummary };

/** The MLmodel file: flavors, ids, and the signature's inputs, outputs and params as name/type/shape tables. */
export class TlMlmodelView extends LitElement {
  static override properties = { text: {}, parsed: { state: true } };
  declare text: string;
  declare parsed: State;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; overflow: auto; }
      h3 { font-size: 13px; margin: 12px 0 4px; font-weight: 600; }
      h3:first-child { margin-top: 0; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 12.5px; }
      dt { color: var(--tl-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 0 16px; }
      table { font-size: 12px; }
      td.t { font-family: var(--tl-mono); overflow-wrap: anywhere; }
      .note { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.text = "";
    this.parsed = { state: "parsing" };
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("text")) void this.parse();
  }

  /** Parses the file (js-yaml is loaded only when an MLmodel file is shown). */
  private async parse() {
    const seq = ++this.seq;
    this.parsed = { state: "parsing" };
    try {
      const summary = mlmodelSummary(await parseYaml(this.text));
      if (seq === this.seq) this.parsed = { state: "done", summary };
    } catch (error) {
      if (seq === this.seq) this.parsed = { state: "error", error };
    }
  }

  private table(title: string, part: SignaturePart | undefined, isParams = false) {
    if (!part) return nothing;
    if ("error" in part) {
      return html`<div><h3>${title}</h3><p class="error note">${part.error}</p></div>`;
    }
    const shapes = part.columns.some((c) => c.shape);
    return html`<div>
      <h3>${title} <span class="muted">(${part.columns.length})</span></h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th><th scope="col">Type</th>
            ${shapes ? html`<th scope="col">Shape</th>` : nothing}
            ${isParams ? html`<th scope="col">Default</th>` : html`<th scope="col">Required</th>`}
          </tr>
        </thead>
        <tbody>
          ${part.columns.map(
            (c) => html`<tr>
              <td class="t">${c.name}</td><td class="t">${c.type}</td>
              ${shapes ? html`<td class="t">${c.shape}</td>` : nothing}
              ${isParams ? html`<td class="t">${c.default}</td>` : html`<td>${c.required ? "yes" : "no"}</td>`}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const p = this.parsed;
    if (p.state === "parsing") return html`<p class="muted note">Reading MLmodel…</p>`;
    if (p.state === "error") return html`<tl-error .error=${p.error} .retryable=${false}></tl-error>`;
    const s = p.summary;
    const sig = s.signature;
    return html`<h3>Model</h3>
      <dl>
        <dt>Flavors</dt>
        <dd>${s.flavors.map((f) => html`<span class="tag">${f.name}${f.detail ? ` ${f.detail}` : ""}</span>`)}</dd>
        ${s.modelId ? html`<dt>Model ID</dt><dd class="mono">${s.modelId}</dd>` : nothing}
        ${s.runId ? html`<dt>Run ID</dt><dd class="mono">${s.runId}</dd>` : nothing}
        ${s.created ? html`<dt>Created</dt><dd>${s.created} UTC</dd>` : nothing}
      </dl>
      <h3>Signature</h3>
      ${
        sig && (sig.inputs || sig.outputs || sig.params)
          ? html`<div class="grid">
            ${this.table("Inputs", sig.inputs)} ${this.table("Outputs", sig.outputs)}
            ${this.table("Parameters", sig.params, true)}
          </div>`
          : html`<p class="muted note">This model has no signature (log it with <code>signature=infer_signature(…)</code>).</p>`
      }`;
  }
}
customElements.define("tl-mlmodel-view", TlMlmodelView);
