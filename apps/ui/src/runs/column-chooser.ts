import { css, html, LitElement, nothing } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { type ChosenColumn, type ColumnKind, columnId } from "./view-state.js";

const TITLES: Record<ColumnKind, string> = { params: "Params", metrics: "Metrics", tags: "Tags" };
const MAX_LISTED = 300;

/**
 * The "Columns" button and its panel: the param, metric and tag keys seen in the loaded runs, searchable, with a
 * checkbox each. Fires `columns-change` with the new choice (undefined = back to the default choice).
 */
export class TlColumnChooser extends LitElement {
  static override properties = {
    keys: { attribute: false },
    chosen: { attribute: false },
    open: { state: true },
    search: { state: true },
  };
  declare keys: Record<ColumnKind, string[]>;
  declare chosen: ChosenColumn[];
  declare open: boolean;
  declare search: string;

  static override styles = [
    shared,
    css`
      :host { position: relative; display: inline-block; }
      .panel {
        position: absolute; z-index: 30; right: 0; top: calc(100% + 4px); width: 340px; max-height: 460px; display: flex;
        flex-direction: column; background: var(--tl-bg); border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); box-shadow: var(--tl-shadow);
      }
      .top { display: flex; gap: 6px; padding: 8px; border-bottom: 1px solid var(--tl-border); }
      .top input { flex: 1; min-width: 0; }
      .list { overflow: auto; padding: 4px 0 8px; }
      h3 {
        font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; margin: 8px 10px 2px; color: var(--tl-muted);
        display: flex; align-items: center; gap: 6px;
      }
      h3::before { content: ""; width: 8px; height: 8px; border-radius: 2px; background: var(--c); }
      .g-params { --c: var(--tl-accent); }
      .g-metrics { --c: var(--tl-ok); }
      .g-tags { --c: var(--tl-warn); }
      label { display: flex; gap: 6px; align-items: center; padding: 2px 10px; font-size: 12.5px; cursor: pointer; }
      label:hover { background: var(--tl-bg-hover); }
      label span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--tl-mono); font-size: 12px; }
      .none { padding: 2px 10px; font-size: 12px; }
      .bottom { display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--tl-border); }
      .matching {
        display: flex; gap: 6px; align-items: center; padding: 6px 8px; border-top: 1px solid var(--tl-border);
        font-size: 12px;
      }
      .matching button { font-size: 12px; padding: 2px 8px; }
    `,
  ];

  constructor() {
    super();
    this.keys = { params: [], metrics: [], tags: [] };
    this.chosen = [];
    this.open = false;
    this.search = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("pointerdown", this.onOutside);
  }

  override disconnectedCallback() {
    window.removeEventListener("pointerdown", this.onOutside);
    super.disconnectedCallback();
  }

  private onOutside = (e: PointerEvent) => {
    if (this.open && !e.composedPath().includes(this)) this.open = false;
  };

  private emit(columns: ChosenColumn[] | undefined) {
    this.dispatchEvent(new CustomEvent("columns-change", { detail: columns, bubbles: true, composed: true }));
  }

  private toggle(kind: ColumnKind, key: string, on: boolean) {
    const id = columnId({ kind, key });
    const rest = this.chosen.filter((c) => columnId(c) !== id);
    this.emit(on ? [...rest, { kind, key }] : rest);
  }

  private toggleOpen() {
    this.open = !this.open;
    if (this.open)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(".top input")?.focus());
  }

  /** The keys of one kind matching the search (chosen ones included), and which of them are chosen. */
  private hits(kind: ColumnKind): { hits: string[]; chosen: Set<string> } {
    const chosen = new Set(this.chosen.filter((c) => c.kind === kind).map((c) => c.key));
    const all = [...new Set([...chosen, ...this.keys[kind]])];
    const q = this.search.toLowerCase();
    return { hits: q ? all.filter((k) => k.toLowerCase().includes(q)) : all, chosen };
  }

  /**
   * Adds every key matching the search (or, with `on` false, removes them): with thousands of keys (mlflow/mlflow#11927)
   * ticking boxes one by one is no way to build a table.
   */
  private setMatching(on: boolean) {
    const kinds = ["metrics", "params", "tags"] as const;
    const matched = new Set(kinds.flatMap((kind) => this.hits(kind).hits.map((key) => columnId({ kind, key }))));
    const rest = this.chosen.filter((c) => !matched.has(columnId(c)));
    if (!on) {
      this.emit(rest);
      return;
    }
    const have = new Set(this.chosen.map(columnId));
    const added = kinds.flatMap((kind) =>
      this.hits(kind)
        .hits.filter((key) => !have.has(columnId({ kind, key })))
        .map((key) => ({ kind, key })),
    );
    this.emit([...this.chosen, ...added]);
  }

  private renderGroup(kind: ColumnKind) {
    const { hits, chosen } = this.hits(kind);
    return html`<h3 class="g-${kind}">${TITLES[kind]} <span class="muted">(${hits.length})</span></h3>
      ${hits.length === 0 ? html`<div class="none muted">None</div>` : nothing}
      ${hits.slice(0, MAX_LISTED).map(
        (k) => html`<label title=${k}>
          <input type="checkbox" .checked=${chosen.has(k)}
            @change=${(e: Event) => this.toggle(kind, k, (e.target as HTMLInputElement).checked)} />
          <span>${k}</span>
        </label>`,
      )}
      ${hits.length > MAX_LISTED ? html`<div class="none muted">${hits.length - MAX_LISTED} more: refine the search</div>` : nothing}`;
  }

  /** "Add all 4,500 matching" / "Remove all …" for the keys the search matches. */
  private renderMatching() {
    const groups = (["metrics", "params", "tags"] as const).map((k) => this.hits(k));
    const total = groups.reduce((n, g) => n + g.hits.length, 0);
    const on = groups.reduce((n, g) => n + g.hits.filter((k) => g.chosen.has(k)).length, 0);
    if (total === 0) return nothing;
    const what = this.search ? "matching" : "";
    return html`<div class="matching">
      <button ?disabled=${on === total} @click=${() => this.setMatching(true)}>
        Add all ${(total - on).toLocaleString("en-US")} ${what}</button>
      <button ?disabled=${on === 0} @click=${() => this.setMatching(false)}>
        Remove all ${on.toLocaleString("en-US")} ${what}</button>
      <span class="muted">${on.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} shown</span>
    </div>`;
  }

  override render() {
    return html`<button aria-haspopup="dialog" aria-expanded=${this.open ? "true" : "false"} @click=${this.toggleOpen}>
        Columns <span class="muted">${this.chosen.length}</span> ${icons.chevronDown}
      </button>
      ${
        this.open
          ? html`<div class="panel" role="dialog" aria-label="Choose columns"
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === "Escape") {
                  this.open = false;
                  e.stopPropagation();
                }
              }}>
              <div class="top">
                <input type="search" placeholder="Search keys" aria-label="Search column keys" .value=${this.search}
                  @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)} />
              </div>
              <div class="list">${(["metrics", "params", "tags"] as const).map((k) => this.renderGroup(k))}</div>
              ${this.renderMatching()}
              <div class="bottom">
                <button @click=${() => this.emit(undefined)} title="Metrics and params seen in the loaded runs">Default columns</button>
                <button @click=${() => this.emit([])}>Hide all</button>
                <span class="spacer"></span>
                <button @click=${() => (this.open = false)}>Done</button>
              </div>
            </div>`
          : nothing
      }`;
  }
}
customElements.define("tl-column-chooser", TlColumnChooser);

declare global {
  interface HTMLElementTagNameMap {
    "tl-column-chooser": TlColumnChooser;
  }
}
