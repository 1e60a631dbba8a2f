#!/usr/bin/env bash
# Build-time figures for the README: cold build of the crate (with the generator in build.rs,
# and without it as a dependent crate builds it), and a no-op rebuild.
#
#   scripts/measure-build.sh [runs]     # runs of the no-op build (default 5)
#
# Cold builds use a fresh target directory each, after `cargo fetch`, so downloads are not
# counted. Times are wall-clock seconds on this machine; compare figures from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo fetch -q

seconds() { # prints the wall time of "$@" in seconds, discarding its output
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cold=$(mktemp -d)
printf "cold cargo build (with the generator):  %.1f s\n" "$(seconds env CARGO_TARGET_DIR="$cold/a" cargo build -p partnerstack)"
printf "cold cargo build --no-default-features: %.1f s\n" "$(seconds env CARGO_TARGET_DIR="$cold/b" cargo build -p partnerstack --no-default-features)"

# No-op: build once, then time rebuilds; the build script must not run again.
CARGO_TARGET_DIR="$cold/a" cargo build -q -p partnerstack
if CARGO_TARGET_DIR="$cold/a" cargo build -v -p partnerstack 2>&1 | grep -q "Running .*build-script-build"; then
  echo "FAIL: a no-op build ran the build script" >&2
  exit 1
fi
noop=$(for _ in $(seq "$runs"); do seconds env CARGO_TARGET_DIR="$cold/a" cargo build -p partnerstack; done | median)
printf "no-op cargo build (median of %s):      %.2f s (build script not rerun)\n" "$runs" "$noop"
rm -rf "$cold"
