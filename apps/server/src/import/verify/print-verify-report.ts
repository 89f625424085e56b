import type { Difference, VerifyReport } from "./verify-import.js";
import { VERIFIED_KINDS } from "./verify-import.js";

/** Longest value printed for one side of a difference: a long tag or span stays one readable line. */
const VALUE_WIDTH = 120;

/**
 * The verification as text: counts side by side, one line per difference kept (the entity, the field, both values),
 * "… and N more" past them, and a last line saying whether the import is complete.
 */
export function formatVerifyReport(report: VerifyReport, sourceLabel: string): string[] {
  const lines = [`Verifying ${sourceLabel} against tracklite`, ""];
  if (report.counts.length > 0) {
    lines.push("counts            source  tracklite");
    for (const c of report.counts)
      lines.push(`  ${c.kind.padEnd(20)} ${String(c.source).padStart(8)}  ${String(c.target ?? "?").padStart(9)}`);
    lines.push("");
  }
  for (const kind of VERIFIED_KINDS) {
    const n = report.checked[kind];
    if (n === 0) continue;
    const bad = report.differing[kind];
    lines.push(`  ${kind.padEnd(20)} ${String(n).padStart(8)} checked${bad ? `, ${bad} differ` : ""}`);
  }
  if (report.total === 0) {
    lines.push("", "No differences: everything the source holds is in tracklite, equal.");
    return lines;
  }
  lines.push("", `${report.total} difference${report.total === 1 ? "" : "s"}:`);
  for (const d of report.differences) lines.push(`  ${describe(d)}`);
  const more = report.total - report.differences.length;
  if (more > 0) lines.push(`  … and ${more} more`);
  return lines;
}

function describe(d: Difference): string {
  const where = d.path ? `${d.what}: ${d.path}` : d.what;
  return `${where}: source ${show(d.source)}, tracklite ${show(d.target)}`;
}

function show(v: unknown): string {
  const text = v === undefined ? "(absent)" : typeof v === "string" ? JSON.stringify(v) : safeJson(v);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

function safeJson(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v);
}
