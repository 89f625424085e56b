import type { ModelVersion } from "@tracklite/schemas";
import { css, html, LitElement } from "lit";
import "../components/pill.js";
import "../components/time.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";
import { excerpt, firstLine, promptTemplate } from "./model-filters.js";
import "./run-link.js";

/**
 * The versions of one registered model, newest first: version, stage, aliases, created, source run, status and
 * description; for a prompt: version, aliases, created, template and commit message.
 */
export class TlVersionsTable extends LitElement {
  static override properties = {
    modelName: { attribute: false },
    versions: { attribute: false },
    aliases: { attribute: false },
    prompt: { type: Boolean },
  };
  declare modelName: string;
  declare versions: ModelVersion[];
  /** Aliases per version number. */
  declare aliases: Record<string, string[]>;
  declare prompt: boolean;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      td { white-space: nowrap; }
      td.wrap { white-space: normal; }
      tbody tr:hover { background: var(--tl-bg-hover); }
      .chip {
        display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; font-size: 11.5px;
        background: var(--tl-bg-alt); margin-right: 3px; font-family: var(--tl-mono);
      }
      .template { font-family: var(--tl-mono); font-size: 12px; max-width: 40ch; overflow: hidden; text-overflow: ellipsis; }
    `,
  ];

  constructor() {
    super();
    this.modelName = "";
    this.versions = [];
    this.aliases = {};
    this.prompt = false;
  }

  private row(v: ModelVersion) {
    const link = href(`/models/${seg(this.modelName)}/versions/${seg(v.version)}`);
    const aliases = (this.aliases[v.version] ?? []).map((a) => html`<span class="chip">@${a}</span>`);
    const created = html`<td><tl-time .ms=${v.creation_timestamp}></tl-time></td>`;
    if (this.prompt) {
      const template = promptTemplate(v) ?? "";
      return html`<tr>
        <td><a href=${link}>Version ${v.version}</a></td>
        <td>${aliases}</td>
        ${created}
        <td class="template" title=${template}>${firstLine(template, 60)}</td>
        <td class="wrap">${v.description ?? ""}</td>
      </tr>`;
    }
    return html`<tr>
      <td><a href=${link}>Version ${v.version}</a></td>
      <td>${v.current_stage && v.current_stage !== "None" ? v.current_stage : html`<span class="muted">None</span>`}</td>
      <td>${aliases}</td>
      ${created}
      <td>${v.run_id ? html`<tl-run-link .runId=${v.run_id}></tl-run-link>` : html`<span class="muted">—</span>`}</td>
      <td><tl-pill .status=${v.status ?? "READY"}></tl-pill></td>
      <td class="wrap muted" title=${v.description ?? ""}>${excerpt(v.description, 100)}</td>
    </tr>`;
  }

  override render() {
    if (this.versions.length === 0) return html`<p class="muted">No versions yet.</p>`;
    const head = this.prompt
      ? html`<th>Version</th><th>Aliases</th><th>Created</th><th>Template</th><th>Commit message</th>`
      : html`<th>Version</th><th>Stage</th><th>Aliases</th><th>Created</th><th>Source run</th><th>Status</th
          ><th>Description</th>`;
    return html`<table>
      <thead><tr>${head}</tr></thead>
      <tbody>${this.versions.map((v) => this.row(v))}</tbody>
    </table>`;
  }
}
customElements.define("tl-versions-table", TlVersionsTable);

declare global {
  interface HTMLElementTagNameMap {
    "tl-versions-table": TlVersionsTable;
  }
}
