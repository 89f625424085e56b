import { invalidParameter } from "../errors.js";
import { pyStr } from "../search/python-compat.js";

/**
 * One filter of QueryTraceMetrics: `trace.status = 'OK'`, `trace.tag.<key> = 'v'`, `trace.metadata.<key> = 'v'`,
 * `span.name|status|type = 'v'`, `assessment.name|type = 'v'`. One clause per filter, `=` only, a quoted value.
 * @see mlflow/utils/search_utils.py SearchTraceMetricsUtils
 */
export interface MetricFilter {
  view: "trace" | "span" | "assessment";
  entity: string;
  key: string | undefined;
  value: string;
}

/** Per view, its entities and whether each needs a key. @see mlflow/tracing/constant.py *MetricSearchKey */
const ENTITIES: Record<MetricFilter["view"], Record<string, boolean>> = {
  trace: { status: false, tag: true, metadata: true },
  span: { name: false, status: false, type: false },
  assessment: { name: false, type: false },
};

const trimBackticks = (s: string) => (s.length >= 2 && s.startsWith("`") && s.endsWith("`") ? s.slice(1, -1) : s);
const stripQuotes = (s: string) =>
  s.length >= 2 && (s[0] === "'" || s[0] === '"') && s.at(-1) === s[0] ? s.slice(1, -1) : s;

/** The parts of a filter: identifier, comparator, value; the rest of the text, if any, is a clause too many. */
const CLAUSE =
  /^\s*((?:`[^`]*`|[\w]+)(?:\.(?:`[^`]*`|"[^"]*"|'[^']*'|[\w.-]+))*)\s*(!=|<>|<=|>=|=|<|>|\bNOT\s+LIKE\b|\bI?LIKE\b|\bNOT\s+IN\b|\bIN\b)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)\s*(.*)$/is;

function identifier(text: string): { view: MetricFilter["view"]; entity: string; key: string | undefined } {
  const parts = splitIdentifier(text);
  if (parts.length < 2)
    throw invalidParameter(
      `Invalid identifier ${pyStr(text)}. Columns should be specified as 'trace.<key>', 'span.<key>', 'assessment.<key>'.`,
    );
  const view = trimBackticks(parts[0] ?? "");
  if (!(view in ENTITIES))
    throw invalidParameter(`Invalid view type '${view}'. Valid values are dict_keys(['trace', 'span', 'assessment'])`);
  const entities = ENTITIES[view as MetricFilter["view"]];
  const entity = parts[1] ?? "";
  if (!(entity in entities))
    throw invalidParameter(
      `Invalid entity '${entity}' specified for view type '${view}'. Valid entities are [${Object.keys(entities)
        .map((e) => `'${e}'`)
        .join(", ")}]`,
    );
  const rawKey = parts[2];
  if (entities[entity] && rawKey === undefined)
    throw invalidParameter(`Filtering by ${entity} requires a key, e.g. '${view}.${entity}.<key> = <value>'`);
  if (!entities[entity] && rawKey !== undefined)
    throw invalidParameter(`Filtering by ${entity} does not require a key, use '${view}.${entity}' instead`);
  return {
    view: view as MetricFilter["view"],
    entity,
    key: rawKey === undefined ? undefined : trimBackticks(stripQuotes(rawKey)),
  };
}

/** Python's `identifier.split(".", 2)`: at most three parts, the last keeping its dots. */
function splitIdentifier(text: string): string[] {
  const first = text.indexOf(".");
  if (first < 0) return [text];
  const second = text.indexOf(".", first + 1);
  if (second < 0) return [text.slice(0, first), text.slice(first + 1)];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

export function parseMetricFilter(filter: string): MetricFilter {
  const m = CLAUSE.exec(filter);
  if (!m) throw invalidParameter(`Invalid clause(s) in filter string: ${filter.trim()}`);
  const [, ident = "", comparator = "", rawValue = "", rest = ""] = m;
  if (rest.trim() !== "") {
    const extra = rest.trim().split(/\s+/)[0] ?? "";
    throw invalidParameter(`Invalid clause(s) in filter string: ${extra}`);
  }
  const { view, entity, key } = identifier(ident);
  if (comparator !== "=") throw invalidParameter(`Invalid comparator: '${comparator}', only '=' operator is supported`);
  if (!/^(['"]).*\1$/s.test(rawValue))
    throw invalidParameter(
      `Expected a quoted string value for ${entity} value (e.g. 'my-value'). Got value ${rawValue}`,
    );
  return { view, entity, key, value: stripQuotes(rawValue) };
}
