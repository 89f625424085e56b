import * as z from "zod";
import { int64 } from "./wire.js";

/**
 * Pieces the label-schema, review-queue and issue messages share. These are proto2 messages: their handlers answer
 * `next_page_token` even when empty (it is set explicitly), and read enums leniently (an unknown name is unset).
 * @see mlflow/protos/label_schemas.proto, review_queues.proto, issues.proto
 */

/**
 * A proto enum as the reference's parse reads it: its name or number; an unknown name (the server ignores unknown
 * values) or number leaves the field unset, which the handler then refuses with its own message.
 */
export function lenientEnum<const T extends readonly string[]>(names: T, firstNumber = 1) {
  return z.unknown().transform((v): T[number] | undefined => {
    if (typeof v === "string") return names.includes(v) ? (v as T[number]) : undefined;
    if (typeof v === "number" && Number.isInteger(v)) return names[v - firstNumber] as T[number] | undefined;
    return undefined;
  });
}

/** An int32 field: a JSON number or a decimal string, as ParseDict takes it. */
export const int32 = int64;

/** A list answer of these services: the items (left out when empty) and a token ("" on the last page). */
export const pagedOf = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ [key]: z.array(item).optional(), next_page_token: z.string() } as {
    [P in K]: z.ZodOptional<z.ZodArray<T>>;
  } & { next_page_token: z.ZodString });
