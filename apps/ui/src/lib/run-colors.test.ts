import { describe, expect, it } from "vitest";
import { paletteColor, RUN_PALETTE, RunColorSlots, runColorIndex } from "./run-colors.js";

const ids = Array.from({ length: 40 }, (_, i) => `${(i * 2654435761).toString(16).padStart(8, "0")}abcdef${i}`);

describe("RunColorSlots", () => {
  it("gives the runs in view distinct slots, where the hash alone collides", () => {
    // Five runs whose hash slots collide (the case of the issue): find five ids with two shared hash slots.
    const byHash = new Map<number, string[]>();
    for (const id of ids) byHash.set(runColorIndex(id), [...(byHash.get(runColorIndex(id)) ?? []), id]);
    const pairs = [...byHash.values()].filter((l) => l.length >= 2);
    const four = [...(pairs[0] ?? []).slice(0, 2), ...(pairs[1] ?? []).slice(0, 2)];
    const five = [...four, ids.find((id) => !four.includes(id)) as string];
    expect(new Set(five.map(runColorIndex)).size).toBeLessThan(5);
    const s = new RunColorSlots();
    s.assign(five);
    expect(new Set(five.map((id) => s.slot(id))).size).toBe(5);
  });

  it("fills the whole palette before reusing a slot, then spreads evenly", () => {
    const s = new RunColorSlots();
    s.assign(ids.slice(0, RUN_PALETTE.length));
    expect(new Set(ids.slice(0, RUN_PALETTE.length).map((id) => s.slot(id))).size).toBe(RUN_PALETTE.length);
    s.assign(ids.slice(0, 30));
    const counts = new Array(RUN_PALETTE.length).fill(0);
    for (const id of ids.slice(0, 30)) counts[s.slot(id) as number]++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it("keeps a run's slot while it stays in view; a newcomer takes a free one", () => {
    const s = new RunColorSlots();
    const [a, b, c, d] = ids as [string, string, string, string];
    s.assign([a, b, c]);
    const before = [a, b, c].map((id) => s.slot(id));
    s.assign([c, a, d]);
    expect(s.slot(a)).toBe(before[0]);
    expect(s.slot(c)).toBe(before[2]);
    expect([s.slot(a), s.slot(c)]).not.toContain(s.slot(d));
    expect(s.slot(b)).toBeUndefined();
  });

  it("hands out slots in palette order (the first colours are the furthest apart)", () => {
    const s = new RunColorSlots();
    s.assign(ids.slice(10, 15));
    expect(ids.slice(10, 15).map((id) => s.slot(id))).toEqual([0, 1, 2, 3, 4]);
  });

  it("re-slots a charted run that shares its slot with another charted one; table-only runs keep theirs", () => {
    const s = new RunColorSlots();
    const table = ids.slice(0, 25);
    s.assign([], table);
    const shared = table.filter((id) => s.slot(id) === s.slot(table[0] as string));
    expect(shared.length).toBeGreaterThan(1);
    const [x, y] = shared as [string, string];
    const yOld = s.slot(y);
    s.assign([x, y], table);
    expect(s.slot(x)).toBe(yOld);
    expect(s.slot(y)).not.toBe(s.slot(x));
  });
});

// Colour-vision deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1) in linear RGB, distances in CIELAB.
const CVD = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
  normal: [1, 0, 0, 0, 1, 0, 0, 0, 1],
} as const;

function lab(hex: string, m: readonly number[]): [number, number, number] {
  const lin = [1, 3, 5].map((i) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const [r, g, b] = [0, 1, 2].map((i) =>
    Math.min(
      1,
      Math.max(
        0,
        (m[3 * i] ?? 0) * (lin[0] ?? 0) + (m[3 * i + 1] ?? 0) * (lin[1] ?? 0) + (m[3 * i + 2] ?? 0) * (lin[2] ?? 0),
      ),
    ),
  ) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

describe("RUN_PALETTE", () => {
  it("stays distinguishable under protanopia, deuteranopia and tritanopia in both themes", () => {
    for (const theme of ["light", "dark"] as const) {
      const colours = RUN_PALETTE.map((_, i) => paletteColor(i, theme));
      for (const [vision, m] of Object.entries(CVD)) {
        const labs = colours.map((c) => lab(c, m));
        const minDelta = (n: number) => {
          let d = Number.POSITIVE_INFINITY;
          for (let i = 0; i < n; i++)
            for (let j = i + 1; j < n; j++)
              d = Math.min(d, Math.hypot(...(labs[i] ?? []).map((v, k) => v - (labs[j]?.[k] ?? 0))));
          return d;
        };
        // ΔE ≥ 8 reads as clearly different colours; the first five (the usual handful of runs) sit further apart.
        expect(minDelta(5), `${theme} ${vision}, first 5`).toBeGreaterThanOrEqual(12);
        expect(minDelta(RUN_PALETTE.length), `${theme} ${vision}, all`).toBeGreaterThanOrEqual(8);
      }
    }
  });
});
