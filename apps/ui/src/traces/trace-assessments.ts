import type { Assessment } from "@tracklite/schemas";
import { css, html, LitElement, nothing } from "lit";
import "../components/error.js";
import { icons } from "../components/icons.js";
import { formatAgo, formatTime } from "../lib/format.js";
import { shared } from "../styles.js";
import { assessmentKind, assessmentValue } from "./trace-info.js";
import { createAssessment, deleteAssessment, updateAssessment } from "./traces-api.js";

/** What a typed value means: JSON when it parses (`true`, `0.5`, `{"a": 1}`), else the text itself. */
export function parseAssessmentValue(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

/** The source the UI writes as: a human, through this UI. */
const SOURCE = { source_type: "HUMAN", source_id: "tracklite-ui" };

/**
 * A trace's assessments (feedback and expectations): listed with value, rationale, source and time; added, edited
 * (PATCH with an update mask) and deleted through MLflow 3's assessment routes. Fires `assessments-change` (detail:
 * the new list) after each write; the page keeps the list.
 */
export class TlTraceAssessments extends LitElement {
  static override properties = {
    traceId: { attribute: false },
    assessments: { attribute: false },
    editing: { state: true },
    adding: { state: true },
    confirming: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  declare traceId: string;
  declare assessments: readonly Assessment[];
  /** Id of the assessment being edited. */
  declare editing: string | undefined;
  declare adding: boolean;
  /** Id of the assessment whose delete waits for a second click. */
  declare confirming: string | undefined;
  declare error: unknown;
  declare busy: boolean;

  static override styles = [
    shared,
    css`
      :host { display: block; font-size: 13px; }
      ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
      li { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; padding: 4px 6px; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      .kind { font-size: 10px; text-transform: uppercase; letter-spacing: 0.04em; border-radius: 3px; padding: 0 4px; border: 1px solid currentColor; }
      .kind.feedback { color: var(--tl-ok); }
      .kind.expectation { color: var(--tl-warn); }
      .name { font-weight: 600; }
      .value { font-family: var(--tl-mono); font-size: 12px; overflow-wrap: anywhere; }
      .rationale { color: var(--tl-muted); flex-basis: 100%; font-size: 12px; }
      .meta { color: var(--tl-muted); font-size: 11px; margin-left: auto; }
      form { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; padding: 6px; border: 1px dashed var(--tl-border); border-radius: var(--tl-radius); }
      form input[name="value"], form input[name="rationale"] { flex: 1 1 160px; }
      .actions { display: inline-flex; gap: 2px; }
    `,
  ];

  constructor() {
    super();
    this.traceId = "";
    this.assessments = [];
    this.editing = undefined;
    this.adding = false;
    this.confirming = undefined;
    this.error = undefined;
    this.busy = false;
  }

  private emit(list: Assessment[]) {
    this.dispatchEvent(
      new CustomEvent<Assessment[]>("assessments-change", { detail: list, bubbles: true, composed: true }),
    );
  }

  private async run(job: () => Promise<void>) {
    this.busy = true;
    this.error = undefined;
    try {
      await job();
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  }

  private onAdd(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const name = String(f.get("name") ?? "").trim();
    const kind = String(f.get("kind") ?? "feedback");
    const value = parseAssessmentValue(String(f.get("value") ?? ""));
    const rationale = String(f.get("rationale") ?? "").trim();
    if (!name) return;
    void this.run(async () => {
      const a = await createAssessment(this.traceId, {
        assessment_name: name,
        source: SOURCE,
        ...(kind === "expectation" ? { expectation: { value } } : { feedback: { value } }),
        ...(rationale ? { rationale } : {}),
      });
      this.adding = false;
      this.emit([...this.assessments, a]);
    });
  }

  private onEdit(e: SubmitEvent, a: Assessment) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const value = parseAssessmentValue(String(f.get("value") ?? ""));
    const rationale = String(f.get("rationale") ?? "").trim();
    void this.run(async () => {
      const changes =
        assessmentKind(a) === "expectation"
          ? { expectation: { value } }
          : { feedback: { value }, ...(rationale !== (a.rationale ?? "") ? { rationale } : {}) };
      const next = await updateAssessment(this.traceId, a.assessment_id ?? "", changes);
      this.editing = undefined;
      this.emit(this.assessments.map((x) => (x.assessment_id === a.assessment_id ? next : x)));
    });
  }

  private onDelete(a: Assessment) {
    if (this.confirming !== a.assessment_id) {
      this.confirming = a.assessment_id;
      return;
    }
    void this.run(async () => {
      await deleteAssessment(this.traceId, a.assessment_id ?? "");
      this.confirming = undefined;
      this.emit(this.assessments.filter((x) => x.assessment_id !== a.assessment_id));
    });
  }

  private renderItem(a: Assessment) {
    const kind = assessmentKind(a);
    if (this.editing === a.assessment_id) {
      return html`<li><form aria-label="Edit ${a.assessment_name}" @submit=${(e: SubmitEvent) => this.onEdit(e, a)}>
        <span class="kind ${kind}">${kind}</span><span class="name">${a.assessment_name}</span>
        <input name="value" aria-label="Value" .value=${assessmentValue(a)} required />
        ${kind === "feedback" ? html`<input name="rationale" aria-label="Rationale" placeholder="Rationale" .value=${a.rationale ?? ""} />` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
        <button type="button" @click=${() => (this.editing = undefined)}>Cancel</button>
      </form></li>`;
    }
    const when = Date.parse(a.last_update_time ?? a.create_time ?? "");
    return html`<li data-id=${a.assessment_id}>
      <span class="kind ${kind}">${kind}</span>
      <span class="name">${a.assessment_name}</span>
      <span class="value">${assessmentValue(a)}</span>
      <span class="meta" title=${formatTime(when)}>${a.source?.source_type ?? ""}${a.source?.source_id ? ` · ${a.source.source_id}` : ""} · ${formatAgo(when)}</span>
      <span class="actions">
        <button class="icon-button" aria-label="Edit ${a.assessment_name}" title="Edit" @click=${() => {
          this.editing = a.assessment_id;
          this.confirming = undefined;
        }}>${icons.edit}</button>
        <button class="icon-button ${this.confirming === a.assessment_id ? "danger" : ""}"
          aria-label=${this.confirming === a.assessment_id ? `Confirm delete ${a.assessment_name}` : `Delete ${a.assessment_name}`}
          title=${this.confirming === a.assessment_id ? "Click again to delete" : "Delete"}
          @click=${() => this.onDelete(a)}>${icons.trash}${this.confirming === a.assessment_id ? " Delete?" : ""}</button>
      </span>
      ${a.rationale ? html`<span class="rationale">${a.rationale}</span>` : nothing}
    </li>`;
  }

  override render() {
    const list = this.assessments.filter((a) => a.valid !== false);
    return html`${list.length ? html`<ul aria-label="Assessments">${list.map((a) => this.renderItem(a))}</ul>` : html`<p class="muted">No assessments yet.</p>`}
      ${this.error ? html`<tl-error .error=${this.error} .retryable=${false}></tl-error>` : nothing}
      ${
        this.adding
          ? html`<form aria-label="Add assessment" @submit=${this.onAdd} style="margin-top:6px">
              <select name="kind" aria-label="Kind"><option value="feedback">Feedback</option><option value="expectation">Expectation</option></select>
              <input name="name" aria-label="Name" placeholder="Name (e.g. correctness)" required />
              <input name="value" aria-label="Value" placeholder="Value: true, 0.8, text" required />
              <input name="rationale" aria-label="Rationale" placeholder="Rationale (optional)" />
              <button class="primary" type="submit" ?disabled=${this.busy}>Add</button>
              <button type="button" @click=${() => (this.adding = false)}>Cancel</button>
            </form>`
          : html`<button style="margin-top:6px" @click=${() => (this.adding = true)}>${icons.plus} Add assessment</button>`
      }`;
  }
}
customElements.define("tl-trace-assessments", TlTraceAssessments);

declare global {
  interface HTMLElementTagNameMap {
    "tl-trace-assessments": TlTraceAssessments;
  }
}
