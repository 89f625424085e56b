import { collect, paginate } from "@tracklite/client";
import type { Issue, LabelSchema, ReviewQueue, ReviewQueueItem, ReviewStatus } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import "./genai-frame.js";
import "./review-items.js";
import { client } from "../api.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { labelInputText, REVIEW_STATUSES, SEVERITY_RANK } from "./genai-format.js";

/** Everything the page shows, loaded together. */
interface ReviewData {
  queues: ReviewQueue[];
  /** Items of each queue (by queue id). */
  items: Map<string, ReviewQueueItem[]>;
  schemas: LabelSchema[];
  issues: Issue[];
}

const count = (items: ReviewQueueItem[] | undefined, s: ReviewStatus) =>
  items?.filter((i) => i.status === s).length ?? 0;

/**
 * `#/experiments/:experimentId/review-queue` (MLflow's path): human review of the experiment's traces. Labeling
 * sessions (review queues) with their reviewers, questions and progress; the chosen session's items and statuses
 * (URL `selectedQueueId`, as MLflow's UI names it, and `status`); the label schemas (the questions asked); and the
 * issues found in the traces.
 */
export class TlGenaiReviewPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    data: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare data: ReviewData | undefined;
  declare error: unknown;
  private loadedFor = "";

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; margin-bottom: 8px; }
      tr.selected td { background: var(--tl-bg-hover); }
      td button.link { border: 0; background: none; padding: 0; color: var(--tl-accent); font-weight: 600; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .sev-high { color: var(--tl-danger); font-weight: 600; }
      .sev-medium { color: var(--tl-warn); font-weight: 600; }
      .default { font-size: 11px; }
      section { margin-bottom: 16px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.data = undefined;
    this.error = undefined;
  }

  private get experimentId() {
    return this.params.experimentId ?? "";
  }

  override willUpdate(_changed: PropertyValues<this>) {
    if (this.experimentId !== this.loadedFor) {
      this.loadedFor = this.experimentId;
      this.data = undefined;
      void this.load();
    }
  }

  private async load() {
    const id = this.experimentId;
    this.error = undefined;
    try {
      const [queues, schemas, issues] = await Promise.all([
        collect(paginate((t) => client.listReviewQueues(id, { pageToken: t }))),
        collect(paginate((t) => client.listLabelSchemas(id, { pageToken: t }))),
        collect(paginate((t) => client.searchIssues(id, { pageToken: t, includeTraceCount: true }))),
      ]);
      const items = new Map(
        await Promise.all(
          queues.map(async (q) => [q.queue_id, (await client.listReviewQueueItems(q.queue_id)).items] as const),
        ),
      );
      if (id === this.experimentId) this.data = { queues, items, schemas, issues };
    } catch (e) {
      if (id === this.experimentId) this.error = e;
    }
  }

  /** Puts a changed item in place (the session's counts follow). */
  private replaceItem(item: ReviewQueueItem) {
    const d = this.data;
    if (!d) return;
    const items = new Map(d.items);
    items.set(
      item.queue_id,
      (items.get(item.queue_id) ?? []).map((i) => (i.item_id === item.item_id ? item : i)),
    );
    this.data = { ...d, items };
  }

  private setQuery(patch: Record<string, string | undefined>) {
    const q = Object.fromEntries(this.query);
    navigate(`/experiments/${encodeURIComponent(this.experimentId)}/review-queue`, { ...q, ...patch }, true);
  }

  private renderQueues(d: ReviewData, chosen: ReviewQueue | undefined) {
    if (d.queues.length === 0) {
      return html`<p class="muted">No labeling sessions. Create one with
        <code>mlflow.genai.review_queues.create_review_queue("…", queue_type="custom")</code>.</p>`;
    }
    const schemaName = new Map(d.schemas.map((s) => [s.schema_id, s.name]));
    return html`<table aria-label="Labeling sessions">
      <thead><tr><th>Name</th><th>Type</th><th>Reviewers</th><th>Questions</th><th class="num">Items</th>
        <th class="num">Completed</th><th class="num">Declined</th><th class="num">Pending</th><th>Created</th></tr></thead>
      <tbody>${d.queues.map((q) => {
        const items = d.items.get(q.queue_id);
        return html`<tr data-id=${q.queue_id} class=${q === chosen ? "selected" : ""}>
          <td><button class="link" @click=${() => this.setQuery({ selectedQueueId: q.queue_id, status: undefined })}>${q.name}</button></td>
          <td>${q.queue_type === "USER" ? "Personal" : "Session"}</td>
          <td>${(q.users ?? []).join(", ")}</td>
          <td>${(q.schema_ids ?? []).map((id) => html`<span class="tag">${schemaName.get(id) ?? id}</span>`)}</td>
          <td class="num">${items?.length ?? 0}</td>
          <td class="num">${count(items, "COMPLETE")}</td>
          <td class="num">${count(items, "DECLINED")}</td>
          <td class="num">${count(items, "PENDING")}</td>
          <td><tl-time .ms=${q.creation_time_ms}></tl-time>${q.created_by ? html` <span class="muted">by ${q.created_by}</span>` : nothing}</td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  private renderSchemas(schemas: LabelSchema[]) {
    return html`<table aria-label="Label schemas">
      <thead><tr><th>Name</th><th>Type</th><th>Answer</th><th>Instruction</th><th>Comments</th><th>Created</th></tr></thead>
      <tbody>${schemas.map(
        (s) => html`<tr data-id=${s.schema_id}>
          <td>${s.name}${s.is_default ? html` <span class="tag default">default</span>` : nothing}</td>
          <td>${s.type === "FEEDBACK" ? "Feedback" : "Expectation"}</td>
          <td>${labelInputText(s.input)}</td>
          <td>${s.instruction ?? ""}</td>
          <td>${s.enable_comment ? "Yes" : "No"}</td>
          <td><tl-time .ms=${s.created_at}></tl-time></td>
        </tr>`,
      )}</tbody>
    </table>`;
  }

  private renderIssues(issues: Issue[]) {
    if (issues.length === 0) return html`<p class="muted">No issues recorded in this experiment.</p>`;
    const sorted = [...issues].sort(
      (a, b) => (SEVERITY_RANK[b.severity ?? ""] ?? -1) - (SEVERITY_RANK[a.severity ?? ""] ?? -1),
    );
    return html`<table aria-label="Issues">
      <thead><tr><th>Name</th><th>Status</th><th>Severity</th><th class="num">Traces</th><th>Description</th>
        <th>Categories</th><th>Created</th></tr></thead>
      <tbody>${sorted.map(
        (i) => html`<tr data-id=${i.issue_id}>
          <td>${i.name}</td>
          <td>${i.status.charAt(0).toUpperCase()}${i.status.slice(1)}</td>
          <td class=${`sev-${i.severity ?? "none"}`}>${i.severity?.replace(/_/g, " ") ?? "—"}</td>
          <td class="num">${i.trace_count ?? 0}</td>
          <td>${i.description}</td>
          <td>${(i.categories ?? []).map((c) => html`<span class="tag">${c}</span>`)}</td>
          <td><tl-time .ms=${i.created_timestamp}></tl-time></td>
        </tr>`,
      )}</tbody>
    </table>`;
  }

  private renderBody() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    const d = this.data;
    if (!d) return html`<tl-skeleton rows="6" label="Loading review queues"></tl-skeleton>`;
    const chosen = d.queues.find((q) => q.queue_id === this.query.get("selectedQueueId")) ?? d.queues[0];
    const status = REVIEW_STATUSES.find((s) => s === this.query.get("status"));
    return html`<section aria-label="Labeling sessions"><h2>Labeling sessions</h2>${this.renderQueues(d, chosen)}</section>
      ${
        chosen
          ? html`<section aria-label="Items of ${chosen.name}">
              <h2>${chosen.name}: items</h2>
              <tl-review-items .experimentId=${this.experimentId} .queueId=${chosen.queue_id}
                .items=${d.items.get(chosen.queue_id) ?? []}
                @item-updated=${(e: CustomEvent<ReviewQueueItem>) => this.replaceItem(e.detail)}
                .status=${status} @status-filter=${(e: CustomEvent<ReviewStatus | undefined>) => this.setQuery({ status: e.detail })}></tl-review-items>
            </section>`
          : nothing
      }
      <section aria-label="Label schemas"><h2>Label schemas</h2>${this.renderSchemas(d.schemas)}</section>
      <section aria-label="Issues"><h2>Issues</h2>${this.renderIssues(d.issues)}</section>`;
  }

  override render() {
    return html`<tl-genai-frame .experimentId=${this.experimentId} active="review">${this.renderBody()}</tl-genai-frame>`;
  }
}
customElements.define("tl-genai-review-page", TlGenaiReviewPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-genai-review-page": TlGenaiReviewPage;
  }
}
