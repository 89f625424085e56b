import * as z from "zod";
import { int32, lenientEnum, pagedOf } from "./review-common.js";
import { double, int64 } from "./wire.js";

/**
 * Label schemas: the questions a reviewer answers about a trace (pass/fail, categorical, numeric or free text),
 * scoped to an experiment. UI hints only; they do not gate assessment writes.
 * @see mlflow/protos/label_schemas.proto, mlflow/genai/label_schemas/label_schemas.py
 */

export const LABEL_SCHEMA_TYPES = ["FEEDBACK", "EXPECTATION"] as const;
export type LabelSchemaType = (typeof LABEL_SCHEMA_TYPES)[number];

/**
 * The `input` oneof: exactly one of its variants is set on a valid schema. A badly typed field inside a variant is
 * left unset (the reference's parse stops there, keeping the variant), so the variant's own checks then speak.
 */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
export const LabelSchemaInput = z.object({
  pass_fail: z.object({ positive_label: lenient(z.string()), negative_label: lenient(z.string()) }).optional(),
  categorical: z.object({ options: lenient(z.array(z.string())), multi_select: lenient(z.boolean()) }).optional(),
  numeric: z.object({ min_value: lenient(double), max_value: lenient(double) }).optional(),
  text: z.object({ max_length: lenient(int64) }).optional(),
});
export type LabelSchemaInput = z.infer<typeof LabelSchemaInput>;

/** A label schema as the server answers it. */
export const LabelSchema = z.object({
  schema_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  type: z.enum(LABEL_SCHEMA_TYPES),
  instruction: z.string().optional(),
  enable_comment: z.boolean(),
  input: LabelSchemaInput,
  created_by: z.string().optional(),
  created_at: z.number(),
  last_updated_at: z.number(),
  is_default: z.boolean(),
});
export type LabelSchema = z.infer<typeof LabelSchema>;

export const CreateLabelSchema = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  type: lenientEnum(LABEL_SCHEMA_TYPES).optional(),
  input: LabelSchemaInput.optional(),
  instruction: z.string().optional(),
  enable_comment: z.boolean().optional(),
});

export const LabelSchemaIdRequest = z.object({ schema_id: z.string().optional() });

export const GetLabelSchemaByName = z.object({ experiment_id: z.string().optional(), name: z.string().optional() });

export const ListLabelSchemas = z.object({
  experiment_id: z.string().optional(),
  max_results: int32.optional(),
  page_token: z.string().optional(),
});

export const UpdateLabelSchema = z.object({
  schema_id: z.string().optional(),
  name: z.string().optional(),
  instruction: z.string().optional(),
  enable_comment: z.boolean().optional(),
  input: LabelSchemaInput.optional(),
});

export const LabelSchemaResponse = z.object({ label_schema: LabelSchema });
export const ListLabelSchemasResponse = pagedOf("label_schemas", LabelSchema);
