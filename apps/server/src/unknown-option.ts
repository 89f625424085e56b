/**
 * One line for a command line parseArgs refuses, with a "did you mean" as click gives one (`mlflow server --portt`:
 * "No such option '--portt'. Did you mean '--port'?"), instead of Node's text and the whole help.
 */

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidates closest to `given` (a typo or a prefix of one), best first; none when nothing is near. */
export function closest(given: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(given.length / 3));
  const scored = candidates
    .map((c) => ({ c, d: given.length >= 3 && c.startsWith(given) ? 1 : distance(given, c) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  const best = scored[0]?.d;
  return scored.filter(({ d }) => d === best).map(({ c }) => c);
}

const HINT = "`tracklite --help` lists the options.";

const didYouMean = (names: string[]) =>
  names.length === 0 ? "" : ` Did you mean ${names.map((n) => `'${n}'`).join(" or ")}?`;

/** parseArgs' error as one line: an unknown flag with its nearest known ones, a missing or unexpected value. */
export function unknownOptionMessage(e: unknown, longFlags: readonly string[]): string {
  const text = (e as Error).message;
  const code = (e as { code?: string }).code;
  const unknown = /Unknown option '([^']+)'/.exec(text)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown !== undefined) {
    const names = unknown.startsWith("--")
      ? closest(unknown.slice(2).replace(/=.*$/, ""), longFlags).map((n) => `--${n}`)
      : [];
    return `No such option '${unknown}'.${didYouMean(names)} ${HINT}`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(text)?.[1];
  if (missing !== undefined) return `Option '${missing}' requires an argument.`;
  const noValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(text)?.[1];
  if (noValue !== undefined) return `Option '${noValue}' does not take a value.`;
  return `${text.split("\n")[0]} ${HINT}`;
}

/** An unknown command, with the nearest of tracklite's (`serve` → `server`). */
export function suggestCommand(given: string): string {
  return `No such command '${given}'.${didYouMean(closest(given, ["server", "ui"]))} \`tracklite --help\` lists the commands.`;
}
