#!/usr/bin/env python3
"""Turns criterion's results into BENCHMARKS.md's tables and docs/benchmarks.svg.

Reads target/criterion/<group>/<benchmark>/new/{benchmark,estimates}.json as written by
`cargo bench -p callback-async` (runtime/benches/*.rs), and, if present, the compile-cost
results of scripts/compile-cost.sh (target/compile-cost/results.json). Python 3 standard
library only.

    python3 scripts/render-benchmarks.py                     # print the tables, write the chart
    python3 scripts/render-benchmarks.py --update BENCHMARKS.md

Every ratio compares medians from the same `cargo bench` run: the generated code against the
fastest hand-written peer of its group (or against the direct-callback floor for the stack
slot). Lower is better everywhere, including streams (time per stream of items).
"""

import argparse
import datetime
import json
import os
import sys
from html import escape

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Roles of the variants (criterion function ids).
OURS = ("callback_async", "promisify")
LABELS = {
    "direct_callback": "direct callback (floor)",
    "callback_async": "#[callback_async]",
    "promisify": "promisify!",
    "futures_oneshot": "futures::channel::oneshot",
    "tokio_oneshot": "tokio::sync::oneshot",
    "oneshot_crate": "oneshot crate",
    "oneshot_crate_fn_sync": "oneshot crate behind Fn + Sync (Mutex<Option<Sender>>)",
    "channel_by_hand": "callback_async::channel() by hand",
    "futures_unbounded": "futures::channel::mpsc::unbounded",
    "tokio_unbounded": "tokio::sync::mpsc::unbounded_channel",
    "bounded_block": "CallbackStream::bounded(N, Block) by hand",
    "bounded_drop_oldest": "CallbackStream::bounded(N, DropOldest) (items sent)",
    "bounded_drop_newest": "CallbackStream::bounded(N, DropNewest) (items sent)",
    "futures_bounded": "futures::channel::mpsc::channel(N - 1) (room N: one slot per sender more)",
    "tokio_bounded": "tokio::sync::mpsc::channel(N)",
}
ONESHOT_PEERS = ("futures_oneshot", "tokio_oneshot", "oneshot_crate")
MPSC_PEERS = ("futures_unbounded", "tokio_unbounded")
BOUNDED_PEERS = ("futures_bounded", "tokio_bounded")

# group id -> (title, reference kind, peers, target ratio or None, note)
GROUPS = [
    ("inline-futures", "(a) resolved inside the legacy call, futures::executor::block_on",
     "peer", ONESHOT_PEERS, 1.0),
    ("inline-tokio", "(a) resolved inside the legacy call, tokio current-thread runtime",
     "peer", ONESHOT_PEERS, 1.0),
    ("worker-1cpu-futures", "(b) resolved on a worker thread (one CPU), futures block_on",
     "peer", ONESHOT_PEERS, 1.05),
    ("worker-1cpu-tokio", "(b) resolved on a worker thread (one CPU), tokio current-thread",
     "peer", ONESHOT_PEERS, 1.05),
    ("worker-2cpu-futures", "(b) worker thread on two CPUs, futures block_on (for scale only)",
     "peer", ONESHOT_PEERS, None),
    ("stack-slot-futures", "stack slot (impl FnOnce(u64)), futures block_on",
     "floor", ("direct_callback",), 2.0),
    ("stack-slot-tokio", "stack slot (impl FnOnce(u64)), tokio current-thread",
     "floor", ("direct_callback",), 2.0),
    ("stream-1-producer", "stream of 1,000,000 items from one producer thread",
     "peer", MPSC_PEERS, 1.0),
    ("stream-2-producers", "stream of 1,000,000 items from two producer threads",
     "peer", MPSC_PEERS, 1.0),
    # No target was set for bounded streams: reported against the bounded channels.
    ("stream-bounded-1024", "bounded stream (N = 1,024) of 1,000,000 items, one producer thread",
     "peer", BOUNDED_PEERS, None),
    ("stream-bounded-16", "bounded stream (N = 16) of 1,000,000 items, one producer thread",
     "peer", BOUNDED_PEERS, None),
]
ORDER = ["direct_callback", "callback_async", "promisify", "channel_by_hand",
         "futures_oneshot", "tokio_oneshot", "oneshot_crate", "oneshot_crate_fn_sync",
         "futures_unbounded", "tokio_unbounded", "bounded_block", "futures_bounded",
         "tokio_bounded", "bounded_drop_oldest",
         "bounded_drop_newest"]


