#!/usr/bin/python3
"""Plot a perf/run result: cycles per packet and Mpps per scenario, the floor beside them.

    perf/plot.py perf/results/RUN-ID.json [OUT.png]

Needs matplotlib (Debian: python3-matplotlib).
"""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _rows(results):
    rows = []
    for size, f in sorted(results["floor"].items(), key=lambda kv: str(kv[0])):
        if f.get("summary"):
            rows.append(("floor %s" % size, f, True))
    for e in results["scenarios"]:
        if e.get("status") == "ok" and e.get("summary"):
            rows.append((e["name"], e, False))
    return rows


def _bar(ax, rows, key, title, unit):
    names = [r[0] for r in rows]
    meds, lo, hi = [], [], []
    for _, e, _ in rows:
        s = e["summary"].get(key) or {"median": 0, "min": 0, "max": 0}
        meds.append(s["median"])
        lo.append(s["median"] - s["min"])
        hi.append(s["max"] - s["median"])
    colors = ["#999999" if r[2] else "#3b6ea5" for r in rows]
    ax.bar(range(len(rows)), meds, yerr=[lo, hi], color=colors, capsize=3)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit)
    for i, (_, e, floor) in enumerate(rows):
        if key == "cycles_per_packet" and not floor and e.get("ratio"):
            ax.annotate("%.2fx" % e["ratio"], (i, meds[i]), ha="center", va="bottom",
                        fontsize=7)


def plot(results, out):
    rows = _rows(results)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    _bar(axes[0], rows, "cycles_per_packet",
         "processing cycles per packet (ratio to the testpmd floor)", "TSC cycles")
    _bar(axes[1], rows, "mpps", "forwarded Mpps (median, min-max)", "Mpps")
    h = results.get("host", {})
    fig.suptitle("vsw perf run %s: %s, %s CPUs, DPDK %s, generator %s%s" % (
        results["run_id"], h.get("cpu", "?"), h.get("cpus", "?"), h.get("dpdk", "?"),
        results["settings"]["generator"],
        (" - " + results["note"]) if results.get("note") else ""), fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    with open(sys.argv[1]) as f:
        results = json.load(f)
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.splitext(sys.argv[1])[0] + ".png"
    print(plot(results, out))


if __name__ == "__main__":
    main()
