import { quoteKey } from "./view-state.js";

/**
 * Autocomplete for MLflow's run filter language (`metrics.loss < 0.5 and params.lr = '0.01'`): from the text and the
 * cursor it finds what the cursor is on (an identifier, a comparator, a value or the `and` between clauses) and offers
 * entity prefixes, the keys seen in the loaded runs (backtick-quoted when needed), comparators or `and`.
 */

export interface Completion {
  /** What the list shows. */
  label: string;
  /** What replaces the text between `from` and `to`. */
  insert: string;
  detail?: string;
}

export interface CompletionResult {
  from: number;
  to: number;
  items: Completion[];
}

export interface FilterKeys {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

const ENTITIES = ["metrics", "params", "tags", "attributes", "datasets"] as const;
type Entity = (typeof ENTITIES)[number];

const ALIASES: Record<string, Entity> = {
  metric: "metrics",
  metrics: "metrics",
  param: "params",
  params: "params",
  parameter: "params",
  parameters: "params",
  tag: "tags",
  tags: "tags",
  attribute: "attributes",
  attributes: "attributes",
  attr: "attributes",
  run: "attributes",
  dataset: "datasets",
  datasets: "datasets",
};

const ATTRIBUTES = ["run_name", "status", "start_time", "end_time", "user_id", "run_id", "artifact_uri"];
const DATASET_KEYS = ["name", "digest", "context"];
const COMPARATORS = ["=", "!=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "IN", "NOT IN", "IS NULL", "IS NOT NULL"];
const STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];
const CMP_WORDS = new Set(["LIKE", "ILIKE", "IN", "NOT", "IS", "NULL"]);
const MAX_ITEMS = 50;

export type TokenKind = "ident" | "string" | "op" | "punct";
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** Splits a filter into identifiers (with backtick segments), quoted strings, comparison operators and punctuation. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i++;
      if (i < text.length) i++;
      out.push({ kind: "string", text: text.slice(start, i), start, end: i });
    } else if ("(),".includes(c)) {
      out.push({ kind: "punct", text: c, start, end: ++i });
    } else if ("=!<>".includes(c)) {
      while (i < text.length && "=!<>".includes(text[i] ?? "")) i++;
      out.push({ kind: "op", text: text.slice(start, i), start, end: i });
    } else {
      while (i < text.length && !/[\s'"(),=!<>]/.test(text[i] ?? "")) {
        if (text[i] === "`") {
          i++;
          while (i < text.length && text[i] !== "`") i++;
        }
        i++;
      }
      i = Math.min(i, text.length);
      out.push({ kind: "ident", text: text.slice(start, i), start, end: i });
    }
  }
  return out;
}

export type Expect = "identifier" | "comparator" | "value" | "and";

/** What the clause holding the cursor expects next, from the tokens before it (since the last `and`). */
export function expectation(before: Token[]): { expect: Expect; identifier?: string } {
  let state: Expect = "identifier";
  let identifier: string | undefined;
  let depth = 0;
  for (const t of before) {
    const word = t.kind === "ident" ? t.text.toUpperCase() : "";
    if (depth > 0) {
      if (t.text === "(") depth++;
      if (t.text === ")" && --depth === 0) state = "and";
      continue;
    }
    if (word === "AND") {
      state = "identifier";
      identifier = undefined;
    } else if (state === "identifier" && t.kind === "ident") {
      identifier = t.text;
      state = "comparator";
    } else if (state === "comparator" && (t.kind === "op" || CMP_WORDS.has(word))) {
      state = word === "NULL" ? "and" : "value";
    } else if (state === "value" && (t.kind === "op" || CMP_WORDS.has(word))) {
      if (word === "NULL") state = "and"; // IS [NOT] NULL
    } else if (state === "value" && t.text === "(") {
      depth = 1;
    } else if (state === "value") {
      state = "and";
    }
  }
  return { expect: state, identifier };
}

const lower = (s: string) => s.toLowerCase();

