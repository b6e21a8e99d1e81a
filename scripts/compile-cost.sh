#!/usr/bin/env bash
# Compile cost of callback-async, measured in one run (see BENCHMARKS.md):
#
#   1. a clean `cargo build --release` of the runtime with its macros and dependencies, against
#      the same for async-trait 0.1 (both build proc-macro2, quote and syn 3), each in a fresh
#      cargo project with its own target directory;
#   2. `cargo check` of a generated crate with 1,000 `#[callback_async]` functions and 1,000
#      `promisify!` calls, against the same crate written by hand with `callback_async::channel()`
#      (target: at most 1.5x).
#
# Usage: scripts/compile-cost.sh       (RUNS=3 CHECK_RUNS=5 FNS=1000 are the defaults; IR=1 also
#        counts rustc's instructions for the two checks with valgrind's callgrind, ~2 min more)
#
# Times each command with `date +%s.%N`, RUNS times, alternating the order of the two sides from
# one run to the next, and reports medians. The projects live in a temporary directory (KEEP=1
# keeps it) and depend on this checkout's runtime by absolute path. Writes
# target/compile-cost/results.json, which scripts/render-benchmarks.py adds to the chart.
# Downloads happen before any timing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
runtime="$repo/runtime"
runs=${RUNS:-3}
check_runs=${CHECK_RUNS:-5}
fns=${FNS:-1000}
out_dir=${OUT_DIR:-$repo/target/compile-cost}
work=$(mktemp -d "${TMPDIR:-/tmp}/callback-async-compile-cost.XXXXXX")
if [[ -z "${KEEP:-}" ]]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "keeping $work"
fi
mkdir -p "$out_dir"
export CARGO_TERM_COLOR=never

# `median FILE`: the median of the numbers in FILE, one a line.
median() {
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# `timed NAME DIR COMMAND`: runs COMMAND in DIR and appends its wall time in seconds to
# $work/NAME.times; stops the script if COMMAND fails.
timed() {
  local name=$1 dir=$2 command=$3 start end
  start=$(date +%s.%N)
  if ! (cd "$dir" && bash -c "$command") >"$work/$name.log" 2>&1; then
    echo "failed in $dir: $command" >&2
    cat "$work/$name.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }' >>"$work/$name.times"
  echo "  $name: $(tail -n1 "$work/$name.times") s" >&2
}

# `alternate RUNS A B`: the order of the pair in run RUNS (A B, then B A, ...), so that a
# machine that gets busier or quieter during the run does not favour one side.
alternate() {
  if (($1 % 2)); then echo "$2 $3"; else echo "$3 $2"; fi
}

# `project DIR NAME DEPENDENCY-LINE`: a fresh cargo project outside any workspace, locked to this
# repository's versions where it shares dependencies.
project() {
  local dir=$1 name=$2 dependency=$3
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$dependency

[workspace]
EOF
  echo '// generated' >"$dir/src/lib.rs"
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  (cd "$dir" && cargo fetch -q)
}

echo "== machine" >&2
echo "  $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), rustc $(rustc --version | cut -d' ' -f2)" >&2
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# --- 1. clean release builds ------------------------------------------------------------------

echo "== 1. clean cargo build --release ($runs runs each, after one untimed warm-up)" >&2
project "$work/build-callback-async" cost-callback-async "callback-async = { path = \"$runtime\" }"
echo 'pub use callback_async;' >"$work/build-callback-async/src/lib.rs"
project "$work/build-async-trait" cost-async-trait 'async-trait = "0.1"'
echo 'pub use async_trait;' >"$work/build-async-trait/src/lib.rs"

for name in callback-async async-trait; do
  # Untimed warm-up (file cache), in the target directory that each timed run starts without.
  timed "warm-release-$name" "$work/build-$name" \
    "CARGO_TARGET_DIR='$work/target-$name' cargo build --release -q"
done
for ((i = 1; i <= runs; i++)); do
  for name in $(alternate "$i" callback-async async-trait); do
    rm -rf "$work/target-$name"
    timed "release-$name" "$work/build-$name" \
      "CARGO_TARGET_DIR='$work/target-$name' cargo build --release -q"
  done
done
release_ours=$(median "$work/release-callback-async.times")
release_peer=$(median "$work/release-async-trait.times")
echo "  medians: callback-async ${release_ours} s, async-trait ${release_peer} s" >&2

# --- 2. cargo check of generated crates -------------------------------------------------------

echo "== 2. cargo check: $fns #[callback_async] functions + $fns promisify! calls" >&2
project "$work/check-macros" cost-check-macros "callback-async = { path = \"$runtime\" }"
project "$work/check-by-hand" cost-check-by-hand "callback-async = { path = \"$runtime\" }"

# Four callback shapes, in turn: a value (channel), a borrowed argument and a value (owned copy
# of the `&str`), a callback that cannot outlive the call (stack slot), and a `Result`.
python3 - "$fns" "$work/check-macros/src/lib.rs" "$work/check-by-hand/src/lib.rs" <<'EOF'
import sys

count, macros_path, hand_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]

