/**
 * Charts that move together: one uPlot cursor-sync key and one shared x window (zoom). A drag on any chart zooms them
 * all; a double-click on any resets them all; a chart that renders later picks up the current window.
 */

export interface XWindow {
  min: number;
  max: number;
}

/** What a chart does when the group's window changes (null: back to the full range). */
export interface GroupMember {
  applyZoom(window: XWindow | null): void;
}

let groups = 0;

export class ChartGroup {
  /** uPlot's `cursor.sync.key`. */
  readonly key = `tl-charts-${++groups}`;
  window: XWindow | null = null;
  private members = new Set<GroupMember>();

  join(m: GroupMember) {
    this.members.add(m);
  }

  leave(m: GroupMember) {
    this.members.delete(m);
  }

  /** Zooms every chart to [min, max]; ignores empty or repeated windows. */
  zoom(min: number, max: number) {
    if (!(max > min)) return;
    if (this.window && this.window.min === min && this.window.max === max) return;
    this.window = { min, max };
    for (const m of this.members) m.applyZoom(this.window);
  }

  /** Back to the full range on every chart. */
  reset() {
    if (!this.window) return;
    this.window = null;
    for (const m of this.members) m.applyZoom(null);
  }
}
