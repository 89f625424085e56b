import { css, html, LitElement, type PropertyValues } from "lit";

/**
 * Two panes with a draggable divider: slots `start` and `end`, side by side (or stacked with `.vertical`). `size` is
 * the start pane's share in percent; with `storageKey` the user's choice survives reloads. The divider is a focusable
 * `separator`: arrow keys resize, double-click resets. Fires `split-resize` (detail: the new size).
 */
export class TlSplit extends LitElement {
  static override properties = {
    vertical: { type: Boolean, reflect: true },
    size: { type: Number },
    min: { type: Number },
    storageKey: { attribute: "storage-key" },
  };
  declare vertical: boolean;
  declare size: number;
  /** Smallest pane, in px. */
  declare min: number;
  declare storageKey: string;
  private initial = 50;

  static override styles = css`
    :host { display: flex; min-width: 0; min-height: 0; overflow: hidden; }
    :host([vertical]) { flex-direction: column; }
    .pane { min-width: 0; min-height: 0; overflow: auto; }
    .end { flex: 1 1 0; }
    .divider { flex: 0 0 6px; cursor: col-resize; position: relative; touch-action: none; }
    :host([vertical]) .divider { cursor: row-resize; }
    .divider::after {
      content: ""; position: absolute; inset: 0 2px; background: var(--tl-border); border-radius: 2px;
    }
    :host([vertical]) .divider::after { inset: 2px 0; }
    .divider:hover::after, .divider:focus-visible::after, .divider.dragging::after { background: var(--tl-accent); }
    .divider:focus-visible { outline: none; }
  `;

  constructor() {
    super();
    this.vertical = false;
    this.size = 50;
    this.min = 120;
    this.storageKey = "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!this.hasUpdated) this.initial = this.size;
    if (changed.has("storageKey") && this.storageKey) {
      const saved = Number(localStorage.getItem(`tracklite.split.${this.storageKey}`));
      if (saved > 0 && saved < 100) this.size = saved;
    }
  }

  private setSize(pct: number) {
    const extent = this.vertical ? this.clientHeight : this.clientWidth;
    const minPct = extent > 0 ? Math.min(45, (this.min / extent) * 100) : 10;
    this.size = Math.round(Math.min(100 - minPct, Math.max(minPct, pct)) * 10) / 10;
    if (this.storageKey) localStorage.setItem(`tracklite.split.${this.storageKey}`, String(this.size));
    this.dispatchEvent(new CustomEvent<number>("split-resize", { detail: this.size, bubbles: true, composed: true }));
  }

  private onPointerDown(e: PointerEvent) {
    const divider = e.currentTarget as HTMLElement;
    divider.setPointerCapture(e.pointerId);
    divider.classList.add("dragging");
    const rect = this.getBoundingClientRect();
    const move = (ev: PointerEvent) => {
      const pct = this.vertical
        ? ((ev.clientY - rect.top) / rect.height) * 100
        : ((ev.clientX - rect.left) / rect.width) * 100;
      this.setSize(pct);
    };
    const up = () => {
      divider.classList.remove("dragging");
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", up);
    };
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", up);
    e.preventDefault();
  }

  private onKey(e: KeyboardEvent) {
    const back = this.vertical ? "ArrowUp" : "ArrowLeft";
    const fwd = this.vertical ? "ArrowDown" : "ArrowRight";
    const step = e.shiftKey ? 10 : 2;
    if (e.key === back) this.setSize(this.size - step);
    else if (e.key === fwd) this.setSize(this.size + step);
    else if (e.key === "Home") this.setSize(0);
    else if (e.key === "End") this.setSize(100);
    else return;
    e.preventDefault();
  }

  override render() {
    return html`<div class="pane start" style="flex: 0 0 ${this.size}%"><slot name="start"></slot></div>
      <div
        class="divider"
        role="separator"
        tabindex="0"
        aria-label="Resize panels"
        aria-orientation=${this.vertical ? "horizontal" : "vertical"}
        aria-valuenow=${Math.round(this.size)}
        aria-valuemin="0"
        aria-valuemax="100"
        @pointerdown=${this.onPointerDown}
        @keydown=${this.onKey}
        @dblclick=${() => this.setSize(this.initial)}
      ></div>
      <div class="pane end"><slot name="end"></slot></div>`;
  }
}
customElements.define("tl-split", TlSplit);

declare global {
  interface HTMLElementTagNameMap {
    "tl-split": TlSplit;
  }
}
