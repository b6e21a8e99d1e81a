#!/usr/bin/env bash
# Instructions per round trip of the (a) and stack-slot benchmarks, counted by valgrind's
# callgrind: unlike times, the counts do not move with what else the machine runs, so they show
# where the generated code spends its work next to the hand-written peers (see BENCHMARKS.md).
#
# Usage: scripts/instruction-counts.sh     (N=100000 calls per variant; needs valgrind)
#
# Builds a scratch binary in a temporary directory (path dependency on this checkout's runtime)
# whose variants are those of runtime/benches/promise.rs, awaited in one
# `futures::executor::block_on`, and reports (instructions with N calls - with 0 calls) / N.
# KEEP=1 keeps the directory, with callgrind's output for callgrind_annotate.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
n=${N:-100000}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/callback-async-instructions.XXXXXX")
if [[ -z "${KEEP:-}" ]]; then trap 'rm -rf "$work"' EXIT; else echo "keeping $work" >&2; fi

mkdir -p "$work/src"
cat >"$work/Cargo.toml" <<EOF
[package]
name = "instruction-counts"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
callback-async = { path = "$repo/runtime" }
futures = { version = "0.3", default-features = false, features = ["executor"] }
oneshot = { version = "0.2.1", default-features = false, features = ["async"] }
tokio = { version = "1", default-features = false, features = ["sync"] }

[profile.release]
debug = 1

[workspace]
EOF
cp "$repo/Cargo.lock" "$work/Cargo.lock"
cat >"$work/src/main.rs" <<'EOF'
use std::hint::black_box;

use callback_async::{callback_async, promisify};

#[callback_async]
#[inline(never)]
fn inline_call(n: u64, done: impl FnOnce(u64) + Send + 'static) {
    done(n + 1);
}

#[callback_async]
#[inline(never)]
fn borrowing_call(n: u64, done: impl FnOnce(u64)) {
    done(n + 1);
}

#[inline(never)]
async fn run(variant: &str, n: u64) -> u64 {
    let mut sum = 0;
    match variant {
        "inline/direct_callback" => {
            for _ in 0..n {
                inline_call(black_box(1), |v| {
                    black_box(v);
                })
            }
        }
        "inline/callback_async" => {
            for _ in 0..n {
                sum += inline_call_async(black_box(1)).await
            }
        }
        "inline/promisify" => {
            for _ in 0..n {
                sum += promisify!(inline_call(black_box(1), _)).await
            }
        }
        "inline/channel_by_hand" => {
            for _ in 0..n {
                let (resolver, promise) = callback_async::channel();
                inline_call(black_box(1), move |v| resolver.resolve(v));
                sum += promise.await
            }
        }
        "inline/futures_oneshot" => {
            for _ in 0..n {
                let (sender, receiver) = futures::channel::oneshot::channel();
                inline_call(black_box(1), move |v| {
                    let _ = sender.send(v);
                });
                sum += receiver.await.unwrap()
            }
        }
        "inline/tokio_oneshot" => {
            for _ in 0..n {
                let (sender, receiver) = tokio::sync::oneshot::channel();
                inline_call(black_box(1), move |v| {
                    let _ = sender.send(v);
                });
                sum += receiver.await.unwrap()
            }
        }
        "inline/oneshot_crate" => {
            for _ in 0..n {
                let (sender, receiver) = oneshot::channel();
                inline_call(black_box(1), move |v| {
                    let _ = sender.send(v);
                });
                sum += receiver.await.unwrap()
            }
        }
        "stack-slot/direct_callback" => {
            for _ in 0..n {
                let mut out = 0;
                borrowing_call(black_box(1), |v| out = v);
                sum += out
            }
        }
        "stack-slot/callback_async" => {
            for _ in 0..n {
                sum += borrowing_call_async(black_box(1)).await
            }
        }
        "stack-slot/promisify" => {
            for _ in 0..n {
                sum += promisify!(borrowing_call(black_box(1), _)).await
            }
        }
        other => panic!("unknown variant {other}"),
    }
    sum
}

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = args.next().expect("a variant");
    let n = args.next().expect("a count").parse().expect("a number");
    black_box(futures::executor::block_on(run(&variant, n)));
}
EOF
(cd "$work" && cargo build --release -q)

count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$3.$2" \
    "$work/target/release/instruction-counts" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo "| variant | instructions per call |"
echo "|---|---:|"
i=0
for variant in inline/direct_callback inline/callback_async inline/promisify \
  inline/channel_by_hand inline/futures_oneshot inline/tokio_oneshot inline/oneshot_crate \
  stack-slot/direct_callback stack-slot/callback_async stack-slot/promisify; do
  i=$((i + 1))
  base=$(count "$variant" 0 "$i")
  total=$(count "$variant" "$n" "$i")
  echo "| \`$variant\` | $(((total - base) / n)) |"
done
