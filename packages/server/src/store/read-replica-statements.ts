import type { InArgs, InStatement, InValue } from "@libsql/client";

/**
 * Statements as an embedded replica can forward them. libSQL's write forwarding panics on named parameters
 * (`:name`, `@name`, `$name` with an object of values: "called `Option::unwrap()` on a `None` value" in libsql-js's
 * statement.rs, which takes the Node process down), so they are rewritten to positional `?` with the values in order.
 * String literals, quoted names and comments are left alone.
 */

const NAME = /[A-Za-z0-9_]/;

/** `stmt` with positional parameters only (unchanged when it has no named ones). */
export function positional(stmt: InStatement): InStatement {
  if (typeof stmt === "string" || Array.isArray(stmt.args) || stmt.args === undefined) return stmt;
  const named: Record<string, InValue> = stmt.args as Record<string, InValue>;
  const value = (name: string): InValue => {
    for (const key of [name.slice(1), name]) if (Object.hasOwn(named, key)) return named[key] as InValue;
    throw new RangeError(`no value for the SQL parameter ${name}`);
  };
  const { sql } = stmt;
  const args: InValue[] = [];
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const skipTo = (end: string, from: number) => {
      const at = sql.indexOf(end, from);
      return at < 0 ? sql.length : at + end.length;
    };
    let next = i + 1;
    if (c === "'" || c === '"' || c === "`") next = skipTo(c, i + 1);
    else if (c === "[") next = skipTo("]", i + 1);
    else if (c === "-" && sql[i + 1] === "-") next = skipTo("\n", i);
    else if (c === "/" && sql[i + 1] === "*") next = skipTo("*/", i + 2);
    else if ((c === ":" || c === "@" || c === "$") && NAME.test(sql[i + 1] ?? "")) {
      let end = i + 1;
      while (end < sql.length && NAME.test(sql[end] as string)) end++;
      args.push(value(sql.slice(i, end)));
      out += "?";
      i = end;
      continue;
    }
    out += sql.slice(i, next);
    i = next;
  }
  return { sql: out, args: args as InArgs };
}
