import { type Client, type InStatement, LibsqlError } from "@libsql/client";
import { MlflowError } from "../errors.js";
import { positional } from "./read-replica-statements.js";

/**
 * An embedded replica sends its writes to the primary ("write delegation") and reports the primary's failures as
 * bare strings without a code: `RemoteSqliteFailure(3, 2067, "UNIQUE constraint failed: t.v")`, or
 * `WriteDelegation(status: Unavailable, …)` when the primary cannot be reached. The store maps failures by SQLite
 * code (see db-errors.ts), so these are turned back into the errors a direct connection raises.
 */

/** Names of the SQLite result codes the store tells apart, by primary code (the low byte of an extended one). */
const PRIMARY_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  8: "SQLITE_READONLY",
  10: "SQLITE_IOERR",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  19: "SQLITE_CONSTRAINT",
};

/** Extended codes with names of their own (constraints: the store's messages name the kind). */
const EXTENDED_CODES: Record<number, string> = {
  275: "SQLITE_CONSTRAINT_CHECK",
  787: "SQLITE_CONSTRAINT_FOREIGNKEY",
  1299: "SQLITE_CONSTRAINT_NOTNULL",
  1555: "SQLITE_CONSTRAINT_PRIMARYKEY",
  2067: "SQLITE_CONSTRAINT_UNIQUE",
};

const REMOTE_FAILURE = /^RemoteSqliteFailure\(\d+, (\d+), "(.*)"\)\s*$/s;
const UNREACHABLE = /^(WriteDelegation\(status: (Unavailable|DeadlineExceeded|Unknown)|Replication\(|sync error)/;

/** The error a direct connection would have raised for `err`, or `err` itself. */
export function translateReplicaError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof LibsqlError) return err;
  const remote = REMOTE_FAILURE.exec(err.message);
  if (remote) {
    const extended = Number(remote[1]);
    const code = EXTENDED_CODES[extended] ?? PRIMARY_CODES[extended & 0xff] ?? "SQLITE_ERROR";
    return new LibsqlError(remote[2] as string, code, code, extended, err);
  }
  if (UNREACHABLE.test(err.message)) return primaryUnreachable(err.message.split("\n")[0] as string);
  return err;
}

/** The 503 of a write while the primary cannot be reached (`detail`: the driver's words). */
export function primaryUnreachable(detail: string): MlflowError {
  return new MlflowError(
    `The primary database (--backend-store-uri) cannot be reached; reads are served from the read replica, writes are not. ${detail}`,
    "TEMPORARILY_UNAVAILABLE",
  );
}

/** Whether `err` is {@link primaryUnreachable}'s. */
export function isPrimaryUnreachable(err: unknown): boolean {
  return err instanceof MlflowError && err.code === "TEMPORARILY_UNAVAILABLE" && err.message.startsWith("The primary");
}

/** The arguments of `method` with its statements made positional (see read-replica-statements.ts). */
function statementsOf(method: string, args: unknown[]): unknown[] {
  if (method === "execute" && args[0] !== undefined) {
    // execute(sql, args) as well as execute(stmt).
    const stmt = typeof args[0] === "string" && args[1] !== undefined ? { sql: args[0], args: args[1] } : args[0];
    return [positional(stmt as InStatement)];
  }
  if (method === "batch" && Array.isArray(args[0]))
    return [args[0].map((s) => positional(s as InStatement)), ...args.slice(1)];
  return args;
}

/**
 * `target` with its statements made positional and each method's rejections translated; a transaction it returns is
 * wrapped the same way.
 */
function translating<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, key) {
      const value = Reflect.get(obj, key);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = value.apply(obj, statementsOf(String(key), args));
        } catch (e) {
          throw translateReplicaError(e);
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v: unknown) => (key === "transaction" && typeof v === "object" && v !== null ? translating(v) : v),
          (e: unknown) => Promise.reject(translateReplicaError(e)),
        );
      };
    },
  });
}

/** An embedded replica's client that forwards named parameters safely and whose failures read as a direct connection's. */
export function withReplicaErrors(client: Client): Client {
  return translating(client);
}
