/**
 * Python's `fnmatch.fnmatchcase` as a RegExp: `*` any run of characters, `?` one character, `[seq]` / `[!seq]` a
 * character class; everything else literal. MLflow matches `--allowed-hosts` and `--cors-allowed-origins` patterns
 * with it (case-sensitive on POSIX), so tracklite must read the same patterns the same way.
 * @see Python's `fnmatch.translate`
 */
export function fnmatchRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*") out += "[\\s\\S]*";
    else if (ch === "?") out += "[\\s\\S]";
    else if (ch === "[") {
      // A class runs to the next "]" that is not its first character; without one, "[" is literal.
      let j = i + 1;
      if (pattern[j] === "!") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j++;
      if (j >= pattern.length) {
        out += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, j).replace(/\\/g, "\\\\");
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      else if (body.startsWith("^")) body = `\\${body}`;
      out += body === "" ? "(?!)" : `[${body}]`;
      i = j;
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${out})$`);
}

/**
 * A test of whether a value matches one of `patterns`: by fnmatch where a pattern has a `*`, else exactly, as MLflow's
 * `is_allowed_host_header` and `should_block_cors_request` do. The patterns are compiled once.
 */
export function patternMatcher(patterns: readonly string[]): (value: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes("*")));
  const globs = patterns.filter((p) => p.includes("*")).map(fnmatchRegExp);
  return (value) => exact.has(value) || globs.some((re) => re.test(value));
}
