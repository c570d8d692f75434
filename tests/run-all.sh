#!/usr/bin/env bash
# Every test, on a fresh machine or a prepared one: first installs what the tests need
# (tests/editors/install-deps.sh: apt, pip, npm; tests/mcp/install-deps.sh: a venv with the MCP
# Python SDK; idempotent, seconds when all is there), then
# formatting, then one build that is both the clippy lint pass and the test build
# (clippy-driver wraps rustc for this crate only, so the dependencies compile once), the unit and
# integration tests (including the rule examples and the accuracy corpus), the accuracy figures
# on the written and the real-text corpus, the MCP client tests (tests/mcp, the official Python
# SDK against `reframe mcp`), 60 s of fuzzing per
# fuzz target, then the editor tests against the binary that build produced. The fuzz targets
# build at the lowest CPU priority while the tests build and run, using what they leave idle; the
# editor tests run alone, because a loaded machine makes VS Code miss its own start-up limits.
# Ends with how long each phase took.
set -euo pipefail
cd "$(dirname "$0")/.."
# Cargo's output folder: CARGO_TARGET_DIR when set, as cargo itself does.
target_dir=$(mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)
phases=()
started=$SECONDS
phase() {
  local name=$1 t0=$SECONDS
  shift
  "$@"
  phases+=("$name $((SECONDS - t0)) s")
}
fuzz_build=""
report_phases() {
  local rc=$?
  if [ -n "$fuzz_build" ]; then kill -- "-$fuzz_build" 2>/dev/null || true; fi
  echo "phases: ${phases[*]/%/;} total $((SECONDS - started)) s (exit $rc)"
}
trap report_phases EXIT
# The background fuzz build's result, with its log when it failed.
wait_for_fuzz_build() {
  local rc=0
  wait "$fuzz_build" || rc=$?
  fuzz_build=""
  if [ $rc -ne 0 ]; then tail -40 "$target_dir/fuzz-build.log"; fi
  return $rc
}
install() {
  if command -v rustup >/dev/null; then rustup component add rustfmt clippy >/dev/null 2>&1 || true; fi
  bash tests/editors/install-deps.sh
  bash tests/mcp/install-deps.sh
}
phase install install
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
# `cargo clippy -- -D warnings` passes its arguments to clippy-driver this way.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
phase fmt cargo fmt --check
# Not under the clippy wrapper: the fuzz crate is its own workspace with its own flags.
# Its own session, so that an early exit can stop the whole build. A new session is also a new
# scheduler autogroup, which the kernel shares the CPU with equally whatever its nice level: the
# autogroup itself must be niced, or this build takes half the machine from the tests.
setsid bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null || true
  exec env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS nice -n 19 bash fuzz/run.sh build' \
  >"$target_dir/fuzz-build.log" 2>&1 &
fuzz_build=$!
phase build cargo test --all-targets --no-run
phase tests cargo test --all-targets
phase doc-tests cargo test --doc
# The library's accuracy: the written corpus, then the real-text corpus's halves.
phase eval "$target_dir/debug/reframe" rules eval tests/corpus
phase mcp env REFRAME_BIN="$target_dir/debug/reframe" bash tests/mcp/run.sh
phase fuzz-build wait_for_fuzz_build
phase fuzz bash fuzz/run.sh run 60
phase packaging bash tests/packaging/run.sh
# The wheel is its own crate (python/), built without the clippy wrapper this script exports.
phase python env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS bash tests/python/run.sh
phase editors env REFRAME_BIN="$target_dir/debug/reframe" bash tests/editors/run-all.sh