LEGACY = [
    "pub fn op_{i}(x: u64, done: impl FnOnce(u64) + Send + 'static) {{ done(x + {i}) }}",
    "pub fn op_{i}(name: &str, x: u64, done: impl FnOnce(&str, u64) + Send + 'static) {{ done(name, x + {i}) }}",
    "pub fn op_{i}(x: u64, done: impl FnOnce(u64)) {{ done(x + {i}) }}",
    "pub fn op_{i}(x: u64, done: impl FnOnce(Result<u64, String>) + Send + 'static) {{ done(Ok(x + {i})) }}",
]
PARAMS = ["x: u64", "name: &str, x: u64", "x: u64", "x: u64"]
VALUE = ["u64", "(String, u64)", "u64", "Result<u64, String>"]
PROMISIFY = [
    "promisify!(op_{i}(x, _))",
    "promisify!(op_{i}(name, x, |s: &str, n: u64| _))",
    "promisify!(op_{i}(x, _))",
    "promisify!(op_{i}(x, _))",
]
CALL = ["op_{i}(x, {cb})", "op_{i}(name, x, {cb})", "op_{i}(x, {cb})", "op_{i}(x, {cb})"]
RESOLVE = [
    "move |v| resolver.resolve(v)",
    "move |s: &str, n| resolver.resolve((s.to_owned(), n))",
    "move |v| resolver.resolve(v)",
    "move |v| resolver.resolve(v)",
]

def channel_body(i, shape):
    call = CALL[shape].format(i=i, cb=RESOLVE[shape])
    return f"    let (resolver, promise) = callback_async::channel();\n    {call};\n    promise\n"

def slot_body(i):
    return (
        "    let mut slot = None;\n"
        f"    op_{i}(x, |v| slot = Some(v));\n"
        "    match slot {\n"
        "        Some(v) => Promise::resolved(v),\n"
        "        None => callback_async::channel().1,\n"
        "    }\n"
    )

header = "#![allow(dead_code)]\n"
macros = [header, "use callback_async::{Promise, callback_async, promisify};\n"]
hand = [header, "use callback_async::Promise;\n"]
for i in range(count):
    shape = i % 4
    legacy = LEGACY[shape].format(i=i)
    macros.append(f"#[callback_async]\n{legacy}\n")
    macros.append(
        f"pub fn call_{i}({PARAMS[shape]}) -> Promise<{VALUE[shape]}> {{\n"
        f"    {PROMISIFY[shape].format(i=i)}\n}}\n"
    )
    hand.append(f"{legacy}\n")
    body = slot_body(i) if shape == 2 else channel_body(i, shape)
    hand.append(f"pub fn op_{i}_async({PARAMS[shape]}) -> Promise<{VALUE[shape]}> {{\n{body}}}\n")
    hand.append(
        f"pub fn call_{i}({PARAMS[shape]}) -> Promise<{VALUE[shape]}> {{\n"
        f"{channel_body(i, shape)}}}\n"
    )
open(macros_path, "w").write("".join(macros))
open(hand_path, "w").write("".join(hand))
EOF

# Dependencies (the macros included) once, untimed, with the same settings as the timed runs (a
# change of CARGO_INCREMENTAL would rebuild them); then only the crate itself, from scratch (no
# incremental cache), each time.
for name in macros by-hand; do
  timed "warm-check-$name" "$work/check-$name" \
    "CARGO_INCREMENTAL=0 CARGO_TARGET_DIR='$work/target-check-$name' cargo check -q"
done
for ((i = 1; i <= check_runs; i++)); do
  for name in $(alternate "$i" macros by-hand); do
    touch "$work/check-$name/src/lib.rs"
    timed "check-$name" "$work/check-$name" \
      "CARGO_INCREMENTAL=0 CARGO_TARGET_DIR='$work/target-check-$name' cargo check -q"
  done
done
check_ours=$(median "$work/check-macros.times")
check_peer=$(median "$work/check-by-hand.times")
echo "  medians: with the macros ${check_ours} s, by hand ${check_peer} s" >&2