def load_criterion(root):
    """{group: {function: record}} from criterion's `new` results under `root`."""
    results = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        median = est["median"]
        elements = (bench.get("throughput") or {}).get("Elements")
        results.setdefault(bench["group_id"], {})[bench["function_id"]] = {
            "median": median["point_estimate"],
            "low": median["confidence_interval"]["lower_bound"],
            "high": median["confidence_interval"]["upper_bound"],
            "elements": elements,
            "mtime": os.path.getmtime(os.path.join(dirpath, "estimates.json")),
        }
    return results


def fmt_time(ns):
    if ns < 1e3:
        return f"{ns:.3g} ns" if ns < 100 else f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_value(record):
    """Median as shown: time per call, or items per second for a stream."""
    if record["elements"]:
        per_second = record["elements"] / (record["median"] * 1e-9)
        return f"{per_second / 1e6:.1f} M items/s"
    return fmt_time(record["median"])


def fmt_ci(record):
    if record["elements"]:
        lo = record["elements"] / (record["high"] * 1e-9) / 1e6
        hi = record["elements"] / (record["low"] * 1e-9) / 1e6
        return f"{lo:.1f} – {hi:.1f}"
    return f"{fmt_time(record['low'])} – {fmt_time(record['high'])}"


def analyse(results):
    """Per group: its rows with ratios, the reference, and the verdicts of ours."""
    out = []
    for group_id, title, kind, peers, target in GROUPS:
        rows = results.get(group_id)
        if not rows:
            continue
        present = [p for p in peers if p in rows]
        if not present:
            continue
        reference = min(present, key=lambda p: rows[p]["median"])
        ref = rows[reference]["median"]
        entries = []
        for fid in sorted(rows, key=lambda f: ORDER.index(f) if f in ORDER else 99):
            record = rows[fid]
            ratio = record["median"] / ref
            verdict = None
            if fid in OURS and (kind == "peer" or fid == "callback_async"):
                verdict = None if target is None else ratio <= target
            entries.append({"id": fid, "record": record, "ratio": ratio, "verdict": verdict,
                            "role": "ours" if fid in OURS else
                            ("reference" if fid == reference else
                             ("peer" if fid in peers else "other"))})
        out.append({"id": group_id, "title": title, "kind": kind, "reference": reference,
                    "target": target, "entries": entries})
    return out


def attach_runs(groups, runs):
    """Adds each entry's ratio in every run of `runs` ({group: {function: record}} each)."""
    for group in groups:
        for e in group["entries"]:
            e["runs"] = []
        for results in runs:
            for other in analyse(results):
                if other["id"] != group["id"]:
                    continue
                ratios = {o["id"]: o["ratio"] for o in other["entries"]}
                for e in group["entries"]:
                    if e["id"] in ratios:
                        e["runs"].append(ratios[e["id"]])


def spread(e):
    """(median, min, max) of an entry's ratio over the runs, or None with fewer than two."""
    values = sorted(e.get("runs") or [])
    if len(values) < 2:
        return None
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return median, values[0], values[-1]


def target_text(group):
    if group["target"] is None:
        return "none (reported only)" if group["id"].startswith("stream-") else \
            "none (for scale only)"
    if group["kind"] == "floor":
        return f"≤ {group['target']:g}x the direct callback"
    if group["id"].startswith("stream"):
        return "throughput ≥ the faster mpsc (time ≤ 1x)"
    return f"≤ {group['target']:g}x the fastest hand-written oneshot"


