import { css, html, LitElement } from "lit";

/** Placeholder rows while something loads: the space the content will take, so nothing jumps when it lands. */
export class TlSkeleton extends LitElement {
  static override properties = { rows: { type: Number }, label: {} };
  declare rows: number;
  /** What is loading, for screen readers ("Loading experiments"). */
  declare label: string;

  static override styles = css`
    :host { display: block; }
    .row { height: 28px; display: flex; align-items: center; gap: 12px; border-bottom: 1px solid var(--tl-border); }
    .bar {
      height: 10px; border-radius: 4px; background: var(--tl-bg-hover);
      background: linear-gradient(90deg, var(--tl-bg-hover) 25%, var(--tl-bg-alt) 50%, var(--tl-bg-hover) 75%);
      background-size: 200% 100%; animation: shimmer 1.4s ease-in-out infinite;
    }
    @keyframes shimmer { from { background-position: 100% 0; } to { background-position: -100% 0; } }
    @media (prefers-reduced-motion: reduce) { .bar { animation: none; } }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  `;

  constructor() {
    super();
    this.rows = 5;
    this.label = "Loading";
  }

  override render() {
    // Varying widths look like text rather than a striped block.
    const widths = [38, 52, 30, 45, 60, 34];
    return html`<div role="status" aria-busy="true">
      <span class="sr">${this.label}…</span>
      ${Array.from(
        { length: this.rows },
        (_, i) => html`<div class="row" aria-hidden="true">
          <div class="bar" style="width:${widths[i % widths.length]}%"></div>
          <div class="bar" style="width:${12 + ((i * 7) % 10)}%"></div>
        </div>`,
      )}
    </div>`;
  }
}
customElements.define("tl-skeleton", TlSkeleton);

declare global {
  interface HTMLElementTagNameMap {
    "tl-skeleton": TlSkeleton;
  }
}
