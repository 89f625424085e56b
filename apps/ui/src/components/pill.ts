import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { type IconName, icons } from "./icons.js";

type Kind = "running" | "finished" | "failed" | "killed" | "scheduled" | "pending";

/** Status strings of runs, logged models, model versions and traces → a colour kind, an icon and a label. */
const STATUS: Record<string, [Kind, IconName, string]> = {
  RUNNING: ["running", "running", "Running"],
  FINISHED: ["finished", "finished", "Finished"],
  FAILED: ["failed", "failed", "Failed"],
  KILLED: ["killed", "killed", "Killed"],
  SCHEDULED: ["scheduled", "scheduled", "Scheduled"],
  LOGGED_MODEL_PENDING: ["pending", "pending", "Pending"],
  LOGGED_MODEL_READY: ["finished", "finished", "Ready"],
  LOGGED_MODEL_UPLOAD_FAILED: ["failed", "failed", "Upload failed"],
  PENDING_REGISTRATION: ["pending", "pending", "Pending registration"],
  FAILED_REGISTRATION: ["failed", "failed", "Registration failed"],
  READY: ["finished", "finished", "Ready"],
  // Trace states (MLflow 3's TraceInfo.state) and span statuses.
  OK: ["finished", "finished", "OK"],
  ERROR: ["failed", "failed", "Error"],
  IN_PROGRESS: ["running", "running", "In progress"],
};

/** How a status is shown: colour kind, icon and label (unknown statuses get a neutral pill with their own text). */
export function statusInfo(status: string | undefined): { kind: Kind; icon: IconName; label: string } {
  const hit = STATUS[status ?? ""];
  if (hit) return { kind: hit[0], icon: hit[1], label: hit[2] };
  const label = (status ?? "Unknown").replace(/_/g, " ").toLowerCase();
  return { kind: "killed", icon: "pending", label: label.charAt(0).toUpperCase() + label.slice(1) };
}

/** A status pill: icon + label + colour, so the status never rests on colour alone. */
export class TlPill extends LitElement {
  static override properties = { status: {} };
  declare status: string;

  static override styles = [
    shared,
    css`
      :host { display: inline-block; vertical-align: middle; }
      span {
        display: inline-flex; align-items: center; gap: 4px; font-size: 12px; line-height: 18px; padding: 0 7px 0 5px;
        border-radius: 999px; border: 1px solid currentColor; white-space: nowrap;
      }
      .running { color: var(--tl-accent); }
      .finished { color: var(--tl-ok); }
      .failed { color: var(--tl-danger); }
      .killed { color: var(--tl-muted); }
      .scheduled, .pending { color: var(--tl-warn); }
      .running svg { animation: spin 2s linear infinite; }
      @keyframes spin { to { transform: rotate(360deg); } }
      @media (prefers-reduced-motion: reduce) { .running svg { animation: none; } }
    `,
  ];

  constructor() {
    super();
    this.status = "";
  }

  override render() {
    const { kind, icon, label } = statusInfo(this.status);
    return html`<span class=${kind} title=${this.status}>${icons[icon]}${label}</span>`;
  }
}
customElements.define("tl-pill", TlPill);

declare global {
  interface HTMLElementTagNameMap {
    "tl-pill": TlPill;
  }
}
