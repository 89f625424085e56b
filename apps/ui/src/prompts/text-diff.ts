/**
 * A small line and word diff for prompt versions: lines are matched by their longest common subsequence, and a
 * changed line is diffed again word by word, so a one-word edit shows as that word, not as a whole new line. Prompts
 * are short (a few hundred lines at most), so a plain LCS table is fast enough and keeps the code readable.
 */

export type DiffOp = "equal" | "delete" | "insert";

/** A run of text on one side of a diff. */
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** One line of a side (1-based number) split into parts; changed words are `delete` (left) or `insert` (right). */
export interface DiffSide {
  n: number;
  parts: DiffPart[];
}

/** One row of a side-by-side diff: an unchanged line, a changed pair, or a line on one side only. */
export interface DiffRow {
  kind: "equal" | "change" | "delete" | "insert";
  left?: DiffSide;
  right?: DiffSide;
}

/**
 * Above this many table cells (lines × lines) the middle of the texts is shown as replaced whole, so a pasted novel
 * cannot freeze the tab.
 */
const MAX_CELLS = 4_000_000;

/** The edit script turning `a` into `b`, as runs of equal, deleted and inserted items. */
export function diffSequences<T>(a: readonly T[], b: readonly T[]): { op: DiffOp; items: T[] }[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  const items: T[] = [];
  const push = (op: DiffOp, item: T) => {
    ops.push(op);
    items.push(item);
  };
  for (let i = 0; i < start; i++) push("equal", a[i] as T);
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) push("delete", a[i] as T);
    for (let j = start; j < endB; j++) push("insert", b[j] as T);
  } else {
    // lcs[i * (m + 1) + j]: the LCS length of a[start + i …] and b[start + j …].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          a[start + i] === b[start + j]
            ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        push("equal", a[start + i] as T);
        i++;
        j++;
      } else if (i < n && (j === m || (lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0))) {
        push("delete", a[start + i] as T);
        i++;
      } else {
        push("insert", b[start + j] as T);
        j++;
      }
    }
    // Deletions first within a changed stretch, so each hunk reads "old lines, then new lines".
    reorderHunks(ops, items);
  }
  for (let i = endA; i < a.length; i++) push("equal", a[i] as T);
  const out: { op: DiffOp; items: T[] }[] = [];
  ops.forEach((op, k) => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.items.push(items[k] as T);
    else out.push({ op, items: [items[k] as T] });
  });
  return out;
}

/** Within each stretch of non-equal ops, moves the deletions before the insertions (stable). */
function reorderHunks<T>(ops: DiffOp[], items: T[]): void {
  let k = 0;
  while (k < ops.length) {
    if (ops[k] === "equal") {
      k++;
      continue;
    }
    let end = k;
    while (end < ops.length && ops[end] !== "equal") end++;
    const del: T[] = [];
    const ins: T[] = [];
    for (let x = k; x < end; x++) (ops[x] === "delete" ? del : ins).push(items[x] as T);
    [...del, ...ins].forEach((item, x) => {
      ops[k + x] = x < del.length ? "delete" : "insert";
      items[k + x] = item;
    });
    k = end;
  }
}

/** Words, runs of spaces and single punctuation marks: the units of a word diff. */
export function tokenize(line: string): string[] {
  return line.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/** Adds text to a list of parts, merging it into the last part when the op is the same. */
function append(parts: DiffPart[], op: DiffOp, text: string): void {
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else if (text) parts.push({ op, text });
}

/**
 * The two sides of a changed line, word by word: removed words on the left, added words on the right. A space alone
 * between two changes counts as changed too, so "[a] [b]" reads as one change "[a b]".
 */
export function diffWords(a: string, b: string): { left: DiffPart[]; right: DiffPart[] } {
  const left: DiffPart[] = [];
  const right: DiffPart[] = [];
  const runs = diffSequences(tokenize(a), tokenize(b));
  runs.forEach(({ op, items }, k) => {
    const text = items.join("");
    const between = k > 0 && k < runs.length - 1 && /^\s+$/.test(text);
    if (op === "equal" && between) {
      append(left, "delete", text);
      append(right, "insert", text);
      return;
    }
    if (op !== "insert") append(left, op, text);
    if (op !== "delete") append(right, op, text);
  });
  return { left, right };
}

/** How alike two lines are: the share of their characters the word diff keeps (0 … 1). */
export function similarity(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  const kept = diffWords(a, b)
    .left.filter((p) => p.op === "equal")
    .reduce((n, p) => n + p.text.trim().length, 0);
  return (2 * kept) / (a.trim().length + b.trim().length || 1);
}

/** Lines alike at least this much are shown as one changed line; others as a removed and an added line. */
const PAIR_SIMILARITY = 0.4;

/** Splits a text into lines (a final newline does not make an empty last line; no text is no lines). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The side-by-side rows of a diff of `a` (left) and `b` (right). In a changed stretch a removed line is paired with an
 * added line alike enough and diffed word by word; the other lines stand alone.
 */
export function diffLines(a: string, b: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let nl = 1;
  let nr = 1;
  const runs = diffSequences(splitLines(a), splitLines(b));
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k] as { op: DiffOp; items: string[] };
    if (run.op === "equal") {
      for (const line of run.items) {
        const parts: DiffPart[] = [{ op: "equal", text: line }];
        rows.push({ kind: "equal", left: { n: nl++, parts }, right: { n: nr++, parts } });
      }
      continue;
    }
    const deleted = run.op === "delete" ? run.items : [];
    const next = runs[k + 1];
    const inserted = run.op === "insert" ? run.items : next?.op === "insert" ? next.items : [];
    if (run.op === "delete" && next?.op === "insert") k++;
    // Each removed line is paired with the next added line alike enough (in order), the lines skipped stand alone.
    let j = 0;
    for (const line of deleted) {
      let p = j;
      while (p < inserted.length && similarity(line, inserted[p] ?? "") < PAIR_SIMILARITY) p++;
      if (p === inserted.length) {
        rows.push({ kind: "delete", left: { n: nl++, parts: [{ op: "delete", text: line }] } });
        continue;
      }
      for (; j < p; j++)
        rows.push({ kind: "insert", right: { n: nr++, parts: [{ op: "insert", text: inserted[j] ?? "" }] } });
      const { left, right } = diffWords(line, inserted[p] ?? "");
      rows.push({ kind: "change", left: { n: nl++, parts: left }, right: { n: nr++, parts: right } });
      j = p + 1;
    }
    for (; j < inserted.length; j++) {
      rows.push({ kind: "insert", right: { n: nr++, parts: [{ op: "insert", text: inserted[j] ?? "" }] } });
    }
  }
  return rows;
}

/** Lines added and removed (a changed line counts once each way), as a diff's summary says `+2 −1`. */
export function diffStats(rows: readonly DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.kind === "change" || r.kind === "insert") added++;
    if (r.kind === "change" || r.kind === "delete") removed++;
  }
  return { added, removed };
}
