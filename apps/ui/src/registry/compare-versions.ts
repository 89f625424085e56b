/**
 * "Compare versions": the rows of the side-by-side table, one per field (details, tags, the source runs' params and
 * metrics, the signature), a column per version, each row marked when its values differ. Pure, tested in Node.
 * @see MLflow's CompareModelVersionsView (`/compare-model-versions`): run params, metrics and the schema side by side
 */
import type { ModelVersion, Run } from "@tracklite/schemas";
import type { SignaturePart } from "../artifacts/mlmodel.js";
import { formatNumber } from "../lib/format.js";
import { userTags } from "./version-tags.js";

export const COMPARE_SECTIONS = ["Details", "Tags", "Parameters", "Metrics", "Signature"] as const;
export type CompareSection = (typeof COMPARE_SECTIONS)[number];

/** What is known of one version: itself, its source run (when it has one and it could be read), its signature. */
export interface VersionFacts {
  version: ModelVersion;
  run?: Run;
  runName?: string;
  signature?: { inputs?: SignaturePart; outputs?: SignaturePart; params?: SignaturePart };
}

export interface CompareRow {
  section: CompareSection;
  key: string;
  /** One per version; "" where the version has no value. */
  values: string[];
  differs: boolean;
}

/** A signature part as one line: `alcohol: double, acidity: double`. */
export function signatureText(part: SignaturePart | undefined): string {
  if (!part) return "";
  if ("error" in part) return part.error;
  return part.columns.map((c) => `${c.name ? `${c.name}: ` : ""}${c.type}${c.shape ? ` ${c.shape}` : ""}`).join(", ");
}

/** The versions given by a compare URL: `versions=1,3`, or MLflow's `runs={"1":"<run id>",…}` (its keys). */
export function versionsFromQuery(query: URLSearchParams): string[] {
  const list = query.get("versions");
  if (list)
    return [
      ...new Set(
        list
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
  const runs = query.get("runs");
  if (!runs) return [];
  try {
    const parsed = JSON.parse(runs) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

const keysOf = (lists: { key: string }[][]) =>
  [...new Set(lists.flatMap((l) => l.map((x) => x.key)))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );

/** The table's rows, section by section. */
export function compareRows(items: readonly VersionFacts[]): CompareRow[] {
  const rows: CompareRow[] = [];
  const push = (section: CompareSection, key: string, values: string[]) =>
    rows.push({ section, key, values, differs: new Set(values).size > 1 });

  push(
    "Details",
    "Stage",
    items.map((i) => i.version.current_stage || "None"),
  );
  push(
    "Details",
    "Aliases",
    items.map((i) => (i.version.aliases ?? []).map((a) => `@${a}`).join(" ")),
  );
  push(
    "Details",
    "Source run",
    items.map((i) => i.runName ?? i.version.run_id ?? ""),
  );
  push(
    "Details",
    "Description",
    items.map((i) => i.version.description ?? ""),
  );

  const tagLists = items.map((i) => userTags(i.version));
  for (const k of keysOf(tagLists))
    push(
      "Tags",
      k,
      tagLists.map((l) => l.find((t) => t.key === k)?.value ?? ""),
    );

  const paramLists = items.map((i) => i.run?.data.params ?? []);
  for (const k of keysOf(paramLists)) {
    push(
      "Parameters",
      k,
      paramLists.map((l) => l.find((p) => p.key === k)?.value ?? ""),
    );
  }

  const metricLists = items.map((i) => i.run?.data.metrics ?? []);
  for (const k of keysOf(metricLists)) {
    push(
      "Metrics",
      k,
      metricLists.map((l) => {
        const m = l.find((x) => x.key === k);
        return m ? formatNumber(m.value) : "";
      }),
    );
  }

  for (const part of ["inputs", "outputs", "params"] as const) {
    const values = items.map((i) => signatureText(i.signature?.[part]));
    if (values.some(Boolean)) push("Signature", part, values);
  }
  return rows;
}
