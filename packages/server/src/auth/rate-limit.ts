/**
 * Failed sign-ins per key (username + client address, or address alone for tokens): after `maxFailures` within
 * `windowMs` the key is refused until the window has passed since its first failure. A success clears the key. The
 * reference has no such limit; it keeps a password guesser from trying at the speed of the hash.
 */
export interface RateLimitOptions {
  maxFailures: number;
  windowMs: number;
  /** The clock, for tests. */
  now?: () => number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { maxFailures: 10, windowMs: 5 * 60_000 };

/** Keys kept at most; the oldest are dropped first, so a flood of fresh keys cannot grow memory without bound. */
const MAX_KEYS = 100_000;

export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    const elapsed = this.now() - f.since;
    if (elapsed >= this.options.windowMs) {
      this.failures.delete(key);
      return 0;
    }
    return f.count >= this.options.maxFailures ? Math.ceil((this.options.windowMs - elapsed) / 1000) : 0;
  }

  fail(key: string): void {
    const f = this.failures.get(key);
    if (f && this.now() - f.since < this.options.windowMs) {
      f.count++;
      return;
    }
    this.failures.delete(key);
    if (this.failures.size >= MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(key, { count: 1, since: this.now() });
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