/** Keys matching a partial one: those starting with it first, then those containing it. */
function rank(keys: readonly string[], partial: string): string[] {
  const p = lower(partial);
  const starts = keys.filter((k) => lower(k).startsWith(p));
  const contains = p ? keys.filter((k) => !lower(k).startsWith(p) && lower(k).includes(p)) : [];
  return [...starts, ...contains];
}

function keysOf(entity: Entity, keys: FilterKeys): readonly string[] {
  if (entity === "attributes") return ATTRIBUTES;
  if (entity === "datasets") return DATASET_KEYS;
  return keys[entity];
}

function identifierItems(word: string, keys: FilterKeys): Completion[] {
  const dot = word.indexOf(".");
  if (dot >= 0) {
    const entity = ALIASES[lower(word.slice(0, dot).replaceAll("`", ""))];
    if (!entity) return [];
    const partial = word.slice(dot + 1).replaceAll("`", "");
    return rank(keysOf(entity, keys), partial).map((k) => {
      const name = entity === "attributes" || entity === "datasets" ? k : quoteKey(k);
      return { label: `${entity}.${name}`, insert: `${entity}.${name} `, detail: entity };
    });
  }
  const items: Completion[] = ENTITIES.filter((e) => e.startsWith(lower(word))).map((e) => ({
    label: `${e}.`,
    insert: `${e}.`,
    detail: "prefix",
  }));
  if (word) {
    // A bare word finds keys of every kind that contain it: `loss` offers metrics.loss, metrics.val_loss, ...
    for (const entity of ["metrics", "params", "tags"] as const) {
      for (const k of rank(keys[entity], word)) {
        items.push({ label: `${entity}.${quoteKey(k)}`, insert: `${entity}.${quoteKey(k)} `, detail: entity });
      }
    }
  }
  return items;
}

/** The completions at `cursor` in `text`. */
export function complete(text: string, cursor: number, keys: FilterKeys): CompletionResult {
  const tokens = tokenize(text);
  const at = tokens.find((t) => t.start < cursor && cursor <= t.end);
  if (at?.kind === "string" && cursor < at.end) return { from: cursor, to: cursor, items: [] };
  const current = at && at.kind !== "punct" ? at : undefined;
  const from = current ? current.start : cursor;
  const to = current ? current.end : cursor;
  const before = tokens.filter((t) => t.end <= from);
  const typed = current ? text.slice(current.start, cursor) : "";
  const { expect, identifier } = expectation(before);
  let items: Completion[] = [];
  if (expect === "identifier") items = identifierItems(typed, keys);
  else if (expect === "comparator") {
    items = COMPARATORS.filter((c) => c.startsWith(typed.toUpperCase())).map((c) => ({ label: c, insert: `${c} ` }));
  } else if (expect === "value") {
    const entity = identifier ? ALIASES[lower(identifier.split(".")[0] ?? "")] : undefined;
    const key = identifier?.slice(identifier.indexOf(".") + 1).replaceAll("`", "");
    if (entity === "attributes" && key === "status") {
      const p = typed.replace(/^'/, "").toUpperCase();
      items = STATUSES.filter((s) => s.startsWith(p)).map((s) => ({ label: `'${s}'`, insert: `'${s}' ` }));
    }
  } else if ("AND".startsWith(typed.toUpperCase())) {
    items = [{ label: "and", insert: "and " }];
  }
  // Nothing to offer when the only choice is what is already typed.
  if (items.length === 1 && items[0]?.insert.trim() === text.slice(from, to)) items = [];
  return { from, to, items: items.slice(0, MAX_ITEMS) };
}

/** Applies a completion: the new text and where the cursor goes. */
export function applyCompletion(text: string, r: CompletionResult, c: Completion): { text: string; cursor: number } {
  const next = text.slice(0, r.from) + c.insert + text.slice(r.to);
  return { text: next, cursor: r.from + c.insert.length };
}
