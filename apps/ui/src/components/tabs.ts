import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";

export interface Tab {
  id: string;
  label: string;
  /** Shown after the label in a muted badge (a count of runs, say). */
  count?: number | string;
}

/**
 * A row of tabs (`role="tablist"`). The parent owns the active tab: it listens to `tab-change` (detail: the tab id)
 * and sets `.active`. Arrow keys, Home and End move between tabs.
 */
export class TlTabs extends LitElement {
  static override properties = { tabs: { attribute: false }, active: {} };
  declare tabs: Tab[];
  declare active: string;

  static override styles = [
    shared,
    css`
      [role="tablist"] { display: flex; gap: 2px; border-bottom: 1px solid var(--tl-border); overflow-x: auto; }
      button {
        border: 0; border-radius: 0; background: none; color: var(--tl-muted); padding: 6px 12px;
        border-bottom: 2px solid transparent; margin-bottom: -1px; white-space: nowrap;
      }
      button:hover { color: var(--tl-fg); background: var(--tl-bg-hover); }
      button[aria-selected="true"] { color: var(--tl-fg); border-bottom-color: var(--tl-accent); font-weight: 600; }
      .count {
        font-size: 11px; margin-left: 4px; padding: 0 5px; border-radius: 999px; background: var(--tl-bg-alt);
        color: var(--tl-muted); font-weight: 400; font-variant-numeric: tabular-nums;
      }
    `,
  ];

  constructor() {
    super();
    this.tabs = [];
    this.active = "";
  }

  private select(id: string) {
    if (id !== this.active) {
      this.dispatchEvent(new CustomEvent<string>("tab-change", { detail: id, bubbles: true, composed: true }));
    }
  }

  private onKey(e: KeyboardEvent) {
    const i = this.tabs.findIndex((t) => t.id === this.active);
    const n = this.tabs.length;
    let next: number | undefined;
    if (e.key === "ArrowRight") next = (i + 1) % n;
    else if (e.key === "ArrowLeft") next = (i - 1 + n) % n;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = n - 1;
    const tab = next === undefined ? undefined : this.tabs[next];
    if (!tab) return;
    e.preventDefault();
    this.select(tab.id);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>(`button[data-id="${CSS.escape(tab.id)}"]`)?.focus(),
    );
  }

  override render() {
    return html`<div role="tablist" @keydown=${this.onKey}>
      ${this.tabs.map((t) => {
        const selected = t.id === this.active;
        return html`<button
          role="tab"
          data-id=${t.id}
          aria-selected=${selected ? "true" : "false"}
          tabindex=${selected || (!this.active && t === this.tabs[0]) ? "0" : "-1"}
          @click=${() => this.select(t.id)}
        >${t.label}${t.count === undefined ? "" : html`<span class="count">${t.count}</span>`}</button>`;
      })}
    </div>`;
  }
}
customElements.define("tl-tabs", TlTabs);

declare global {
  interface HTMLElementTagNameMap {
    "tl-tabs": TlTabs;
  }
}
