import type { InStatement, Row } from "@libsql/client";
import type { AssessmentWire } from "@tracklite/schemas";
import { clientCrash, invalidParameter, notFound } from "../errors.js";
import { type ProtoAssessment, type ProtoError, parseAssessment } from "../traces/assessment-proto.js";
import {
  type AssessmentRow,
  type AssessmentValues,
  assessmentToWire,
  errorJson,
  valuesFromProto,
} from "../traces/assessment-values.js";
import { type PyJson, pyJsonDumps, pyJsonLoads } from "../traces/py-json.js";
import type { DbHandle } from "./db.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/** What an UpdateAssessment changes: the fields its `update_mask` names (values already read from the request). */
export interface AssessmentUpdate {
  name?: string;
  expectation?: PyJson;
  feedback?: { value: PyJson; error: ProtoError | undefined };
  rationale?: string;
  metadata?: Record<string, string>;
}

const COLUMNS =
  "a.assessment_id, t.request_id AS trace_id, a.name, a.assessment_type, a.value, a.error, a.created_timestamp, " +
  "a.last_updated_timestamp, a.source_type, a.source_id, a.run_id, a.span_id, a.rationale, a.overrides, a.valid, " +
  "a.assessment_metadata";

const asRow = (r: Row) => r as unknown as AssessmentRow & { trace_row: number };

