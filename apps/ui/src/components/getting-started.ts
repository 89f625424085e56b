import { css, html, LitElement } from "lit";
import { serverBase } from "../lib/server-base.js";
import { shared } from "../styles.js";
import { copyText } from "./copy.js";
import { icons } from "./icons.js";
import { toast } from "./toast.js";

/** The three lines of Python that log a run to this server (into `experimentId` when given). */
export function pythonSnippet(trackingUri: string, experimentId?: string): string {
  const target = experimentId ? `experiment_id="${experimentId}"` : "";
  return [
    "import mlflow",
    `mlflow.set_tracking_uri("${trackingUri}")`,
    `with mlflow.start_run(${target}): mlflow.log_metric("loss", 0.42)`,
  ].join("\n");
}

/**
 * An empty state that teaches: how to log a first run to this very server (its origin filled in), with a copy
 * button. Pass `experimentId` on an experiment's empty runs table.
 */
export class TlGettingStarted extends LitElement {
  static override properties = { experimentId: { attribute: "experiment-id" }, heading: {} };
  declare experimentId: string;
  declare heading: string;

  static override styles = [
    shared,
    css`
      :host { display: block; margin-top: 16px; }
      .card { max-width: 720px; }
      h2 { margin-top: 0; }
      pre {
        position: relative; margin: 8px 0; padding: 10px 12px; background: var(--tl-bg-alt);
        border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: auto;
        font: 12.5px/1.6 var(--tl-mono);
      }
      pre button { position: absolute; top: 6px; right: 6px; }
      p { margin: 4px 0; }
      code { font-family: var(--tl-mono); font-size: 12.5px; }
    `,
  ];

  constructor() {
    super();
    this.experimentId = "";
    this.heading = "Log your first run";
  }

  override render() {
    const uri = serverBase();
    const code = pythonSnippet(uri, this.experimentId || undefined);
    return html`<section class="card" aria-label=${this.heading}>
      <h2>${this.heading}</h2>
      <p class="muted">Run this Python (with <code>pip install mlflow</code>) to log a run to this server:</p>
      <pre><code>${code}</code><button
          class="icon-button"
          aria-label="Copy the Python code"
          title="Copy"
          @click=${() =>
            copyText(code).then(
              () => toast("Copied"),
              (e: Error) => toast(e.message, "error"),
            )}
        >${icons.copy}</button></pre>
      <p class="muted">Or set <code>MLFLOW_TRACKING_URI=${uri}</code> for scripts that already use MLflow.</p>
    </section>`;
  }
}
customElements.define("tl-getting-started", TlGettingStarted);

declare global {
  interface HTMLElementTagNameMap {
    "tl-getting-started": TlGettingStarted;
  }
}
