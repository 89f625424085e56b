import * as z from "zod";

/**
 * Building blocks for MLflow's proto-JSON wire format.
 * @see ../../../shared/mlflow-api.md §2 (int64 as numbers or decimal strings, NaN as strings, enums by name)
 */

/** The issue message of an int64 outside the range a JS number holds exactly. */
export const INT64_RANGE_MESSAGE = "int64 outside ±9007199254740991";

/**
 * An int64 field: a JSON number, or a decimal string as protobuf's ParseDict accepts. A fractional number is truncated;
 * values beyond ±(2^53-1) are refused rather than rounded (see compat-tests/KNOWN_DIFFERENCES.md).
 */
export const int64 = z.preprocess(
  (v) => (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number()
    .refine(Number.isFinite)
    .transform((n) => Math.trunc(n))
    .refine(Number.isSafeInteger, { message: INT64_RANGE_MESSAGE }),
);

/** The three non-finite doubles protobuf JSON writes as strings. */
export const NON_FINITE = ["NaN", "Infinity", "-Infinity"] as const;

/** A double field: a JSON number or one of "NaN", "Infinity", "-Infinity" (booleans read as 1/0, as ParseDict does). */
export const double = z.union([
  z.number(),
  z.boolean().transform(Number),
  z.enum(NON_FINITE).transform((s) => Number(s)),
  z
    .string()
    .regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/)
    .transform(Number),
]);

/** A double as written on the wire: finite numbers as numbers, non-finite ones as strings. */
export const wireDouble = z.union([z.number(), z.enum(NON_FINITE)]);
export type WireDouble = z.infer<typeof wireDouble>;

/** Writes a JS number as protobuf JSON does. */
export function toWireDouble(v: number): WireDouble {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

/** A proto enum: accepts the name or its number; always parsed to the name. */
export function protoEnum<const T extends readonly [string, ...string[]]>(
  names: T,
  numbers: Record<number, T[number]>,
) {
  return z.union([
    z.enum(names),
    z
      .number()
      .int()
      .refine((n) => n in numbers)
      .transform((n) => numbers[n] as T[number]),
  ]);
}

/** A required string field: MLflow counts an empty string as missing. */
export const requiredString = z.string().min(1);

/** An id MLflow types as string but clients may send as a number (experiment ids). */
export const idString = z.union([z.string(), z.number().int().transform(String)]);

/** Key/value pair used by tags and params. */
export const keyValue = z.object({ key: z.string(), value: z.string().optional() });