const INSERT = `INSERT INTO assessments (assessment_id, trace_row, name, assessment_type, value, error, created_timestamp,
  last_updated_timestamp, source_type, source_id, run_id, span_id, rationale, overrides, valid, assessment_metadata)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function insertOf(traceRow: number, v: AssessmentValues, valid = true): InStatement {
  return {
    sql: INSERT,
    args: [
      v.assessment_id,
      traceRow,
      v.name,
      v.assessment_type,
      v.value,
      v.error,
      v.created_timestamp,
      v.last_updated_timestamp,
      v.source_type,
      v.source_id,
      v.run_id,
      v.span_id,
      v.rationale,
      v.overrides,
      valid ? 1 : 0,
      v.assessment_metadata,
    ],
  };
}

/**
 * The inserts of the assessments a StartTraceV3 carries in `trace_info.assessments` (wire form, read as the
 * reference's `Assessment.from_proto`), for the start-trace write to add to its batch. Each becomes valid; an
 * `overrides` is kept but invalidates nothing, as in the reference's `start_trace`.
 * `keepValidity` (the importer's): an assessment whose `valid` is false (overridden in the source) stays invalid.
 * @see mlflow/store/tracking/sqlalchemy_store.py _start_trace_once
 */
export function assessmentInserts(
  traceRow: number,
  assessments: readonly unknown[],
  now: number,
  keepValidity = false,
): InStatement[] {
  return assessments.map((raw) => {
    const p: ProtoAssessment = {};
    parseAssessment(raw, p);
    return insertOf(traceRow, valuesFromProto(p, now), !(keepValidity && p.valid === false));
  });
}

/**
 * The assessments of many traces in one query, in wire form, oldest first per trace (as the reference lists them in a
 * trace's info). The trace loader calls it for TraceInfoV3.assessments.
 */
export async function loadAssessments(
  h: Pick<DbHandle, "client">,
  traceRows: number[],
): Promise<Map<number, AssessmentWire[]>> {
  const out = new Map<number, AssessmentWire[]>();
  if (traceRows.length === 0) return out;
  const rs = await h.client.execute({
    sql: `SELECT a.trace_row, ${COLUMNS} FROM assessments a JOIN trace_info t ON t.id = a.trace_row
          WHERE a.trace_row IN (SELECT value FROM json_each(?)) ORDER BY a.trace_row, a.created_timestamp, a.rowid`,
    args: [JSON.stringify(traceRows)],
  });
  for (const r of rs.rows) {
    const row = asRow(r);
    const list = out.get(row.trace_row) ?? [];
    if (list.length === 0) out.set(row.trace_row, list);
    list.push(assessmentToWire(row));
  }
  return out;
}

/**
 * Feedback, expectations and issue references on traces.
 * @see mlflow/store/tracking/sqlalchemy_store.py create_assessment … delete_assessment
 */
export class AssessmentStore {
  constructor(private readonly h: DbHandle) {}

  /** The trace's row and experiment, if it exists (in the request's workspace). */
  async trace(traceId: string): Promise<{ id: number; experiment_id: number } | undefined> {
    const scope = experimentInWorkspace(this.h, "t.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT t.id, t.experiment_id FROM trace_info t WHERE t.request_id = ?${scope.sql}`,
      args: [traceId, ...scope.args],
    });
    const r = rs.rows[0];
    return r ? { id: Number(r.id), experiment_id: Number(r.experiment_id) } : undefined;
  }

  /** The experiment a trace belongs to (for permission checks), or undefined when there is no such trace. */
  async traceExperiment(traceId: string): Promise<string | undefined> {
    const t = await this.trace(traceId);
    return t ? String(t.experiment_id) : undefined;
  }

  private traceNotFound(traceId: string) {
    return notFound(`Trace with ID '${traceId}' not found.`);
  }

  /** The stored assessment, or the reference's 404 naming the trace or the assessment. */
  private async row(traceId: string, assessmentId: string): Promise<AssessmentRow> {
    const trace = await this.trace(traceId);
    if (!trace) {
      // Without workspaces the reference's message names the `request_id`; its workspace store says "ID".
      throw this.h.workspace === undefined
        ? notFound(`Trace with request_id '${traceId}' not found`)
        : this.traceNotFound(traceId);
    }
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS} FROM assessments a JOIN trace_info t ON t.id = a.trace_row
            WHERE a.trace_row = ? AND a.assessment_id = ?`,
      args: [trace.id, assessmentId],
    });
    const r = rs.rows[0];
    if (!r) throw notFound(`Assessment with ID '${assessmentId}' not found for trace '${traceId}'`);
    return asRow(r);
  }

  async get(traceId: string, assessmentId: string): Promise<AssessmentWire> {
    return assessmentToWire(await this.row(traceId, assessmentId));
  }

  /** Creates the assessment; one that `overrides` another marks that one invalid. */
  async create(traceId: string, values: AssessmentValues): Promise<AssessmentWire> {
    return this.h.writer.run(async () => {
      const trace = await this.trace(traceId);
      if (!trace) throw this.traceNotFound(traceId);
      const stmts: InStatement[] = [];
      if (values.overrides) {
        const target = await this.h.client.execute({
          sql: "SELECT 1 FROM assessments WHERE trace_row = ? AND assessment_id = ?",
          args: [trace.id, values.overrides],
        });
        if (target.rows.length === 0)
          throw notFound(`Assessment with ID '${values.overrides}' not found for trace '${traceId}'`);
        stmts.push({
          sql: "UPDATE assessments SET valid = 0 WHERE trace_row = ? AND assessment_id = ?",
          args: [trace.id, values.overrides],
        });
      }
      // A client may name the id; a taken one is the reference's constraint failure (its 500, a 400 here).
      const taken = await this.h.client.execute({
        sql: "SELECT 1 FROM assessments WHERE assessment_id = ?",
        args: [values.assessment_id],
      });
      if (taken.rows.length > 0)
        throw clientCrash(`Failed to create assessment for trace '${traceId}' due to a constraint violation.`);
      stmts.push(insertOf(trace.id, values));
      await this.h.client.batch(stmts, "write");
      return assessmentToWire({ ...values, trace_id: traceId, valid: 1 });
    });
  }

  /**
   * Changes what the update names; source, span and times of creation stay. Metadata is merged into the old, the
   * last update time is now.
   */
  async update(traceId: string, assessmentId: string, u: AssessmentUpdate): Promise<AssessmentWire> {
    return this.h.writer.run(async () => {
      const old = await this.row(traceId, assessmentId);
      if (u.expectation !== undefined && u.feedback !== undefined)
        throw invalidParameter("Cannot specify both `expectation` and `feedback` parameters.");
      if (u.expectation !== undefined && old.assessment_type !== "expectation")
        throw invalidParameter("Cannot update expectation value on a Feedback assessment.");
      if (u.feedback !== undefined && old.assessment_type !== "feedback")
        throw invalidParameter("Cannot update feedback value on an Expectation assessment.");
      const oldMetadata = old.assessment_metadata
        ? (JSON.parse(old.assessment_metadata) as Record<string, string>)
        : {};
      const metadata = { ...oldMetadata, ...u.metadata };
      const next: AssessmentRow = {
        ...old,
        name: u.name ?? old.name,
        last_updated_timestamp: Date.now(),
        assessment_metadata: Object.keys(metadata).length > 0 ? pyJsonDumps(metadata) : null,
      };
      if (old.assessment_type === "expectation") {
        if (u.expectation !== undefined) next.value = pyJsonDumps(u.expectation);
        // The reference rebuilds an Expectation, which has no rationale.
        next.rationale = null;
      } else {
        if (u.feedback !== undefined) {
          next.value = pyJsonDumps(u.feedback.value);
          next.error = u.feedback.error ? errorJson(u.feedback.error) : null;
        } else next.value = pyJsonDumps(pyJsonLoads(old.value));
        next.rationale = u.rationale ?? old.rationale;
      }
      await this.h.client.execute({
        sql: `UPDATE assessments SET name = ?, value = ?, error = ?, last_updated_timestamp = ?, rationale = ?,
              assessment_metadata = ? WHERE assessment_id = ?`,
        args: [
          next.name,
          next.value,
          next.error,
          next.last_updated_timestamp,
          next.rationale,
          next.assessment_metadata,
          assessmentId,
        ],
      });
      return assessmentToWire(next);
    });
  }

  /** Deletes the assessment (a missing one is no error); the one it overrode becomes valid again. */
  async delete(traceId: string, assessmentId: string): Promise<void> {
    await this.h.writer.run(async () => {
      const trace = await this.trace(traceId);
      if (!trace) {
        if (this.h.workspace !== undefined) throw this.traceNotFound(traceId);
        return;
      }
      const rs = await this.h.client.execute({
        sql: "SELECT overrides FROM assessments WHERE trace_row = ? AND assessment_id = ?",
        args: [trace.id, assessmentId],
      });
      const r = rs.rows[0];
      if (!r) return;
      const stmts: InStatement[] = [];
      // As the reference, the overridden assessment is found by its id alone.
      if (r.overrides)
        stmts.push({ sql: "UPDATE assessments SET valid = 1 WHERE assessment_id = ?", args: [String(r.overrides)] });
      stmts.push({ sql: "DELETE FROM assessments WHERE assessment_id = ?", args: [assessmentId] });
      await this.h.client.batch(stmts, "write");
    });
  }
}
