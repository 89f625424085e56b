import { css, html, LitElement } from "lit";
import { formatAgo, formatTime } from "../lib/format.js";

/** Every mounted <tl-time>, refreshed together once a minute (one timer for the whole page). */
const mounted = new Set<TlTime>();
let timer: ReturnType<typeof setInterval> | undefined;

/** A relative time ("3 min ago") with the absolute local time as tooltip; refreshes itself. */
export class TlTime extends LitElement {
  static override properties = { ms: { type: Number } };
  declare ms: number | undefined;

  static override styles = css`
    :host { display: inline; white-space: nowrap; font-variant-numeric: tabular-nums; }
  `;

  constructor() {
    super();
    this.ms = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    mounted.add(this);
    timer ??= setInterval(() => {
      for (const t of mounted) t.requestUpdate();
    }, 30_000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    mounted.delete(this);
    if (mounted.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  override render() {
    const ms = Number(this.ms);
    if (!this.ms || !Number.isFinite(ms)) return html`<span class="muted">—</span>`;
    return html`<time datetime=${new Date(ms).toISOString()} title=${formatTime(ms)}>${formatAgo(ms)}</time>`;
  }
}
customElements.define("tl-time", TlTime);

declare global {
  interface HTMLElementTagNameMap {
    "tl-time": TlTime;
  }
}
