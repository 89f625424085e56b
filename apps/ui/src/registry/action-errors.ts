import { html, type ReactiveController, type ReactiveControllerHost } from "lit";
import "../components/error.js";

interface Failure {
  error: unknown;
  retry: () => void;
}

/**
 * Runs a page's write actions (save a tag, set an alias, rename…) and keeps the last failure of each part of the
 * page, so that the error shows inline next to that part with a Retry that repeats the action.
 */
export class ActionErrors implements ReactiveController {
  private failures = new Map<string, Failure>();
  private busyParts = new Set<string>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Nothing to set up; a controller needs at least one lifecycle method. */
  hostConnected() {}

  /** Runs `fn` for `part`; resolves true when it succeeded. */
  async run(part: string, fn: () => Promise<unknown>): Promise<boolean> {
    this.failures.delete(part);
    this.busyParts.add(part);
    this.host.requestUpdate();
    try {
      await fn();
      return true;
    } catch (error) {
      this.failures.set(part, { error, retry: () => void this.run(part, fn) });
      return false;
    } finally {
      this.busyParts.delete(part);
      this.host.requestUpdate();
    }
  }

  busy(part: string): boolean {
    return this.busyParts.has(part);
  }

  /** Forgets every failure (when the page shows another entity). */
  clear() {
    this.failures.clear();
    this.host.requestUpdate();
  }

  /** The inline error of a part, or nothing. */
  render(part: string) {
    const f = this.failures.get(part);
    return f ? html`<tl-error .error=${f.error} @retry=${f.retry}></tl-error>` : "";
  }
}
