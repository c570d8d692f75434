#!/usr/bin/env bash
# Every test: formatting, then one build that is both the clippy lint pass and the test build
# (clippy-driver wraps rustc for this crate only, so the dependencies compile once), the unit and
# integration tests (including the rule examples and the accuracy corpus), then the editor tests
# against the binary that build produced.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
# `cargo clippy -- -D warnings` passes its arguments to clippy-driver this way.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo test --all-targets
cargo test --doc
REFRAME_BIN="$PWD/target/debug/reframe" bash tests/editors/run-all.sh
