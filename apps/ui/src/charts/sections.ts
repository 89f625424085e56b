/** Chart sections: metric keys grouped by their first path segment (`train/`, `val/`, `system/`). Pure. */

export interface Section {
  /** `train/`, `system/`, … or "Metrics" for keys without a prefix. */
  title: string;
  keys: string[];
}

/** Sections listed first and last; other prefixes sit alphabetically in between, then the unprefixed "Metrics". */
const FIRST = ["train/", "val/", "validation/", "eval/", "test/"];

function rank(title: string): number {
  const i = FIRST.indexOf(title);
  if (i >= 0) return i;
  if (title === "system/") return 1000;
  if (title === "Metrics") return 999;
  return 100;
}

/** Groups keys into sections, keys sorted naturally (`layer2` before `layer10`) within each. */
export function metricSections(keys: readonly string[]): Section[] {
  const groups = new Map<string, string[]>();
  for (const key of new Set(keys)) {
    const slash = key.indexOf("/");
    const title = slash > 0 ? key.slice(0, slash + 1) : "Metrics";
    let list = groups.get(title);
    if (!list) {
      list = [];
      groups.set(title, list);
    }
    list.push(key);
  }
  const collator = new Intl.Collator("en", { numeric: true });
  return [...groups]
    .map(([title, list]) => ({ title, keys: list.sort(collator.compare) }))
    .sort((a, b) => rank(a.title) - rank(b.title) || collator.compare(a.title, b.title));
}
