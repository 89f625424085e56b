import type { LabelSchemaInput } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { pyFloat, pyStr } from "../search/python-compat.js";

/**
 * The rules a label schema's fields follow, with the reference's messages. The input is held as the reference's
 * dataclass would hold it after `_input_from_proto` (unset proto fields read as "", [] or false).
 * @see mlflow/genai/label_schemas/validation.py, mlflow/genai/label_schemas/label_schemas.py _input_from_proto
 */

/** The reserved name of the experiment's protected default question, and that question's instruction. */
export const DEFAULT_LABEL_SCHEMA_NAME = "Feedback";
export const DEFAULT_LABEL_SCHEMA_INSTRUCTION = "Share any feedback on this trace.";

/** An input variant, as stored (`input_type` + the config) and as the wire oneof names it. */
export type SchemaInput =
  | { kind: "pass_fail"; positive_label: string; negative_label: string }
  | { kind: "categorical"; options: string[]; multi_select: boolean }
  | { kind: "numeric"; min_value?: number; max_value?: number }
  | { kind: "text"; max_length?: number };

const CLASS_NAMES = {
  pass_fail: "InputPassFail",
  categorical: "InputCategorical",
  numeric: "InputNumeric",
  text: "InputText",
} as const;

/** The wire oneof as the reference's handler reads it; an empty one is refused. */
export function inputFromWire(input: LabelSchemaInput | undefined): SchemaInput {
  if (input?.pass_fail)
    return {
      kind: "pass_fail",
      positive_label: input.pass_fail.positive_label ?? "",
      negative_label: input.pass_fail.negative_label ?? "",
    };
  if (input?.categorical)
    return {
      kind: "categorical",
      options: input.categorical.options ?? [],
      multi_select: input.categorical.multi_select ?? false,
    };
  if (input?.numeric) {
    const { min_value, max_value } = input.numeric;
    return {
      kind: "numeric",
      ...(min_value !== undefined ? { min_value } : {}),
      ...(max_value !== undefined ? { max_value } : {}),
    };
  }
  if (input?.text)
    return { kind: "text", ...(input.text.max_length !== undefined ? { max_length: input.text.max_length } : {}) };
  throw invalidParameter(
    "Label schema `input` must have exactly one of `pass_fail`, `categorical`, `numeric`, or `text` set; got an empty oneof.",
  );
}

/** The wire form of a stored input: the oneof with the fields the reference's `to_proto` sets. */
export function inputToWire(input: SchemaInput): LabelSchemaInput {
  switch (input.kind) {
    case "pass_fail":
      return { pass_fail: { positive_label: input.positive_label, negative_label: input.negative_label } };
    case "categorical":
      return { categorical: { options: input.options, multi_select: input.multi_select } };
    case "numeric":
      return {
        numeric: {
          ...(input.min_value !== undefined ? { min_value: input.min_value } : {}),
          ...(input.max_value !== undefined ? { max_value: input.max_value } : {}),
        },
      };
    case "text":
      return { text: input.max_length !== undefined ? { max_length: input.max_length } : {} };
  }
}

function validateName(name: string): void {
  if (name.length < 1) throw invalidParameter(`Label schema \`name\` must be a non-empty string; got ${pyStr(name)}.`);
  if ([...name].length > 250)
    throw invalidParameter(`Label schema \`name\` must be at most 250 characters; got ${[...name].length}.`);
  if (name.trim().toLowerCase() === DEFAULT_LABEL_SCHEMA_NAME.toLowerCase())
    throw invalidParameter(
      `\`${name}\` is reserved for the experiment's default question and cannot be used for another label schema.`,
    );
}

function validateInstruction(instruction: string | undefined): void {
  const n = instruction === undefined ? 0 : [...instruction].length;
  if (n > 1000) throw invalidParameter(`Label schema \`instruction\` must be at most 1000 characters; got ${n}.`);
}

function validateInput(input: SchemaInput): void {
  if (input.kind === "pass_fail") {
    for (const field of ["positive_label", "negative_label"] as const) {
      const label = input[field];
      if (label.length < 1)
        throw invalidParameter(`\`InputPassFail.${field}\` must be a non-empty string; got ${pyStr(label)}.`);
      if ([...label].length > 64)
        throw invalidParameter(`\`InputPassFail.${field}\` must be at most 64 characters; got ${[...label].length}.`);
    }
    if (input.positive_label === input.negative_label)
      throw invalidParameter(
        `\`InputPassFail.positive_label\` and \`negative_label\` must be distinct; got ${pyStr(input.positive_label)} for both.`,
      );
  } else if (input.kind === "categorical") {
    const { options } = input;
    if (options.length < 1) throw invalidParameter("`InputCategorical.options` must be a non-empty list; got [].");
    if (options.length > 10)
      throw invalidParameter(`\`InputCategorical.options\` must have at most 10 entries; got ${options.length}.`);
    const seen = new Set<string>();
    for (const opt of options) {
      if (opt.length < 1)
        throw invalidParameter(`\`InputCategorical.options\` entries must be non-empty strings; got ${pyStr(opt)}.`);
      if ([...opt].length > 64)
        throw invalidParameter(
          `\`InputCategorical.options\` entries must be at most 64 characters; got ${[...opt].length} for ${pyStr(opt)}.`,
        );
      if (seen.has(opt))
        throw invalidParameter(`\`InputCategorical.options\` must be deduplicated; ${pyStr(opt)} appears twice.`);
      seen.add(opt);
    }
  } else if (input.kind === "numeric") {
    const { min_value: lo, max_value: hi } = input;
    if (lo !== undefined && hi !== undefined && !(lo < hi))
      throw invalidParameter(
        `\`InputNumeric.min_value\` must be strictly less than \`max_value\`; got min=${pyFloat(lo)}, max=${pyFloat(hi)}.`,
      );
  } else if (input.max_length !== undefined && input.max_length < 1) {
    throw invalidParameter(`\`InputText.max_length\` must be at least 1; got ${input.max_length}.`);
  }
}

/** What CreateLabelSchema checks before it looks at the experiment. @see validate_schema_for_create */
export function validateSchemaForCreate(name: string, instruction: string | undefined, input: SchemaInput): void {
  validateName(name);
  validateInstruction(instruction);
  validateInput(input);
}

/** The fields an UpdateLabelSchema sets (each only when present in the request). */
export interface LabelSchemaChanges {
  name?: string;
  instruction?: string;
  enable_comment?: boolean;
  input?: SchemaInput;
}

/** What UpdateLabelSchema checks: the default question is frozen, the input variant and `multi_select` fixed. */
export function validateSchemaForUpdate(existing: { isDefault: boolean; input: SchemaInput }, c: LabelSchemaChanges) {
  if (existing.isDefault) throw invalidParameter("The experiment's default question cannot be edited.");
  if (c.name !== undefined) validateName(c.name);
  if (c.instruction !== undefined) validateInstruction(c.instruction);
  if (c.input !== undefined) {
    validateInput(c.input);
    if (c.input.kind !== existing.input.kind)
      throw invalidParameter(
        "A label schema's input type cannot be changed after creation " +
          `(existing: ${CLASS_NAMES[existing.input.kind]}, got: ${CLASS_NAMES[c.input.kind]}).`,
      );
    if (
      c.input.kind === "categorical" &&
      existing.input.kind === "categorical" &&
      c.input.multi_select !== existing.input.multi_select
    )
      throw invalidParameter("`InputCategorical.multi_select` cannot be changed after creation.");
  }
}
