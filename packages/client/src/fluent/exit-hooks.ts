/** What the program's end should trigger. */
export interface ExitHandlers {
  /** True while there is something to flush or a run to end. */
  pending(): boolean;
  /** Flushes and ends the runs still active; async work is allowed (Node and Bun `beforeExit`, Deno `beforeunload`). */
  onExit(): Promise<void>;
  /** A page is going away (`pagehide`): send what is queued, best effort. */
  onPageHide(): void;
}

type EventTargetLike = {
  addEventListener(type: string, listener: (e: Event) => void): void;
  removeEventListener(type: string, listener: (e: Event) => void): void;
};
type ProcessLike = {
  on(event: "beforeExit", listener: () => void): unknown;
  removeListener(event: "beforeExit", listener: () => void): unknown;
};

/**
 * Installs the runtime's end-of-program listener and returns the function that removes it (a no-op where the
 * runtime has none). Node and Bun fire `beforeExit` when the event loop is empty and keep running while the listener
 * schedules work; Deno fires `beforeunload` and keeps running when the listener prevents its default; browsers fire
 * `pagehide`, after which only `keepalive` requests survive. None of them fire on `process.exit()` or a signal.
 */
export function installExitHooks(handlers: ExitHandlers): () => void {
  const g = globalThis as Partial<EventTargetLike> & {
    Deno?: unknown;
    process?: Partial<ProcessLike>;
    document?: unknown;
  };
  if (g.Deno !== undefined && g.addEventListener && g.removeEventListener) {
    const target = g as EventTargetLike;
    const listener = (e: Event) => {
      if (!handlers.pending()) return;
      e.preventDefault();
      void handlers.onExit();
    };
    target.addEventListener("beforeunload", listener);
    return () => target.removeEventListener("beforeunload", listener);
  }
  if (typeof g.process?.on === "function" && typeof g.process.removeListener === "function") {
    const proc = g.process as ProcessLike;
    const listener = () => {
      if (handlers.pending()) void handlers.onExit();
    };
    proc.on("beforeExit", listener);
    return () => proc.removeListener("beforeExit", listener);
  }
  if (g.document !== undefined && g.addEventListener && g.removeEventListener) {
    const target = g as EventTargetLike;
    const listener = () => handlers.onPageHide();
    target.addEventListener("pagehide", listener);
    return () => target.removeEventListener("pagehide", listener);
  }
  return () => {};
}
