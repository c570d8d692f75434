#!/usr/bin/env bash
# Every test: formatting and lints, unit and integration tests (including the rule examples and
# the accuracy corpus), then the editor tests against the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --release --all-targets -- -D warnings
cargo test --release
cargo build --release
bash tests/editors/run-all.sh
