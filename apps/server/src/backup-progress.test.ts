import { describe, expect, it } from "vitest";
import { formatBytes, type ProgressSink, renderBar, startPhase } from "./backup-progress.js";

/** A sink that keeps what is written, as a terminal (isTTY) or a log file would receive it. */
function sink(isTTY: boolean): ProgressSink & { text: string } {
  return {
    isTTY,
    columns: 120,
    text: "",
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

describe("formatBytes", () => {
  it("uses decimal units with two or three significant digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1.00 kB");
    expect(formatBytes(2_420_000)).toBe("2.42 MB");
    expect(formatBytes(123_400_000)).toBe("123.4 MB");
    expect(formatBytes(5_000_000_000)).toBe("5.00 GB");
  });
});

describe("renderBar", () => {
  it("fills the bar in proportion and shows the percentage and amounts", () => {
    const bar = renderBar("database", 500_000, 1_000_000, "bytes");
    expect(bar).toBe(`database   [${"█".repeat(12)}${"░".repeat(12)}]  50%  500.0 kB / 1.00 MB`);
    expect(renderBar("artifacts", 3, 3, "files")).toContain("100%  3 files / 3 files");
    // Nothing to copy counts as done, never a division by zero.
    expect(renderBar("artifacts", 0, 0, "bytes")).toContain(`[${"█".repeat(24)}] 100%`);
  });
});

describe("startPhase", () => {
  it("on a terminal, redraws one line in place and ends it with a summary", () => {
    const out = sink(true);
    const phase = startPhase(out, "database", 1000, "bytes");
    phase.update(400);
    phase.end();
    expect(out.text.startsWith("\r\x1b[2Kdatabase ")).toBe(true);
    expect(out.text.match(/\n/g)).toHaveLength(1);
    expect(out.text).toMatch(/100% {2}1.00 kB \/ 1.00 kB {2}done, 1.00 kB in \d+\.\d s\n$/);
  });

  it("elsewhere, writes a start line, one line per quarter passed and an end line", () => {
    const out = sink(false);
    const phase = startPhase(out, "artifacts", 1000, "bytes");
    phase.update(100);
    phase.update(600); // passes 25 % and 50 %: one line, for 50 %
    phase.update(800);
    phase.end("3 files, 1.00 kB");
    expect(out.text.split("\n").slice(0, -1)).toEqual([
      "artifacts: 1.00 kB to copy",
      "artifacts: 50% (600 B of 1.00 kB)",
      "artifacts: 75% (800 B of 1.00 kB)",
      expect.stringMatching(/^artifacts: 100%, 3 files, 1.00 kB in \d+\.\d s$/),
    ]);
  });

  it("elsewhere, a phase done in one step is two lines", () => {
    const out = sink(false);
    const phase = startPhase(out, "artifacts", 5, "bytes");
    phase.update(5);
    phase.end();
    expect(out.text.split("\n").slice(0, -1)).toEqual([
      "artifacts: 5 B to copy",
      expect.stringMatching(/^artifacts: 100%, 5 B in \d+\.\d s$/),
    ]);
  });
});
