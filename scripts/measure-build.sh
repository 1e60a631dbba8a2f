#!/usr/bin/env bash
# Build-time figures for the README, all measured in one run so they can be compared:
#   - cold `cargo build` of a small dependent program, one per TLS choice of the client, against
#     the same program written with bare reqwest (its default features: rustls with aws-lc-rs)
#     + serde + tokio: user+system CPU seconds and wall seconds, medians; the runs of the
#     variants are interleaved, so load on the machine falls on all of them alike;
#   - the size of each program's release binary, stripped;
#   - recompiling only the client crate (its dependencies built), all APIs and Partner only;
#   - a no-op rebuild of the workspace, which must not run the build script.
#
#   scripts/measure-build.sh [runs]     # runs of each cold build (default 3)
#
# Cold builds use a fresh target directory each, after `cargo fetch`, so downloads are not
# counted; every dependent starts from this workspace's Cargo.lock, so the crates they share
# are the same versions (those it lacks, such as the bare dependent's h2 and encoding_rs,
# resolve to their newest).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
root=$(pwd)
cargo fetch -q

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# dependent <name> <dependency lines> <main.rs>: a project in $work/<name>.
dependent() {
  mkdir -p "$work/$1/src"
  cat >"$work/$1/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tokio = { version = "1", features = ["macros", "rt"] }
$2

[workspace]
EOF
  printf '%s\n' "$3" >"$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
  (cd "$work/$1" && cargo fetch -q)
}

client_main='#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("PARTNERSTACK_API_KEY")?;
    let page = partnerstack::partner::Client::new(key.as_str()).rewards().list().send().await?;
    println!("{} rewards", page.items.len());
    Ok(())
}'
bare_main='#[derive(Debug, serde::Deserialize)]
struct Reward {
    key: String,
    amount: Option<i64>,
}
#[derive(serde::Deserialize)]
struct Data {
    items: Vec<Reward>,
}
#[derive(serde::Deserialize)]
struct Envelope {
    data: Data,
}
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("PARTNERSTACK_API_KEY")?;
    let body = reqwest::Client::new()
        .get("https://api.partnerstack.com/api/v2/rewards")
        .bearer_auth(key)
        .send()
        .await?
        .bytes()
        .await?;
    let page: Envelope = serde_json::from_slice(&body)?;
    println!("{} rewards", page.data.items.len());
    Ok(())
}'
client_dep() { # the client with the Partner API and one TLS feature
  echo "partnerstack = { path = \"$root\", default-features = false, features = [\"partner\", \"$1\"] }"
}

dependent bare 'reqwest = "0.13"
serde = { version = "1", features = ["derive"] }
serde_json = "1"' "$bare_main"
dependent ring "$(client_dep rustls-ring)" "$client_main"
dependent aws-lc "$(client_dep rustls-aws-lc)" "$client_main"
variants="bare ring aws-lc"
if pkg-config --exists openssl 2>/dev/null; then
  dependent native "$(client_dep native-tls)" "$client_main"
  variants="$variants native"
else
  echo "(native-tls skipped: no OpenSSL headers found by pkg-config)"
fi

cold() { # cold <variant> <run>: "cpu wall" seconds of a cold debug build
  local target="$work/target-$1-$2"
  if ! /usr/bin/time -o "$work/time" -f "%U %S %e" cargo build -q --manifest-path "$work/$1/Cargo.toml" \
    --target-dir "$target" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "FAIL: the $1 dependent did not build" >&2
    exit 1
  fi
  rm -rf "$target"
  awk '{printf "%.1f %.1f\n", $1 + $2, $3}' "$work/time"
}

for run in $(seq "$runs"); do
  for v in $variants; do
    cold "$v" "$run" >>"$work/cold-$v"
  done
done

size() { # size of the stripped release binary
  local target="$work/release-$1"
  cargo build -q --release --manifest-path "$work/$1/Cargo.toml" --target-dir "$target" >/dev/null 2>&1 ||
    { echo "FAIL: the $1 dependent did not build in release" >&2; exit 1; }
  strip -o "$work/$1.stripped" "$target/release/$1"
  stat -c %s "$work/$1.stripped" | awk '{printf "%.1f", $1 / 1048576}'
}

bare_cpu=$(cut -d' ' -f1 "$work/cold-bare" | median)
printf "%-34s %9s %9s %12s %14s\n" "dependent (cold cargo build)" "CPU s" "wall s" "CPU vs bare" "release MiB"
for v in $variants; do
  cpu=$(cut -d' ' -f1 "$work/cold-$v" | median)
  wall=$(cut -d' ' -f2 "$work/cold-$v" | median)
  case $v in
    bare) label="bare reqwest + serde + tokio" ;;
    *) label="partnerstack partner, $v" ;;
  esac
  printf "%-34s %9s %9s %11.2fx %14s\n" "$label" "$cpu" "$wall" "$(echo "$cpu / $bare_cpu" | bc -l)" "$(size "$v")"
done
echo "(medians of $runs cold builds each; CPU is user + system)"

# The client crate alone, its dependencies already built.
crate_only() { # crate_only <features>: wall seconds to recompile the crate after touching it
  local start end
  touch "$root/generated/lib.rs"
  start=$(date +%s.%N)
  cargo build -q -p partnerstack --no-default-features --features "$1" --target-dir "$work/t-crate" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for features in "partner,vendor,conversion,rustls-ring" "partner,rustls-ring"; do
  crate_only "$features" >/dev/null
  t=$(for _ in $(seq "$runs"); do crate_only "$features"; done | median)
  printf "recompiling the crate alone (%s): %.2f s (median of %s)\n" "$features" "$t" "$runs"
done

# No-op: after a build, rebuilding must not run the build script.
cargo build -q -p partnerstack --target-dir "$work/t-noop" >/dev/null 2>&1
if cargo build -p partnerstack -v --target-dir "$work/t-noop" 2>&1 | grep -q "Running .*build-script-build"; then
  echo "FAIL: a no-op build ran the build script" >&2
  exit 1
fi
noop=$(for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  cargo build -q -p partnerstack --target-dir "$work/t-noop" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
done | median)
printf "no-op cargo build: %.2f s (median of %s; build script not rerun)\n" "$noop" "$runs"
