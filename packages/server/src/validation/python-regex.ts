/**
 * A Python `re` pattern as a JavaScript RegExp, for patterns operators write in MLflow's environment variables: named
 * groups `(?P<n>…)` / `(?P=n)`, `\A` and `\Z`, and leading inline flags (`(?i)`, `(?s)`, `(?m)`, `(?x)` is refused).
 * Throws when the pattern is not a valid RegExp.
 */
export function pythonRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = "u";
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1] as string) {
      if (f === "i" || f === "m" || f === "s") flags += f;
      else if (f === "x") throw new Error(`verbose patterns ((?x)) are not supported: ${pattern}`);
    }
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$(?![\\s\\S])");
  return new RegExp(source, flags);
}

/** The store option for MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX; unset or empty turns the check off. */
export function modelVersionSourceRegexFromEnv(env: Record<string, string | undefined>): {
  modelVersionSourceRegex?: RegExp;
} {
  const pattern = env.MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX;
  if (!pattern) return {};
  try {
    return { modelVersionSourceRegex: pythonRegex(pattern) };
  } catch (e) {
    throw new Error(
      `MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX is not a pattern tracklite can use: ${(e as Error).message}`,
    );
  }
}
