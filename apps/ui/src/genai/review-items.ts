import type { ReviewQueueItem, ReviewStatus, TraceInfoV3 } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/time.js";
import { client } from "../api.js";
import { fetchCurrentUser } from "../auth/current-user.js";
import { describeError } from "../components/error.js";
import { icons } from "../components/icons.js";
import { toast } from "../components/toast.js";
import { shared } from "../styles.js";
import { REVIEW_STATUS, REVIEW_STATUSES } from "./genai-format.js";

/** How many items get their trace's request preview fetched. */
const PREVIEWS = 100;
/** Where the reviewer's name is remembered (servers without auth have no signed-in user to take it from). */
const REVIEWER_KEY = "tracklite.reviewer";

/** The status changes a row offers, by its current status. */
const ACTIONS: Record<ReviewStatus, { status: ReviewStatus; label: string }[]> = {
  PENDING: [
    { status: "COMPLETE", label: "Complete" },
    { status: "DECLINED", label: "Decline" },
  ],
  COMPLETE: [{ status: "PENDING", label: "Reopen" }],
  DECLINED: [{ status: "PENDING", label: "Reopen" }],
};

/**
 * The items of one labeling session: the trace (linked, with its request preview), the status as a pill with icon
 * and word, who completed it and when. A status filter above fires `status-filter` (detail: the status or undefined).
 * Each row can be completed, declined or reopened in the reviewer's name (the signed-in user, else a name typed
 * once); the changed item is sent up as `item-updated`.
 */
export class TlReviewItems extends LitElement {
  static override properties = {
    experimentId: {},
    queueId: {},
    items: { attribute: false },
    status: {},
    previews: { state: true },
    reviewer: { state: true },
    busy: { state: true },
  };
  declare experimentId: string;
  declare queueId: string;
  declare reviewer: string;
  /** The item whose status is being written. */
  declare busy: string | undefined;
  declare items: ReviewQueueItem[];
  declare status: ReviewStatus | undefined;
  declare previews: Map<string, TraceInfoV3>;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      .status { display: inline-flex; align-items: center; gap: 4px; font-size: 12px; line-height: 18px;
        padding: 0 7px 0 5px; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
      .finished { color: var(--tl-ok); }
      .pending { color: var(--tl-warn); }
      .killed { color: var(--tl-muted); }
      .preview { color: var(--tl-muted); max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      select, input { font-size: 12.5px; padding: 2px 4px; }
      td.actions { white-space: nowrap; }
      button.small { font-size: 12px; padding: 0 8px; line-height: 20px; margin-right: 4px; }
    `,
  ];

  constructor() {
    super();
    this.experimentId = "";
    this.queueId = "";
    this.reviewer = localStorage.getItem(REVIEWER_KEY) ?? "";
    this.busy = undefined;
    this.items = [];
    this.status = undefined;
    this.previews = new Map();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.reviewer) {
      void fetchCurrentUser()
        .then((u) => {
          if (u && !this.reviewer) this.reviewer = u.user.username;
        })
        .catch(() => {});
    }
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("items")) void this.loadPreviews();
  }

  private async setStatus(item: ReviewQueueItem, status: ReviewStatus) {
    const by = this.reviewer.trim();
    this.busy = item.item_id;
    try {
      const updated = await client.setReviewQueueItemStatus(
        this.queueId,
        item.item_id,
        status,
        status === "PENDING" ? undefined : by,
      );
      this.dispatchEvent(
        new CustomEvent<ReviewQueueItem>("item-updated", { detail: updated, bubbles: true, composed: true }),
      );
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not mark the item ${REVIEW_STATUS[status].label.toLowerCase()}: ${code}: ${message}`, "error");
    } finally {
      this.busy = undefined;
    }
  }

  private onReviewer(e: Event) {
    this.reviewer = (e.target as HTMLInputElement).value;
    localStorage.setItem(REVIEWER_KEY, this.reviewer.trim());
  }

  private async loadPreviews() {
    const want = this.items.slice(0, PREVIEWS).filter((i) => !this.previews.has(i.item_id));
    if (want.length === 0) return;
    const got = await Promise.all(want.map((i) => client.getTraceInfo(i.item_id).catch(() => undefined)));
    const next = new Map(this.previews);
    for (const info of got) if (info) next.set(info.trace_id, info);
    this.previews = next;
  }

  override render() {
    const shown = this.status ? this.items.filter((i) => i.status === this.status) : this.items;
    const exp = encodeURIComponent(this.experimentId);
    return html`<div class="toolbar">
        <label>Status <select aria-label="Filter items by status" @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.dispatchEvent(
            new CustomEvent("status-filter", { detail: v || undefined, bubbles: true, composed: true }),
          );
        }}>
          <option value="" ?selected=${!this.status}>All (${this.items.length})</option>
          ${REVIEW_STATUSES.map(
            (s) => html`<option value=${s} ?selected=${s === this.status}>${REVIEW_STATUS[s].label}
              (${this.items.filter((i) => i.status === s).length})</option>`,
          )}
        </select></label>
        <span class="spacer"></span>
        <label>Reviewer <input aria-label="Reviewer" placeholder="Your name" .value=${this.reviewer}
          @input=${this.onReviewer}></label>
      </div>
      ${
        shown.length === 0
          ? html`<p class="muted">No items${this.status ? ` with status ${REVIEW_STATUS[this.status].label}` : ""}.</p>`
          : html`<table aria-label="Review items">
          <thead><tr><th>Trace</th><th>Request</th><th>Status</th><th>Completed by</th><th>Updated</th>
            <th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${shown.map((i) => {
            const s = REVIEW_STATUS[i.status];
            const preview = this.previews.get(i.item_id)?.request_preview;
            return html`<tr data-id=${i.item_id}>
              <td class="mono"><a href="#/experiments/${exp}/traces/${encodeURIComponent(i.item_id)}" title=${i.item_id}>${i.item_id.slice(0, 11)}…</a></td>
              <td class="preview" title=${preview ?? ""}>${preview ?? ""}</td>
              <td><span class="status ${s.kind}" title=${i.status}>${icons[s.icon]}${s.label}</span></td>
              <td>${i.completed_by ?? nothing}</td>
              <td><tl-time .ms=${i.last_update_time_ms}></tl-time></td>
              <td class="actions">${ACTIONS[i.status].map(
                (
                  a,
                ) => html`<button class="small" ?disabled=${this.busy === i.item_id || (a.status !== "PENDING" && !this.reviewer.trim())}
                  title=${a.status !== "PENDING" && !this.reviewer.trim() ? "Enter the reviewer's name first" : `${a.label} this item`}
                  @click=${() => this.setStatus(i, a.status)}>${a.label}</button>`,
              )}</td>
            </tr>`;
          })}</tbody>
        </table>`
      }`;
  }
}
customElements.define("tl-review-items", TlReviewItems);

declare global {
  interface HTMLElementTagNameMap {
    "tl-review-items": TlReviewItems;
  }
}
