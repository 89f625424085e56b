import type { RunRow } from "./run-fields.js";

/** One line of the runs table: a run at a depth of the nested-runs tree. */
export interface DisplayRow {
  row: RunRow;
  depth: number;
  /** Loaded direct children (0 for a leaf). */
  children: number;
  expanded: boolean;
  pinned: boolean;
}

/**
 * The table's lines from the loaded runs, in the server's order: pinned runs first (in pinning order), then the other
 * top-level runs; each run's children (by the `mlflow.parentRunId` tag) follow it when it is expanded. A run whose
 * parent is not loaded (filtered out, or on a later page) is top-level. Cycles in bad tags are cut.
 */
export function buildRows(
  rows: readonly RunRow[],
  opts: { pinned?: readonly string[]; expanded?: ReadonlySet<string> } = {},
): DisplayRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pinned = new Set((opts.pinned ?? []).filter((id) => byId.has(id)));
  const expanded = opts.expanded ?? new Set<string>();
  const kids = new Map<string, RunRow[]>();
  const roots: RunRow[] = [];
  for (const r of rows) {
    if (r.parentId && byId.has(r.parentId) && !pinned.has(r.id)) {
      const list = kids.get(r.parentId);
      if (list) list.push(r);
      else kids.set(r.parentId, [r]);
    } else if (!pinned.has(r.id)) roots.push(r);
  }
  const out: DisplayRow[] = [];
  const placed = new Set<string>();
  const visit = (r: RunRow, depth: number, isPinned: boolean) => {
    if (placed.has(r.id)) return;
    placed.add(r.id);
    const children = kids.get(r.id) ?? [];
    const open = expanded.has(r.id) && children.length > 0;
    out.push({ row: r, depth, children: children.length, expanded: open, pinned: isPinned });
    if (open) for (const c of children) visit(c, depth + 1, false);
  };
  for (const id of opts.pinned ?? []) {
    const r = byId.get(id);
    if (r) visit(r, 0, true);
  }
  for (const r of roots) visit(r, 0, false);
  // Runs only reachable through a cycle of parent tags: show them at the top level rather than lose them.
  for (const r of rows) if (!placed.has(r.id) && !hasPlacedAncestor(r, byId, placed)) visit(r, 0, false);
  return out;
}

/**
 * True when an ancestor of `r` is in the table: then `r` sits below a collapsed run (an expanded one would have placed
 * its children), so it is hidden on purpose rather than lost in a cycle.
 */
function hasPlacedAncestor(r: RunRow, byId: Map<string, RunRow>, placed: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  let p = r.parentId ? byId.get(r.parentId) : undefined;
  while (p && !seen.has(p.id)) {
    if (placed.has(p.id)) return true;
    seen.add(p.id);
    p = p.parentId ? byId.get(p.parentId) : undefined;
  }
  return false;
}
