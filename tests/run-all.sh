#!/usr/bin/env bash
# Every test: formatting, then one build that is both the clippy lint pass and the test build
# (clippy-driver wraps rustc for this crate only, so the dependencies compile once), the unit and
# integration tests (including the rule examples and the accuracy corpus), then the editor tests
# against the binary that build produced. Ends with how long each phase took.
set -euo pipefail
cd "$(dirname "$0")/.."
phases=()
started=$SECONDS
phase() {
  local name=$1 t0=$SECONDS
  shift
  "$@"
  phases+=("$name $((SECONDS - t0)) s")
}
report_phases() {
  local rc=$?
  echo "phases: ${phases[*]/%/;} total $((SECONDS - started)) s (exit $rc)"
}
trap report_phases EXIT
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
# `cargo clippy -- -D warnings` passes its arguments to clippy-driver this way.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
phase fmt cargo fmt --check
phase build cargo test --all-targets --no-run
phase tests cargo test --all-targets
phase doc-tests cargo test --doc
phase editors env REFRAME_BIN="$PWD/target/debug/reframe" bash tests/editors/run-all.sh
