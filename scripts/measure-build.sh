#!/usr/bin/env bash
# Build-time figures for the README, all measured in one run so they can be compared:
#   - cold build of the crate with the generator (build.rs), and without it (as a dependent
#     crate builds it with default-features = false);
#   - the same cold build of a Partner-API-only variant of the crate (the baseline: the spec
#     without vendor.yaml and conversion.yaml, generated into a copy of the tree);
#   - recompiling only the crate (its dependencies already built), for both;
#   - a no-op rebuild, which must not run the build script.
#
#   scripts/measure-build.sh [runs]     # runs of the repeated measurements (default 5)
#
# Cold builds use a fresh target directory each, after `cargo fetch`, so downloads are not
# counted. Times are wall-clock seconds on this machine; compare figures from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
root=$(pwd)
cargo fetch -q

seconds() { # the wall time of "$@" in seconds, its output discarded
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
repeat() { for _ in $(seq "$runs"); do seconds "$@"; done | median; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The baseline: a copy of the tree whose spec has the Partner API only.
mkdir "$work/partner-only"
tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$work/partner-only"
rm "$work/partner-only/spec/vendor.yaml" "$work/partner-only/spec/conversion.yaml"
cargo run -q -p partnerstack-codegen -- --spec "$work/partner-only/spec" --out "$work/partner-only/generated" >/dev/null

build() { # build <tree> <target dir> [cargo args…]
  local tree=$1 target=$2
  shift 2
  (cd "$tree" && CARGO_TARGET_DIR="$target" cargo build -p partnerstack "$@")
}
crate_only() { # touch the crate root and rebuild: recompiles the crate, not its dependencies
  touch "$1/generated/lib.rs"
  build "$@"
}

printf "cold cargo build, all APIs, with the generator:   %6.1f s\n" "$(seconds build "$root" "$work/t-all-gen")"
printf "cold cargo build, all APIs, --no-default-features: %5.1f s\n" "$(seconds build "$root" "$work/t-all" --no-default-features)"
printf "cold cargo build, Partner API only (baseline):    %6.1f s\n" "$(seconds build "$work/partner-only" "$work/t-partner" --no-default-features)"
printf "crate-only rebuild, all APIs (median of %s):        %5.2f s\n" "$runs" "$(repeat crate_only "$root" "$work/t-all" --no-default-features)"
printf "crate-only rebuild, Partner API only (median of %s): %4.2f s\n" "$runs" "$(repeat crate_only "$work/partner-only" "$work/t-partner" --no-default-features)"

# No-op: after a build, rebuilding must not run the build script.
build "$root" "$work/t-all-gen" >/dev/null 2>&1
if build "$root" "$work/t-all-gen" -v 2>&1 | grep -q "Running .*build-script-build"; then
  echo "FAIL: a no-op build ran the build script" >&2
  exit 1
fi
printf "no-op cargo build (median of %s):                   %5.2f s (build script not rerun)\n" "$runs" "$(repeat build "$root" "$work/t-all-gen")"
