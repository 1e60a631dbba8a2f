#!/usr/bin/env bash
# The crates as crates.io users get them: package the workspace, then build and run what a user
# would, from the packaged `.crate` files only (never from this checkout's sources).
#
#   scripts/check-package.sh [--allow-dirty]
#
#   1. `cargo package --workspace --no-verify`, and the size of each `.crate`;
#   2. a dependent program whose manifest says `partnerstack = "<version>"` (crates.io syntax),
#      resolved from the unpacked `partnerstack` crate by `[patch.crates-io]`: with default
#      features it has every API and the default TLS, and `partnerstack-codegen` must be absent
#      from its `cargo tree`. It also depends on reqwest itself, default features off, and
#      builds a `reqwest::Client::new()` of its own before the client's, which must not panic
#      (the TLS trap of issue 21: a feature of ours must not leave reqwest without a crypto
#      provider for the rest of the program);
#   3. `cargo install` of `partnerstack-fake`, `partnerstack-cli` and `partnerstack-codegen`
#      from their unpacked crates (the same patch), which builds each packaged crate as
#      verification would;
#   4. the dependent and `partnerstack` run against the installed fake, and the installed
#      generator, given this repository's spec, writes exactly the committed `generated/`.
#
# One target directory (`target/package-check`) serves every build, so the shared
# dependencies are compiled once; builds use the dev profile (`cargo install --debug`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
allow_dirty=()
[ "${1:-}" = "--allow-dirty" ] && allow_dirty=(--allow-dirty)

step() { printf '\n--> %s\n' "$*"; }
fail() { echo "check-package: $*" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
# The unpacked crates and the dependent live outside the checkout (inside it, Cargo would take
# them for members of this workspace); the builds share a target directory beside ours.
work="${TMPDIR:-/tmp}/partnerstack-package-check"
export CARGO_TARGET_DIR="$target/package-check"
rm -rf "$work"
mkdir -p "$work/crates" "$work/app/src" "$work/bin"
trap 'rm -rf "$work"' EXIT

step "cargo package --workspace"
# Packaging writes into the workspace's own target directory, not the one exported above.
CARGO_TARGET_DIR="$target" cargo package --workspace --no-verify "${allow_dirty[@]}" -q
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || fail "no workspace version in Cargo.toml"
for crate in partnerstack partnerstack-codegen partnerstack-fake partnerstack-cli; do
    file="$target/package/$crate-$version.crate"
    [ -f "$file" ] || fail "$file was not packaged"
    printf '%-24s %8s bytes\n' "$crate" "$(wc -c <"$file")"
    # -m: files get the time of extraction, not the archive's, so Cargo never takes a build of
    # an earlier package with the same version and path for up to date.
    tar -xmzf "$file" -C "$work/crates"
done

# Every user-facing crate resolves `partnerstack` from the unpacked crate.
patch=(--config "patch.crates-io.partnerstack.path='$work/crates/partnerstack-$version'")

step "a dependent that says partnerstack = \"$version\""
cat >"$work/app/Cargo.toml" <<EOF
[package]
name = "dependent"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
partnerstack = "$version"
# The program's own reqwest, as a program that needs nothing of reqwest's defaults has it.
reqwest = { version = "0.13", default-features = false }
tokio = { version = "1", features = ["macros", "rt"] }

[workspace]
EOF
cat >"$work/app/src/main.rs" <<'EOF'
//! Lists rewards with the Partner API and partnerships with the Vendor API (both compiled in by
//! the default features) from the server named by PARTNERSTACK_BASE_URL, beside a reqwest client
//! of its own, built first and the usual way.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let own = reqwest::Client::new();
    let status = own.get(std::env::var("PARTNERSTACK_BASE_URL")?).send().await?.status();
    println!("own reqwest client: {}", status.as_u16());
    let partner = partnerstack::partner::Client::from_env()?;
    let page = partner.rewards().list().limit(5).send().await?;
    let vendor = partnerstack::vendor::Client::builder()
        .public_key("pk_fake_public")
        .secret_key("sk_fake_secret")
        .base_url(std::env::var("PARTNERSTACK_BASE_URL")?)
        .build()?;
    let partnerships = vendor.partnerships().list().limit(3).send().await?;
    println!("rewards {} partnerships {}", page.items.len(), partnerships.items.len());
    Ok(())
}
EOF
cp "$root/Cargo.lock" "$work/app/Cargo.lock"
(cd "$work/app" && cargo build -q "${patch[@]}")
tree=$(cd "$work/app" && cargo tree "${patch[@]}" -e normal,build --prefix none)
if grep -q '^partnerstack-codegen ' <<<"$tree"; then
    fail "the dependent compiles the generator: $(grep '^partnerstack-codegen ' <<<"$tree" | head -n 1)"
fi
features=$(cd "$work/app" && cargo tree "${patch[@]}" -e features -i partnerstack --prefix none)
for feature in partner vendor conversion rustls-aws-lc; do
    grep -q "partnerstack feature \"$feature\"" <<<"$features" ||
        fail "the default features lack \`$feature\`"
done
echo "no partnerstack-codegen in its tree; default features: partner, vendor, conversion, rustls-aws-lc"

step "cargo install partnerstack-fake, partnerstack-cli, partnerstack-codegen (packaged)"
for crate in partnerstack-fake partnerstack-cli partnerstack-codegen; do
    cargo install -q --debug --locked --root "$work/bin" "${patch[@]}" \
        --path "$work/crates/$crate-$version"
done
ls "$work/bin/bin"

step "run them against the packaged fake"
fake_out="$work/fake.out"
"$work/bin/bin/partnerstack-fake" --port 0 --items 20 >"$fake_out" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$fake_out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || fail "the fake did not start: $(cat "$fake_out")"
export PARTNERSTACK_BASE_URL="$url" PARTNERSTACK_API_KEY=fake_partner_key
out=$("$CARGO_TARGET_DIR/debug/dependent" 2>&1) || fail "the dependent failed: $out"
echo "dependent: $out"
[ "$(tail -n 1 <<<"$out")" = "rewards 5 partnerships 3" ] || fail "the dependent printed: $out"
grep -q '^own reqwest client: [0-9]*$' <<<"$out" || fail "the dependent printed: $out"
cli_out=$("$work/bin/bin/partnerstack" partner rewards list --limit 2 --format ndjson)
lines=$(grep -c '"key":"rwrd_' <<<"$cli_out" || true)
echo "partnerstack partner rewards list --limit 2: $lines rewards"
[ "$lines" = 2 ] || fail "partnerstack printed: $cli_out"

step "the packaged generator writes the committed generated/"
"$work/bin/bin/partnerstack-codegen" generate --spec "$root/spec" --out "$work/generated" >/dev/null
diff -r "$work/generated" "$root/generated" >/dev/null ||
    fail "the packaged generator's output differs from generated/: diff -r $work/generated generated"
echo "identical"
echo
echo "packaging: ok"
