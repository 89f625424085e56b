/**
 * Checkbox selection with shift-click ranges: a plain click toggles one run and becomes the anchor; a shift-click
 * gives every run between the anchor and the clicked one (in table order) the clicked run's new state.
 */
export function clickSelect(
  selected: ReadonlySet<string>,
  order: readonly string[],
  id: string,
  opts: { shift: boolean; anchor: string | undefined },
): { selected: Set<string>; anchor: string } {
  const next = new Set(selected);
  const on = !selected.has(id);
  const a = opts.shift && opts.anchor !== undefined ? order.indexOf(opts.anchor) : -1;
  const b = order.indexOf(id);
  if (a < 0 || b < 0) {
    if (on) next.add(id);
    else next.delete(id);
    return { selected: next, anchor: id };
  }
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
    const rid = order[i];
    if (rid === undefined) continue;
    if (on) next.add(rid);
    else next.delete(rid);
  }
  return { selected: next, anchor: opts.anchor ?? id };
}
