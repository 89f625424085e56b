/** Reads an environment variable on Node, Bun and Deno (with --allow-env); browsers have none. */
export function readEnv(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env: { get(name: string): string | undefined } };
  };
  try {
    if (g.Deno) return g.Deno.env.get(name);
    return g.process?.env?.[name];
  } catch {
    // Deno without --allow-env
    return undefined;
  }
}

/** A number from the environment, or the fallback when unset or not a number. */
export function readEnvNumber(name: string, fallback: number): number {
  const raw = readEnv(name);
  const n = raw === undefined || raw === "" ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? n : fallback;
}