def markdown(groups, compile_cost):
    lines = []
    summary = []
    for group in groups:
        unit = "median throughput" if group["entries"][0]["record"]["elements"] else "median"
        lines.append(f"#### `{group['id']}`: {group['title']}")
        lines.append("")
        ref_name = LABELS.get(group["reference"], group["reference"])
        lines.append(f"Target: {target_text(group)}. Ratios are against **{ref_name}**.")
        lines.append("")
        ci = "95% CI (M items/s)" if unit == "median throughput" else "95% CI of the median"
        lines.append(f"| variant | {unit} | {ci} | ratio (time) | ratio over all runs | "
                     "target (this run) |")
        lines.append("|---|---:|---:|---:|---:|---|")
        for e in group["entries"]:
            name = LABELS.get(e["id"], e["id"])
            if e["role"] == "ours":
                name = f"**{name}**"
            verdict = ""
            if e["verdict"] is True:
                verdict = "met"
            elif e["verdict"] is False:
                verdict = "**missed**"
            elif e["role"] == "ours" and group["target"] is None:
                verdict = "n/a"
            across = spread(e)
            across_text = f"{across[0]:.2f}x ({across[1]:.2f} – {across[2]:.2f})" if across else ""
            lines.append(f"| {name} | {fmt_value(e['record'])} | {fmt_ci(e['record'])} | "
                         f"{e['ratio']:.2f}x | {across_text} | {verdict} |")
            if e["verdict"] is not None:
                summary.append((group["id"], LABELS[e["id"]], e["ratio"], group["target"],
                                e["verdict"], group["kind"], e))
        lines.append("")
    head = ["| group | generated code | ratio (this run) | target | this run | "
            "ratio over all runs: median (min – max) | over all runs |",
            "|---|---|---:|---:|---|---:|---|"]
    for gid, name, ratio, target, ok, kind, e in summary:
        against = "floor" if kind == "floor" else "peer"
        across = spread(e)
        if across:
            med, lo, hi = across
            verdict = "met" if hi <= target else ("**missed**" if lo > target else
                                                  ("mostly met" if med <= target else
                                                   "**mostly missed**"))
            across_text = f"{med:.2f}x ({lo:.2f} – {hi:.2f}, {len(e['runs'])} runs)"
        else:
            verdict, across_text = "", "one run"
        head.append(f"| `{gid}` | {name} | {ratio:.2f}x | ≤ {target:g}x {against} | "
                    f"{'met' if ok else '**missed**'} | {across_text} | {verdict} |")
    if compile_cost:
        for key, title, target in (("release", "clean release build vs async-trait", 1.0),
                                   ("check", "cargo check, macros vs by hand", 1.5),
                                   ("check_instructions", "rustc instructions of that check", 1.5)):
            part = compile_cost.get(key)
            if not part:
                continue
            ratio = part["ratio"]
            if target is None:
                head.append(f"| compile | {title} | {ratio:.2f}x | (reported) | | | |")
            else:
                head.append(f"| compile | {title} | {ratio:.2f}x | ≤ {target:g}x | "
                            f"{'met' if ratio <= target else '**missed**'} | | |")
    if compile_cost:
        lines.append("#### Compile cost (scripts/compile-cost.sh)")
        lines.append("")
        lines.append(f"Measured {compile_cost['date']} with {compile_cost['rustc']}; "
                     f"timer: {compile_cost['timer']}.")
        lines.append("")
        lines.append("| measure | callback-async | time (median) | peer | time (median) | ratio |"
                     " target |")
        lines.append("|---|---|---:|---|---:|---:|---|")
        for key, title in (("release", "clean `cargo build --release`"),
                           ("check", "`cargo check` of the crate alone")):
            part = compile_cost.get(key)
            if not part:
                continue
            target = part.get("target", 1.0 if key == "release" else None)
            verdict = "reported" if target is None else (
                f"≤ {target:g}x: {'met' if part['ratio'] <= target else '**missed**'}")
            ours_runs = ", ".join(f"{t:.2f}" for t in part["ours_times"])
            peer_runs = ", ".join(f"{t:.2f}" for t in part["peer_times"])
            lines.append(f"| {title} | {part['ours']} | {part['ours_s']:.2f} s ({ours_runs}) | "
                         f"{part['peer']} | {part['peer_s']:.2f} s ({peer_runs}) | "
                         f"{part['ratio']:.2f}x | {verdict} |")
        lines.append("")
    return "\n".join(head) + "\n\n" + "\n".join(lines)


# --- the chart --------------------------------------------------------------------------------

COLORS = {"ours": "#2563eb", "reference": "#374151", "peer": "#9ca3af", "other": "#93c5fd"}
FLOOR_COLOR = "#10b981"
MAX_RATIO = 3.0


