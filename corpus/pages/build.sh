#!/usr/bin/env bash
# Each service's pages imported together (`docs import PAGE...`, through the
# corpus runner's --out), generated, and built through clippy -D warnings.
#
#   corpus/pages/build.sh [--holdout] SCRATCH
#
# SCRATCH (made, and left for you to delete) gets docs/<service>.yaml, a
# workspace of the generated crates (crates/<service>-types, -client,
# -server; the runtime crates are this checkout's) and its own target dir
# (or PAGES_BUILD_TARGET, to share one between runs).
# Prints one row per service: generate, then clippy of its three crates
# (--all-targets --all-features -D warnings). Exit 1 when any fails.
set -u
holdout=()
if [ "${1:-}" = "--holdout" ]; then
    holdout=(--holdout)
    shift
fi
scratch=${1:?usage: build.sh [--holdout] SCRATCH}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$scratch/docs" "$scratch/crates"
scratch=$(cd "$scratch" && pwd)
target=${PAGES_BUILD_TARGET:-$scratch/target}

cargo run -q --manifest-path "$root/Cargo.toml" -p vendor-pages --example corpus -- \
    "${holdout[@]}" --out "$scratch/docs" >"$scratch/runner.md" || exit 1

printf '[workspace]\nmembers = ["crates/*"]\nresolver = "3"\n' >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

echo "| service | generate | clippy -D warnings |"
echo "|---|---|---|"
failed=0
for doc in "$scratch"/docs/*.yaml; do
    service=$(basename "$doc" .yaml)
    if ! cargo run -q --manifest-path "$root/Cargo.toml" -p vendor-bindings -- generate "$doc" \
        --name "$service" --out "$scratch" --runtime-path "$root/crates" \
        >"$scratch/$service.generate.log" 2>&1; then
        echo "| $service | failed: $(grep -m1 -E 'error|: ' "$scratch/$service.generate.log") | - |"
        failed=1
        continue
    fi
    if CARGO_TARGET_DIR="$target" cargo clippy -q --manifest-path "$scratch/Cargo.toml" \
        -p "$service-types" -p "$service-client" -p "$service-server" \
        --all-targets --all-features -- -D warnings >"$scratch/$service.clippy.log" 2>&1; then
        echo "| $service | ok | clean |"
    else
        echo "| $service | ok | failed: $(grep -m1 -E '^(error|warning)' "$scratch/$service.clippy.log") |"
        failed=1
    fi
done
exit $failed
