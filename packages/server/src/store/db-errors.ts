import { MlflowError } from "../errors.js";

/**
 * Database failures that are the server's condition, not the client's mistake, answered as the reference answers
 * them: its session wrapper turns any SQLAlchemy OperationalError into TEMPORARILY_UNAVAILABLE (HTTP 503) with the
 * driver's message, e.g. `(sqlite3.OperationalError) database or disk is full` (tracklite leaves out the SQL and
 * parameters SQLAlchemy appends, see `sql-text-in-messages`).
 * @see mlflow/store/db/utils.py `_get_managed_session_maker`
 */
const OPERATIONAL: Record<string, string> = {
  SQLITE_FULL: "database or disk is full",
  SQLITE_IOERR: "disk I/O error",
  SQLITE_BUSY: "database is locked",
  SQLITE_LOCKED: "database table is locked",
  SQLITE_READONLY: "attempt to write a readonly database",
  SQLITE_CANTOPEN: "unable to open database file",
};

/** The SQLite result code of a libSQL error (drizzle wraps them; the code may also be an extended one). */
function sqliteCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

/** The error a request should see for `err`: a 503 for the failures above, else `err` unchanged. */
export function mapDatabaseError(err: unknown): unknown {
  if (err instanceof MlflowError) return err;
  // An MlflowError raised under the driver (a read replica's unreachable primary) reaches the client as itself.
  for (
    let e = (err as { cause?: unknown })?.cause, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  )
    if (e instanceof MlflowError) return e;
  const code = sqliteCode(err);
  if (!code) return err;
  const base = Object.keys(OPERATIONAL).find((k) => code === k || code.startsWith(`${k}_`));
  if (!base) return err;
  return new MlflowError(`(sqlite3.OperationalError) ${OPERATIONAL[base]}`, "TEMPORARILY_UNAVAILABLE");
}

const isAsyncIterator = (v: unknown): v is AsyncIterator<unknown> & AsyncIterable<unknown> =>
  typeof v === "object" && v !== null && typeof (v as AsyncIterator<unknown>).next === "function";

/** An async iterator whose failures are mapped too (metric histories stream their pages). */
function mappedIterator<T>(it: AsyncIterator<T> & AsyncIterable<T>): AsyncIterator<T> & AsyncIterable<T> {
  const wrap = <R>(p: Promise<R>) => p.catch((e: unknown) => Promise.reject(mapDatabaseError(e)));
  const out: AsyncIterator<T> & AsyncIterable<T> = {
    next: (...args) => wrap(it.next(...args)),
    [Symbol.asyncIterator]: () => out,
  };
  if (it.return) out.return = (value) => wrap((it.return as NonNullable<typeof it.return>)(value));
  if (it.throw) out.throw = (e) => wrap((it.throw as NonNullable<typeof it.throw>)(e));
  return out;
}

/**
 * `store` with every method's failures passed through {@link mapDatabaseError}: promises, async iterators and
 * synchronous throws alike. One place, so that no method can leak a raw database error as a 500.
 */
export function withDatabaseErrors<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      // Read with the target as `this`, so that getters reaching private fields keep working.
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return function (this: unknown, ...args: unknown[]) {
        let result: unknown;
        try {
          result = value.apply(this === receiver ? target : this, args);
        } catch (e) {
          throw mapDatabaseError(e);
        }
        if (result instanceof Promise) return result.catch((e: unknown) => Promise.reject(mapDatabaseError(e)));
        if (isAsyncIterator(result)) return mappedIterator(result);
        return result;
      };
    },
  });
}