def svg_chart(groups, compile_cost, stamp):
    width = 1180
    col_w = width // 2
    label_w = 215
    bar_w = col_w - label_w - 150
    row_h = 17
    panels = []
    for group in groups:
        rows = []
        for e in group["entries"]:
            color = COLORS[e["role"]]
            if e["id"] == "direct_callback":
                color = FLOOR_COLOR
            rows.append((LABELS.get(e["id"], e["id"]), e["ratio"], color, fmt_value(e["record"]),
                         e["verdict"], spread(e)))
        panels.append((f"{group['id']}: {group['title']}", rows, group["target"],
                       "floor" if group["kind"] == "floor" else "fastest peer"))
    if compile_cost:
        for key, title, target, names in (
                ("release", "compile: clean release build (runtime + macros + deps)", None,
                 ("callback-async", "async-trait")),
                ("check", "compile: cargo check, 1,000 fns + 1,000 promisify! calls", 1.5,
                 ("with the macros", "written by hand"))):
            part = compile_cost.get(key)
            if not part:
                continue
            ours, peer = part["ours_s"], part["peer_s"]
            rows = [(names[0], ours / peer, COLORS["ours"], f"{ours:.2f} s",
                     None if target is None else ours / peer <= target, None),
                    (names[1], 1.0, COLORS["reference"], f"{peer:.2f} s", None, None)]
            panels.append((title, rows, target, names[1]))

    families = [("inline-", "(a) ≤ 1x"), ("worker-1cpu-", "(b) ≤ 1.05x"),
                ("stack-slot-", "stack slot ≤ 2x"), ("stream-", "streams ≤ 1x")]
    parts = []
    for prefix, name in families:
        found = [(e["ratio"], e["verdict"]) for g in groups if g["id"].startswith(prefix)
                 for e in g["entries"] if e["verdict"] is not None]
        if found:
            lo, hi = min(r for r, _ in found), max(r for r, _ in found)
            mark = "met" if all(v for _, v in found) else (
                "missed" if not any(v for _, v in found) else "partly met")
            span = f"{lo:.2f}x" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}–{hi:.2f}x"
            parts.append(f"{name}: {span} {mark}")
    if compile_cost and compile_cost.get("check"):
        ratio = compile_cost["check"]["ratio"]
        parts.append(f"cargo check ≤ 1.5x: {ratio:.2f}x {'met' if ratio <= 1.5 else 'missed'}")
    headline = "This run: " + " · ".join(parts)

    heights = [34 + row_h * len(rows) + 14 for _, rows, _, _ in panels]
    col_heights = [0, 0]
    placed = []
    for panel, h in zip(panels, heights):
        col = 0 if col_heights[0] <= col_heights[1] else 1
        placed.append((panel, col, col_heights[col]))
        col_heights[col] += h
    top = 110
    height = top + max(col_heights) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
           f'font-size="11">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           '<text x="16" y="26" font-size="17" font-weight="bold">callback-async benchmarks'
           '</text>',
           '<text x="16" y="46" fill="#374151">Bar = median time relative to the fastest '
           'hand-written peer (stack slot: to the direct callback); lower is better. '
           'Dashed line = target; whisker = min – max over all runs. Bars are cut at 3x.</text>',
           f'<text x="16" y="64" fill="#6b7280">{escape(stamp)}</text>']
    out.append(f'<text x="16" y="{height - 12}" fill="#6b7280" font-size="10">'
               'Generated by scripts/render-benchmarks.py from criterion\'s estimates.json '
               '(see BENCHMARKS.md)</text>')
    out.append(f'<text x="16" y="100" fill="#111827">{escape(headline)}</text>')
    legend = [("generated code", COLORS["ours"]), ("fastest peer (1.0x)", COLORS["reference"]),
              ("other peers", COLORS["peer"]), ("this crate's channel() by hand", COLORS["other"]),
              ("direct callback", FLOOR_COLOR)]
    lx = 16
    for name, color in legend:
        out.append(f'<rect x="{lx}" y="72" width="11" height="11" fill="{color}"/>')
        out.append(f'<text x="{lx + 15}" y="81">{escape(name)}</text>')
        lx += 30 + 6.2 * len(name)

    for (title, rows, target, ref_name), col, y0 in placed:
        x0 = 16 + col * col_w
        y = top + y0
        out.append(f'<text x="{x0}" y="{y + 14}" font-weight="bold">{escape(title)}</text>')
        scale = bar_w / MAX_RATIO
        bx = x0 + label_w
        by = y + 24
        plot_h = row_h * len(rows)
        for tick in (1, 2, 3):
            tx = bx + tick * scale
            out.append(f'<line x1="{tx:.1f}" y1="{by - 2}" x2="{tx:.1f}" y2="{by + plot_h}" '
                       f'stroke="#e5e7eb"/>')
            out.append(f'<text x="{tx:.1f}" y="{by + plot_h + 11}" text-anchor="middle" '
                       f'fill="#9ca3af" font-size="9">{tick}x</text>')
        for i, (name, ratio, color, value, verdict, across) in enumerate(rows):
            ry = by + i * row_h
            out.append(f'<text x="{bx - 6}" y="{ry + 11}" text-anchor="end">{escape(name)}</text>')
            w = min(ratio, MAX_RATIO) * scale
            out.append(f'<rect x="{bx}" y="{ry + 2}" width="{max(w, 1):.1f}" height="{row_h - 5}" '
                       f'fill="{color}"/>')
            if ratio > MAX_RATIO:
                out.append(f'<text x="{bx + w - 3:.1f}" y="{ry + 11}" text-anchor="end" '
                           f'fill="#ffffff" font-weight="bold">»</text>')
            if across:
                lo, hi = (min(v, MAX_RATIO) * scale + bx for v in across[1:])
                mid = ry + row_h / 2 - 1
                out.append(f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" '
                           f'stroke="#111827" stroke-width="1"/>')
                for x in (lo, hi):
                    out.append(f'<line x1="{x:.1f}" y1="{mid - 3:.1f}" x2="{x:.1f}" '
                               f'y2="{mid + 3:.1f}" stroke="#111827" stroke-width="1"/>')
            mark = ""
            mark_color = "#111827"
            if verdict is True:
                mark, mark_color = " ✓", "#059669"
            elif verdict is False:
                mark, mark_color = " ✗", "#dc2626"
            text = f"{ratio:.2f}x · {value}"
            right = max(w, (min(across[2], MAX_RATIO) * scale) if across else 0)
            out.append(f'<text x="{bx + min(right, bar_w) + 4:.1f}" y="{ry + 11}" '
                       f'fill="{mark_color}">{escape(text + mark)}</text>')
        if target is not None:
            tx = bx + min(target, MAX_RATIO) * scale
            out.append(f'<line x1="{tx:.1f}" y1="{by - 4}" x2="{tx:.1f}" y2="{by + plot_h + 1}" '
                       f'stroke="#dc2626" stroke-dasharray="4 3" stroke-width="1.3"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--criterion", default=os.path.join(REPO, "target", "criterion"),
                        help="criterion's output directory (default: target/criterion)")
    parser.add_argument("--compile-cost",
                        default=os.path.join(REPO, "target", "compile-cost", "results.json"),
                        help="results of scripts/compile-cost.sh, if present")
    parser.add_argument("--runs", nargs="*", default=[],
                        help="criterion directories of other runs of the same code, for the "
                             "spread of each ratio (scripts/bench.sh keeps them)")
    parser.add_argument("--machine", help="a Markdown list about the machine and the runs, "
                        "put at the top of the generated block")
    parser.add_argument("--svg", default=os.path.join(REPO, "docs", "benchmarks.svg"))
    parser.add_argument("--update", metavar="MARKDOWN",
                        help="replace the generated block of this file instead of printing")
    args = parser.parse_args()

    results = load_criterion(args.criterion)
    groups = analyse(results)
    attach_runs(groups, [load_criterion(run) for run in args.runs])
    if not groups:
        sys.exit(f"no criterion results under {args.criterion}: run `cargo bench -p "
                 "callback-async` first")
    compile_cost = None
    if os.path.exists(args.compile_cost):
        with open(args.compile_cost) as f:
            compile_cost = json.load(f)

    used = [e["record"]["mtime"] for g in groups for e in g["entries"]]
    first, last = (datetime.datetime.fromtimestamp(t, datetime.timezone.utc) for t in
                   (min(used), max(used)))
    stamp = (f"criterion results written {first:%Y-%m-%d %H:%M}–{last:%H:%M} UTC"
             f"{' (spans more than 2 hours: not one run?)' if last - first > datetime.timedelta(hours=2) else ''}")
    if compile_cost:
        stamp += f"; compile cost measured {compile_cost.get('date', '?')}"

    os.makedirs(os.path.dirname(args.svg), exist_ok=True)
    with open(args.svg, "w") as f:
        f.write(svg_chart(groups, compile_cost, stamp))

    text = f"<!-- {stamp} -->\n\n"
    if args.machine:
        with open(args.machine) as f:
            text += "Measured on:\n\n" + f.read().strip() + "\n\n"
    runs = max((len(e.get("runs") or []) for g in groups for e in g["entries"]), default=0)
    text += (f"Medians of the last of {runs} runs of the same code; the spread columns give "
             "each ratio in every run.\n\n" if runs > 1 else "Medians of one run.\n\n")
    text += markdown(groups, compile_cost)
    if args.update:
        begin, end = "<!-- BEGIN GENERATED RESULTS -->", "<!-- END GENERATED RESULTS -->"
        with open(args.update) as f:
            doc = f.read()
        if begin not in doc or end not in doc:
            sys.exit(f"{args.update} has no {begin} ... {end} block")
        head, rest = doc.split(begin, 1)
        _, tail = rest.split(end, 1)
        with open(args.update, "w") as f:
            f.write(head + begin + "\n" + text + "\n" + end + tail)
        print(f"updated {args.update} and {os.path.relpath(args.svg, REPO)}")
    else:
        print(text)
        print(f"(chart written to {os.path.relpath(args.svg, REPO)})", file=sys.stderr)


if __name__ == "__main__":
    main()
