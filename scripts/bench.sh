#!/usr/bin/env bash
# Runs the runtime's benchmarks (runtime/benches/*.rs) RUNS times (default 3), keeps each run's
# criterion results in target/criterion-runs/N, and renders BENCHMARKS.md's results block and
# docs/benchmarks.svg: the figures of the last run, with each ratio's spread over all runs.
#
# Usage: scripts/bench.sh                   (RUNS=1 for a single run; extra arguments go to
#                                            criterion, e.g. `scripts/bench.sh inline-` to filter)
#
# `-p callback-async`: a workspace-wide build would unify in the `tracing` feature that the tests
# enable. Where permitted (root), the runs get `nice -n -10`: the machine this was written on is
# shared with other builds, and the priority keeps them from preempting the measured threads.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
runs=${RUNS:-3}
target=${CARGO_TARGET_DIR:-$repo/target}
keep="$target/criterion-runs"
export CARGO_TERM_COLOR=never

priority=()
if nice -n -10 true 2>/dev/null; then
  priority=(nice -n -10)
fi

cargo bench -p callback-async --no-run
rm -rf "$keep"
mkdir -p "$keep"
{
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) CPUs, $(lscpu | sed -n 's/^Hypervisor vendor: *//p' | sed 's/.\+/virtual machine, &/'))"
  echo "- memory: $(free -g | awk '/^Mem:/ { print $2 }') GiB"
  echo "- $(rustc --version), $(cargo --version | cut -d' ' -f1-2)"
  # COMMIT names the code when this runs outside a git checkout (an exported copy).
  echo "- commit: ${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- runtime/src macros/src 2>/dev/null || echo ' (runtime or macros modified)')}"
} >"$keep/machine.md"

for ((i = 1; i <= runs; i++)); do
  echo "== run $i of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  echo "- run $i: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start" >>"$keep/machine.md"
  rm -rf "$target/criterion"
  "${priority[@]}" cargo bench -p callback-async -- "$@"
  cp -a "$target/criterion" "$keep/$i"
done
echo "- load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >>"$keep/machine.md"

python3 scripts/render-benchmarks.py --criterion "$keep/$runs" --runs "$keep"/[0-9]* \
  --machine "$keep/machine.md" --update BENCHMARKS.md
