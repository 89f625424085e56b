import * as z from "zod";
import { Assessment } from "./traces.js";

/**
 * The assessment RPCs: feedback, expectations and issue references on a trace.
 * @see mlflow/protos/service.proto CreateAssessment, GetAssessmentRequest, UpdateAssessment, DeleteAssessment
 * @see mlflow/protos/assessments.proto Assessment
 */

export const ASSESSMENT_SOURCE_TYPES = ["SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE"] as const;
export type AssessmentSourceType = (typeof ASSESSMENT_SOURCE_TYPES)[number];

/** An assessment as the server answers it: the trace's `Assessment`, plus the `issue` variant of MLflow 3.x. */
export const AssessmentWire = Assessment.extend({
  issue: z.object({ issue_name: z.string().optional() }).optional(),
});
export type AssessmentWire = z.infer<typeof AssessmentWire>;

/** What an assessment may carry as sent by a client: the same message (every field optional, times RFC 3339). */
export const AssessmentInput = AssessmentWire;
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/**
 * A request the server reads field by field in the body's order, as protobuf's ParseDict does (a field it cannot
 * parse ends the parse and leaves the later ones unset), so the schema only types it and accepts any JSON object.
 */
const protoBody = <T>() => z.custom<T>((v) => typeof v === "object" && v !== null && !Array.isArray(v));

export interface CreateAssessmentRequest {
  assessment?: AssessmentInput;
}
export const CreateAssessment = protoBody<CreateAssessmentRequest>();

export interface UpdateAssessmentRequest {
  assessment?: AssessmentInput;
  /** protobuf's FieldMask in JSON: the paths comma-separated, in lowerCamelCase (`assessmentName,feedback`). */
  update_mask?: string;
}
export const UpdateAssessment = protoBody<UpdateAssessmentRequest>();

/** Get and delete take the trace and assessment ids from the path only. */
export const AssessmentPathOnly = z.object({});

export const AssessmentResponse = z.object({ assessment: AssessmentWire });
