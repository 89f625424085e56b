import * as z from "zod";
import { Assessment, AssessmentError, AssessmentSource } from "./traces.js";

/**
 * The assessment RPCs: feedback, expectations and issue references on a trace.
 * @see mlflow/protos/service.proto CreateAssessment, GetAssessmentRequest, UpdateAssessment, DeleteAssessment
 * @see mlflow/protos/assessments.proto Assessment
 */

export const ASSESSMENT_SOURCE_TYPES = ["SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE"] as const;
export type AssessmentSourceType = (typeof ASSESSMENT_SOURCE_TYPES)[number];

/** What an assessment may carry as sent by a client (proto JSON; every field optional, times RFC 3339). */
export const AssessmentInput = z.object({
  assessment_id: z.string().optional(),
  assessment_name: z.string().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  source: AssessmentSource.optional(),
  create_time: z.string().optional(),
  last_update_time: z.string().optional(),
  feedback: z.object({ value: z.unknown().optional(), error: AssessmentError.optional() }).optional(),
  expectation: z
    .object({
      value: z.unknown().optional(),
      serialized_value: z
        .object({ serialization_format: z.string().optional(), value: z.string().optional() })
        .optional(),
    })
    .optional(),
  issue: z.object({ issue_name: z.string().optional() }).optional(),
  rationale: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  overrides: z.string().optional(),
  valid: z.boolean().optional(),
});
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/** An assessment as the server answers it: the trace's `Assessment`, plus the `issue` variant of MLflow 3.x. */
export const AssessmentWire = Assessment.extend({
  issue: z.object({ issue_name: z.string().optional() }).optional(),
});
export type AssessmentWire = z.infer<typeof AssessmentWire>;

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
