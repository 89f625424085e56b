import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { icons } from "../components/icons.js";
import { formatTime } from "../lib/format.js";
import { shared } from "../styles.js";

/** What the lightbox shows: one image at full size and what it is. */
export interface LightboxImage {
  src: string;
  runName: string;
  color: string;
  /** The key of a logged image, or the artifact path. */
  label: string;
  step?: number;
  timestamp?: number;
}

/** Moves the lightbox asks its owner for: another step (±1) or another run (±1). */
export interface LightboxMove {
  step?: -1 | 1;
  run?: -1 | 1;
}

/**
 * The enlarged image of `<tl-image-grid>` on a native `<dialog>` (top layer, focus kept inside, Esc closes). The
 * arrow keys ask the owner for the previous/next step (← →) or run (↑ ↓) with a `lightbox-move` event; Esc, the
 * close button and a click on the backdrop fire `close`.
 */
export class TlImageLightbox extends LitElement {
  static override properties = { image: { attribute: false } };
  declare image: LightboxImage | undefined;

  static override styles = [
    shared,
    css`
      dialog {
        border: 1px solid var(--tl-border); border-radius: 8px; padding: 0; background: var(--tl-bg); color: var(--tl-fg);
        max-width: calc(100vw - 48px); max-height: calc(100vh - 48px); box-shadow: 0 8px 32px rgb(0 0 0 / 0.3);
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.6); }
      header { display: flex; align-items: center; gap: 8px; padding: 8px 8px 8px 14px; font-size: 13px; }
      header .what { flex: 1; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .sw { width: 10px; height: 10px; border-radius: 2px; }
      .label { font-family: var(--tl-mono); }
      .body {
        padding: 0 14px 14px; display: flex; justify-content: center;
        background: repeating-conic-gradient(var(--tl-bg-alt) 0 25%, var(--tl-bg) 0 50%) 0 0 / 16px 16px;
      }
      /* Enlarged means large: small images (a 28 px digit) are scaled up to the box, big ones down, keeping the ratio. */
      img {
        display: block; height: min(calc(100vh - 140px), 720px); width: auto; max-width: calc(100vw - 80px);
        object-fit: contain;
      }
      .hint { color: var(--tl-muted); font-size: 12px; }
      button { border: none; background: none; padding: 4px; color: var(--tl-muted); }
    `,
  ];

  constructor() {
    super();
    this.image = undefined;
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog");
  }

  override updated(changed: PropertyValues<this>) {
    const d = this.dialog;
    if (!d || !changed.has("image")) return;
    if (this.image && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    } else if (!this.image && d.open) d.close();
  }

  private close() {
    this.dispatchEvent(new CustomEvent("close"));
  }

  /** Esc: the owner closes (the dialog stays in step with `image`). */
  private onCancel(e: Event) {
    e.preventDefault();
    this.close();
  }

  private onKey(e: KeyboardEvent) {
    const move: LightboxMove | undefined =
      e.key === "ArrowLeft"
        ? { step: -1 }
        : e.key === "ArrowRight"
          ? { step: 1 }
          : e.key === "ArrowUp"
            ? { run: -1 }
            : e.key === "ArrowDown"
              ? { run: 1 }
              : undefined;
    if (!move) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent<LightboxMove>("lightbox-move", { detail: move }));
  }

  override render() {
    const i = this.image;
    const caption = i
      ? `${i.label} of ${i.runName}${i.step !== undefined ? ` at step ${i.step}` : ""}`
      : "Enlarged image";
    return html`<dialog aria-label=${caption} @cancel=${this.onCancel}
      @click=${(e: MouseEvent) => e.target === this.dialog && this.close()} @keydown=${this.onKey}>
      ${
        i
          ? html`<header>
              <span class="what">
                <span class="sw" style="background:${i.color}"></span><strong>${i.runName}</strong>
                <span class="label">${i.label}</span>
                ${i.step !== undefined ? html`<span class="step">Step ${i.step}</span>` : nothing}
                ${i.timestamp ? html`<span class="hint">${formatTime(i.timestamp)}</span>` : nothing}
              </span>
              <span class="hint">${i.step !== undefined ? "← → step · " : ""}↑ ↓ run</span>
              <button aria-label="Close" title="Close (Esc)" @click=${this.close}>${icons.close}</button>
            </header>
            <div class="body"><img src=${i.src} alt=${caption} /></div>`
          : nothing
      }
    </dialog>`;
  }
}
customElements.define("tl-image-lightbox", TlImageLightbox);
