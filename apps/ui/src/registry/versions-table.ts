import type { ModelVersion } from "@tracklite/schemas";
import { css, html, LitElement } from "lit";
import "../components/pill.js";
import "../components/time.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";
import { excerpt, firstLine, promptTemplate } from "./model-filters.js";
import "./run-link.js";
import { userTags } from "./version-tags.js";

/**
 * The versions of one registered model, newest first: a checkbox (pick two or more to compare them), version, stage,
 * aliases, tags, created, source run, status and description; for a prompt: version, aliases, created, template and
 * commit message.
 */
export class TlVersionsTable extends LitElement {
  static override properties = {
    modelName: { attribute: false },
    versions: { attribute: false },
    aliases: { attribute: false },
    prompt: { type: Boolean },
    picked: { state: true },
  };
  declare modelName: string;
  declare versions: ModelVersion[];
  /** Aliases per version number. */
  declare aliases: Record<string, string[]>;
  declare prompt: boolean;
  /** Versions picked for "Compare versions", in table order. */
  declare picked: ReadonlySet<string>;

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
      td.tags { white-space: normal; max-width: 32ch; }
      a.button.primary {
        display: inline-block; text-decoration: none; background: var(--tl-accent); color: var(--tl-accent-fg);
        border-color: var(--tl-accent);
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
    this.picked = new Set();
  }

  private pick(version: string, on: boolean) {
    const next = new Set(this.picked);
    if (on) next.add(version);
    else next.delete(version);
    this.picked = next;
  }

  private compareHref() {
    const versions = this.versions.filter((v) => this.picked.has(v.version)).map((v) => v.version);
    return href(`/models/${seg(this.modelName)}/compare`, { versions: versions.reverse().join(",") });
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
    const tags = userTags(v);
    return html`<tr>
      <td><input type="checkbox" aria-label="Compare version ${v.version}" .checked=${this.picked.has(v.version)}
        @change=${(e: Event) => this.pick(v.version, (e.target as HTMLInputElement).checked)} /></td>
      <td><a href=${link}>Version ${v.version}</a></td>
      <td>${v.current_stage && v.current_stage !== "None" ? v.current_stage : html`<span class="muted">None</span>`}</td>
      <td>${aliases}</td>
      <td class="tags">${tags.map((t) => html`<span class="chip" title=${`${t.key}: ${t.value}`}>${t.key}: ${t.value}</span> `)}</td>
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
      : html`<th><span class="sr-only">Compare</span></th><th>Version</th><th>Stage</th><th>Aliases</th><th>Tags</th
          ><th>Created</th><th>Source run</th><th>Status</th><th>Description</th>`;
    const n = this.picked.size;
    return html`${
      this.prompt
        ? ""
        : html`<div class="toolbar">
            ${
              n >= 2
                ? html`<a class="button primary" href=${this.compareHref()}>Compare ${n} versions</a>`
                : html`<button disabled title="Pick two or more versions with their checkboxes">Compare versions</button>`
            }
            <span class="muted">${n ? `${n} picked` : "Pick two or more versions to compare them"}</span>
          </div>`
    }<table>
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
