import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rate-limit.js";

describe("FailureLimiter", () => {
  it("blocks a key after maxFailures within the window, until the window has passed", () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("k")).toBe(0);
      limiter.fail("k");
    }
    expect(limiter.retryAfter("k")).toBe(60);
    now = 30_000;
    expect(limiter.retryAfter("k")).toBe(30);
    expect(limiter.retryAfter("other")).toBe(0);
    now = 60_000;
    expect(limiter.retryAfter("k")).toBe(0);
  });

  it("forgets a key on success", () => {
    const limiter = new FailureLimiter({ maxFailures: 1, windowMs: 60_000 });
    limiter.fail("k");
    expect(limiter.retryAfter("k")).toBeGreaterThan(0);
    limiter.reset("k");
    expect(limiter.retryAfter("k")).toBe(0);
  });
});
