"""Bar chart of the benchmark ratios (tracklite vs reference, > 1 means tracklite is better).

Usage: chart.py INPUT.json OUTPUT.png, where INPUT holds {"title": str, "bars": [{"label": str, "ratio": float}]}.
Run with the reference's venv python, which has matplotlib (an mlflow dependency).
"""

import json
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src: str, dst: str) -> None:
    with open(src) as f:
        data = json.load(f)
    bars = data["bars"][::-1]  # first row on top
    labels = [textwrap.fill(b["label"], 60) for b in bars]
    ratios = [b["ratio"] for b in bars]
    colors = ["#2e7d32" if r >= 1 else "#c62828" for r in ratios]

    fig, ax = plt.subplots(figsize=(12, 0.5 * len(bars) + 1.6), dpi=110)
    ax.barh(range(len(bars)), ratios, color=colors)
    ax.set_xscale("log")
    ax.axvline(1, color="black", linewidth=1)
    ax.axvline(10, color="grey", linewidth=1, linestyle="--", label="10×")
    ax.set_yticks(range(len(bars)), labels, fontsize=9)
    ax.set_xlabel("ratio (log scale; > 1: tracklite better)")
    fig.suptitle(data["title"], fontsize=11)
    lo = min(ratios + [0.5]) / 2
    hi = max(ratios + [2]) * 3
    ax.set_xlim(lo, hi)
    for i, r in enumerate(ratios):
        ax.text(r * 1.08, i, f"{r:.3g}×", va="center", fontsize=8)
    ax.grid(axis="x", which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
