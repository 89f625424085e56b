import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { shared } from "../styles.js";
import { type DiffRow, type DiffSide, diffLines, diffStats } from "./text-diff.js";

/**
 * Two texts side by side (`left` the older, `right` the newer), line by line, with the changed words of a changed
 * line marked: removed on the left in red, added on the right in green. Above it, how many lines each side changed
 * and the variables added or removed.
 */
export class TlPromptDiff extends LitElement {
  static override properties = {
    left: {},
    right: {},
    leftLabel: {},
    rightLabel: {},
    leftVariables: { attribute: false },
    rightVariables: { attribute: false },
  };
  declare left: string;
  declare right: string;
  declare leftLabel: string;
  declare rightLabel: string;
  declare leftVariables: string[];
  declare rightVariables: string[];
  private rows: DiffRow[] = [];

  static override styles = [
    shared,
    css`
      .summary { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; font-size: 12.5px; margin-bottom: 6px; }
      .added { color: var(--tl-ok); }
      .removed { color: var(--tl-danger); }
      .chip { font: 12px var(--tl-mono); border-radius: 999px; padding: 0 6px; border: 1px solid currentColor; }
      table { table-layout: fixed; font: 12.5px/1.5 var(--tl-mono); border: 1px solid var(--tl-border); }
      col.n { width: 38px; }
      th { font-family: var(--tl-font); font-size: 12.5px; }
      td { border: 0; padding: 0 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
      td.n { color: var(--tl-muted); text-align: right; user-select: none; padding: 0 6px; }
      td.text { border-left: 1px solid var(--tl-border); }
      td.n.r { border-left: 1px solid var(--tl-border); }
      td.del { background: color-mix(in srgb, var(--tl-danger) 9%, transparent); }
      td.ins { background: color-mix(in srgb, var(--tl-ok) 10%, transparent); }
      td.none { background: var(--tl-bg-alt); }
      del, ins { text-decoration: none; border-radius: 2px; }
      del { background: color-mix(in srgb, var(--tl-danger) 28%, transparent); }
      ins { background: color-mix(in srgb, var(--tl-ok) 30%, transparent); }
      .same { padding: 12px; }
    `,
  ];

  constructor() {
    super();
    this.left = "";
    this.right = "";
    this.leftLabel = "";
    this.rightLabel = "";
    this.leftVariables = [];
    this.rightVariables = [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("left") || changed.has("right")) this.rows = diffLines(this.left, this.right);
  }

  private cells(side: DiffSide | undefined, kind: "del" | "ins", right = false) {
    if (!side) return html`<td class="n none ${right ? "r" : ""}"></td><td class="text none"></td>`;
    const changed = side.parts.some((p) => p.op !== "equal");
    return html`<td class="n ${right ? "r" : ""}">${side.n}</td><td class="text ${changed ? kind : ""}">${side.parts.map(
      (p) => (p.op === "equal" ? p.text : p.op === "delete" ? html`<del>${p.text}</del>` : html`<ins>${p.text}</ins>`),
    )}</td>`;
  }

  private variableChanges() {
    const before = new Set(this.leftVariables);
    const after = new Set(this.rightVariables);
    const added = this.rightVariables.filter((v) => !before.has(v));
    const removed = this.leftVariables.filter((v) => !after.has(v));
    if (!added.length && !removed.length) return nothing;
    return html`<span class="vars">
      Variables:
      ${added.map((v) => html`<span class="chip added" title="Added variable">+ ${v}</span> `)}
      ${removed.map((v) => html`<span class="chip removed" title="Removed variable">− ${v}</span> `)}
    </span>`;
  }

  override render() {
    const { added, removed } = diffStats(this.rows);
    return html`
      <div class="summary" role="status">
        ${
          added + removed === 0
            ? html`<span class="muted">No changes in the template.</span>`
            : html`<span class="added">+${added} ${added === 1 ? "line" : "lines"}</span>
              <span class="removed">−${removed} ${removed === 1 ? "line" : "lines"}</span>`
        }
        ${this.variableChanges()}
      </div>
      <table aria-label="Differences between ${this.leftLabel} and ${this.rightLabel}">
        <colgroup><col class="n" /><col /><col class="n" /><col /></colgroup>
        <thead><tr><th colspan="2">${this.leftLabel}</th><th colspan="2">${this.rightLabel}</th></tr></thead>
        <tbody>
          ${this.rows.map(
            (r) => html`<tr class=${r.kind}>${this.cells(r.left, "del")}${this.cells(r.right, "ins", true)}</tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}
customElements.define("tl-prompt-diff", TlPromptDiff);

declare global {
  interface HTMLElementTagNameMap {
    "tl-prompt-diff": TlPromptDiff;
  }
}
