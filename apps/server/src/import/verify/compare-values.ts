/**
 * A field-by-field comparison of two REST JSON values, for `tracklite import --verify`. Lists of `{key, value}`
 * pairs (tags, params, latest metrics, aliases…) are compared as sets keyed by their key field, since MLflow's
 * servers list them in storage order; other lists by position. NaN equals NaN, and the REST spellings "NaN",
 * "Infinity" and "-Infinity" equal the numbers.
 */

/** One field that differs: where (a dotted path) and the two values, `undefined` when one side lacks it. */
export interface FieldDifference {
  path: string;
  source: unknown;
  target: unknown;
}

/**
 * The fields of a list item that name it, tried in this order: a list whose items all carry one, each a different
 * value, is compared as a set keyed by it.
 */
const ITEM_KEYS = ["key", "alias", "span_id", "assessment_id", "dataset_record_id", "version", "name"] as const;

/** Compares `source` with `target`; `ignore` holds dotted paths (list positions left out: `tags.value`) to skip. */
export function compareValues(
  source: unknown,
  target: unknown,
  ignore: ReadonlySet<string> = new Set(),
): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(source, target, "", ignore, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, ignore: ReadonlySet<string>, out: FieldDifference[]): void {
  if (ignore.has(path)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKey(a, b);
    if (key === undefined) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], join(path, String(i)), ignore, out);
      return;
    }
    const right = new Map(b.map((item) => [itemName(item, key), item]));
    for (const item of a) {
      const name = itemName(item, key);
      walk(item, right.get(name), join(path, `[${key}=${name}]`), ignore, out);
      right.delete(name);
    }
    for (const [name, item] of right) walk(undefined, item, join(path, `[${key}=${name}]`), ignore, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      // a field a side leaves out equals its empty form
      if (isEmpty(a[k]) && isEmpty(b[k])) continue;
      walk(a[k], b[k], join(path, k), ignore, out);
    }
    return;
  }
  if (!sameScalar(a, b)) out.push({ path, source: a, target: b });
}

/** The key field shared by every item of both lists, unique within each, if they are lists of named objects. */
function listKey(a: unknown[], b: unknown[]): string | undefined {
  if (a.length + b.length === 0 || ![...a, ...b].every(isObject)) return undefined;
  return ITEM_KEYS.find((k) => namesEach(a, k) && namesEach(b, k));
}

function namesEach(items: unknown[], key: string): boolean {
  const names = items.map((item) => (item as Record<string, unknown>)[key]);
  return names.every((n) => typeof n === "string") && new Set(names).size === names.length;
}

function itemName(item: unknown, key: string): string {
  return String((item as Record<string, unknown>)[key]);
}

function sameScalar(a: unknown, b: unknown): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return Object.is(x, y) || x === y;
  return a === b;
}

/** Numbers and the REST spellings of non-finite doubles; numeric strings stay strings (int64 ids are compared as text). */
function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Absent, null, `[]` and `{}`: MLflow leaves unset fields and empty messages out, or answers them empty. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.values(v).every(isEmpty);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, part: string): string {
  return path ? `${path}.${part}` : part;
}