# --- 3. instructions (IR=1, needs valgrind) -------------------------------------------------------
# The same two `cargo check` compilations, counted by callgrind: rustc's instructions, which do
# not move with the machine's load (the times above do, by ±10% between runs).
ir_ours=0 ir_peer=0
if [[ -n "${IR:-}" ]]; then
  command -v valgrind >/dev/null || { echo "IR=1 needs valgrind" >&2; exit 1; }
  echo "== 3. rustc instructions of the two checks (callgrind)" >&2
  for name in macros by-hand; do
    target="$work/target-check-$name"
    rmeta=$(ls -t "$target"/debug/deps/libcallback_async-*.rmeta | head -n1)
    (cd "$work/check-$name" && valgrind --tool=callgrind --callgrind-out-file="$work/$name.callgrind" \
      "$(rustup which rustc 2>/dev/null || command -v rustc)" --crate-name "ir_${name//-/_}" \
      --edition=2024 src/lib.rs --crate-type lib --emit=metadata -o "$work/$name.rmeta" \
      -L "dependency=$target/debug/deps" --extern "callback_async=$rmeta") 2>"$work/$name.ir.log"
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/$name.ir.log")
    echo "  $name: $ir instructions" >&2
    if [[ $name == macros ]]; then ir_ours=$ir; else ir_peer=$ir; fi
  done
fi

lines_macros=$(wc -l <"$work/check-macros/src/lib.rs")
lines_hand=$(wc -l <"$work/check-by-hand/src/lib.rs")

# --- results ------------------------------------------------------------------------------------

python3 - "$out_dir/results.json" "$work" "$release_ours" "$release_peer" "$check_ours" \
  "$check_peer" "$runs" "$check_runs" "$fns" "$lines_macros" "$lines_hand" "$ir_ours" "$ir_peer" <<'EOF'
import datetime, json, os, subprocess, sys

out, work = sys.argv[1], sys.argv[2]
ro, rp, co, cp = (float(v) for v in sys.argv[3:7])
runs, check_runs, fns, lines_macros, lines_hand, ir_ours, ir_peer = (int(v) for v in sys.argv[7:14])

def times(name):
    with open(os.path.join(work, name + ".times")) as f:
        return [float(line) for line in f if line.strip()]

results = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "timer": "date +%s.%N, sides alternating",
    "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
    "release": {
        "ours": "callback-async (runtime + macros + deps)", "peer": "async-trait 0.1",
        "ours_s": ro, "peer_s": rp, "ratio": ro / rp, "runs": runs, "target": 1.3,
        "ours_times": times("release-callback-async"), "peer_times": times("release-async-trait"),
    },
    "check": {
        "ours": f"{fns} #[callback_async] fns + {fns} promisify! calls ({lines_macros} lines)",
        "peer": f"the same by hand ({lines_hand} lines)",
        "ours_s": co, "peer_s": cp, "ratio": co / cp, "runs": check_runs, "target": 1.5,
        "ours_times": times("check-macros"), "peer_times": times("check-by-hand"),
    },
}
if ir_ours and ir_peer:
    results["check_instructions"] = {
        "ours": ir_ours, "peer": ir_peer, "ratio": ir_ours / ir_peer, "target": 1.5,
    }
with open(out, "w") as f:
    json.dump(results, f, indent=2)
r, c = results["release"], results["check"]
print(f"| measure | callback-async | peer | ratio | target |")
print(f"|---|---:|---:|---:|---|")
print(f"| clean `cargo build --release` (median of {runs}) | {ro:.2f} s | {rp:.2f} s (async-trait) "
      f"| {r['ratio']:.2f}x | ≤ 1.3x: {'met' if r['ratio'] <= 1.3 else 'MISSED'} |")
print(f"| `cargo check`, {fns} fns + {fns} calls (median of {check_runs}) | {co:.2f} s | {cp:.2f} s "
      f"(by hand) | {c['ratio']:.2f}x | ≤ 1.5x: {'met' if c['ratio'] <= 1.5 else 'MISSED'} |")
if "check_instructions" in results:
    i = results["check_instructions"]
    print(f"| rustc instructions of the same checks (callgrind) | {i['ours'] / 1e9:.2f} G | "
          f"{i['peer'] / 1e9:.2f} G (by hand) | {i['ratio']:.2f}x | ≤ 1.5x: "
          f"{'met' if i['ratio'] <= 1.5 else 'MISSED'} |")
print(f"\n(written to {out})")
EOF
