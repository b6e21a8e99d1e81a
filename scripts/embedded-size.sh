#!/usr/bin/env bash
# Flash (`.text` + `.rodata`) of examples/embedded for thumbv7em-none-eabihf, release profile
# (opt-level "s", fat LTO, one codegen unit, panic = "abort"): the program through the macros,
# the same by hand, and the driver, executor and heap alone. Needs `llvm-size` (LLVM's binutils,
# or `rustup component add llvm-tools`). See BENCHMARKS.md, "Flash size without std".
set -euo pipefail
cd "$(dirname "$0")/../examples/embedded"
binary=../../target/thumbv7em-none-eabihf/release/callback-async-embedded
size=$(command -v llvm-size || find "$(rustc --print sysroot)" -name llvm-size | head -n1)
for variant in macros hand-written bare; do
  features=()
  [ "$variant" = macros ] || features=(--features "$variant")
  cargo build --quiet --release "${features[@]}"
  "$size" -A "$binary" | awk -v v="$variant" '$1 == ".text" { t = $2 } $1 == ".rodata" { r = $2 }
    END { printf "%-13s .text %6d  .rodata %5d\n", v, t, r }'
done
