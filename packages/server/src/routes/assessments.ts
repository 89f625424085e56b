import type { Hono } from "hono";
import { clientCrash } from "../errors.js";
import { mount } from "../http/mount.js";
import type { AssessmentUpdate } from "../store/assessments.js";
import type { Store } from "../store/index.js";
import { type ProtoAssessment, parseAssessment, parseFieldMask } from "../traces/assessment-proto.js";
import { expectationValue, valuesFromProto } from "../traces/assessment-values.js";
import { fromProtoValue } from "../traces/py-json.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * The UpdateAssessment fields its mask names, read from the request's assessment as the reference's handler reads them
 * (unknown paths are ignored; `valid` crashes the reference's store, whose update takes no such argument).
 * @see mlflow/server/handlers.py _update_assessment
 */
function updateOf(p: ProtoAssessment, paths: readonly string[]): AssessmentUpdate {
  const u: AssessmentUpdate = {};
  for (const path of paths) {
    if (path === "assessment_name") u.name = p.assessment_name ?? "";
    else if (path === "expectation") u.expectation = expectationValue(p.expectation);
    else if (path === "feedback") u.feedback = { value: fromProtoValue(p.feedback?.value), error: p.feedback?.error };
    else if (path === "rationale") u.rationale = p.rationale ?? "";
    else if (path === "metadata") u.metadata = p.metadata ?? {};
  }
  if (paths.includes("valid"))
    throw clientCrash("SqlAlchemyStore.update_assessment() got an unexpected keyword argument 'valid'");
  return u;
}

/** /mlflow/traces/:trace_id/assessments[/:assessment_id] (3.0 prefixes only). */
export function assessmentRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "createAssessment", async (req, c, { trace_id }) => {
    const p: ProtoAssessment = {};
    parseAssessment(req.assessment, p);
    const values = valuesFromProto(p, Date.now());
    return { assessment: await at(c).assessments.create(trace_id, values) };
  });

  mount(v3, "getAssessment", async (_req, c, { trace_id, assessment_id }) => ({
    assessment: await at(c).assessments.get(trace_id, assessment_id),
  }));

  mount(v3, "updateAssessment", async (req, c, { trace_id, assessment_id }) => {
    const p: ProtoAssessment = {};
    // The body is read in its own order: a field that fails to parse leaves every later one unset.
    let parsing = true;
    let paths: string[] = [];
    for (const key of Object.keys(req)) {
      if (!parsing) break;
      if (key === "assessment") parsing = parseAssessment(req.assessment, p);
      else if (key === "update_mask" || key === "updateMask") {
        const mask = parseFieldMask((req as Record<string, unknown>)[key]);
        if (mask) paths = mask;
        else parsing = false;
      }
    }
    const update = updateOf(p, paths);
    return { assessment: await at(c).assessments.update(trace_id, assessment_id, update) };
  });

  mount(v3, "deleteAssessment", async (_req, c, { trace_id, assessment_id }) => {
    await at(c).assessments.delete(trace_id, assessment_id);
    return {};
  });
}
