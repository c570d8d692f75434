#!/usr/bin/env bash
# Builds the fuzz targets as `cargo fuzz build` does, without needing cargo-fuzz installed, then
# runs each for a bounded time, two at a time (CI machines have 2 cores), on a scratch corpus
# under fuzz/target seeded from fuzz/seeds/<target>. Prints runs, exec/s, coverage and wall
# time per target, and exits non-zero if any target found a crash, timeout or OOM.
#
# Usage: fuzz/run.sh [build|run] [SECONDS_PER_TARGET]   (default: both steps, 60 s; works from
# any directory). `build` only builds; `run` only runs what an earlier `build` made (how
# tests/run-all.sh builds at low priority while the other tests run).
# FUZZ_TOOLCHAIN=stable picks the toolchain; by default nightly if rustup has it, else stable.
set -euo pipefail

steps=all
if [[ "${1:-}" == build || "${1:-}" == run ]]; then
    steps="$1"
    shift
fi
seconds="${1:-60}"
fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
targets=(rule_file markdown_lint incremental_sync fix_apply)
parallel=2

# Nothing here needs nightly: the coverage flags below are stable rustc flags and libfuzzer-sys
# builds on stable. Nightly is preferred only because it is what `cargo fuzz` is usually run with.
toolchain="${FUZZ_TOOLCHAIN:-}"
if [[ -z "$toolchain" ]] && command -v rustup >/dev/null &&
    rustup toolchain list | grep -q '^nightly'; then
    toolchain=nightly
fi
cargo=(cargo)
rustc=(rustc)
if [[ -n "$toolchain" ]]; then
    cargo=(cargo "+$toolchain")
    rustc=(rustc "+$toolchain")
fi
triple="$("${rustc[@]}" -vV | sed -n 's/^host: //p')"

# The flags `cargo fuzz build` passes in release mode. No sanitizer: the crate is safe Rust, so
# AddressSanitizer would only slow the runs; panics and debug assertions are what we look for.
rustflags=(
    -Cpasses=sancov-module
    -Cllvm-args=-sanitizer-coverage-level=4
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
    -Cllvm-args=-sanitizer-coverage-pc-table
    -Cllvm-args=-sanitizer-coverage-trace-compares
    -Cllvm-args=-simplifycfg-branch-fold-threshold=0
    --cfg fuzzing
    -Cdebug-assertions
    -Coverflow-checks
)
if [[ "$triple" == *-linux-* ]]; then
    rustflags+=(-Cllvm-args=-sanitizer-coverage-stack-depth)
fi

build() {
    echo "building fuzz targets (${toolchain:-default toolchain}, $triple)"
    local start=$SECONDS
    # --target keeps RUSTFLAGS away from build scripts and proc macros, as cargo-fuzz does.
    RUSTFLAGS="${rustflags[*]}" "${cargo[@]}" build --release --bins \
        --config 'profile.release.debug="line-tables-only"' \
        --manifest-path "$fuzz_dir/Cargo.toml" \
        --target-dir "$fuzz_dir/target" \
        --target "$triple"
    echo "build took $((SECONDS - start)) s"
}

# Runs one target; its log, exit status and wall time go to $work/<target>.*.
run_target() {
    local target="$1"
    local corpus="$work/corpus/$target"
    local artifacts="$work/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    if [[ -d "$fuzz_dir/seeds/$target" ]]; then
        cp -f "$fuzz_dir/seeds/$target"/* "$corpus"/ 2>/dev/null || true
    fi
    local start status=0
    start=$(date +%s%N)
    "$fuzz_dir/target/$triple/release/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" >"$work/$target.log" 2>&1 || status=$?
    echo "$status" >"$work/$target.status"
    awk -v ns="$(($(date +%s%N) - start))" 'BEGIN { printf "%.1f", ns / 1e9 }' \
        >"$work/$target.wall"
}

# One summary line: runs, exec/s, coverage (edges) and features from libFuzzer's final stats.
summarize() {
    local target="$1" log="$work/$1.log"
    local runs execs cov ft wall status
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    wall=$(cat "$work/$target.wall")
    status=$(cat "$work/$target.status")
    printf '%-18s %10s %8s %7s %8s %8s  %s\n' "$target" "${runs:-?}" "${execs:-?}" \
        "${cov:-?}" "${ft:-?}" "$wall" "$([[ $status == 0 ]] && echo ok || echo "FAILED ($status)")"
}

report_failure() {
    local target="$1" artifact
    artifact=$(sed -n 's/.*Test unit written to //p' "$work/$target.log" | tail -1)
    echo
    echo "== $target found a problem (exit $(cat "$work/$target.status")); log: $work/$target.log"
    grep -m1 -A8 -E "panicked at|ERROR: libFuzzer" "$work/$target.log" || true
    if [[ -n "$artifact" ]]; then
        echo "input: $artifact"
        echo "keep it as a regression test, then fix the bug:"
        echo "  mkdir -p $fuzz_dir/regressions/$target"
        echo "  cp $artifact $fuzz_dir/regressions/$target/"
        echo "  cargo test --test integration fuzz_regressions"
    fi
}

if [[ "$steps" != run ]]; then
    build
fi
if [[ "$steps" == build ]]; then
    exit 0
fi
work="$fuzz_dir/target/fuzz-run"
mkdir -p "$work"
for ((i = 0; i < ${#targets[@]}; i += parallel)); do
    pids=()
    for target in "${targets[@]:i:parallel}"; do
        echo "fuzzing $target for $seconds s"
        run_target "$target" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid"
    done
done

echo
printf '%-18s %10s %8s %7s %8s %8s  %s\n' target runs exec/s cov ft wall/s result
failed=0
for target in "${targets[@]}"; do
    summarize "$target"
    [[ "$(cat "$work/$target.status")" == 0 ]] || failed=1
done
for target in "${targets[@]}"; do
    [[ "$(cat "$work/$target.status")" == 0 ]] || report_failure "$target"
done
exit "$failed"
