#!/usr/bin/env bash
# Builds the reframe-lint wheel (maturin, release profile) and tests it as users get it: the
# wheel installed into the test venv, then pytest drives the `reframe` command it installs, the
# `reframe_lint` API and the Spark example (tests/python/test_spark.py). Ends with how long each
# phase took. REFRAME_SPARK_NOTES sets the Spark test's note count (default 100000).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${REFRAME_PYTHON_VENV:-target/python-venv}
export REFRAME_PYTHON_VENV=$VENV
phases=()
phase() {
  local name=$1 t0=$SECONDS
  shift
  "$@"
  phases+=("$name $((SECONDS - t0)) s")
}
trap 'echo "python phases: ${phases[*]/%/;}"' EXIT
phase deps bash tests/python/install-deps.sh
# The extension crate's own formatting (it is outside the main crate's `cargo fmt`).
phase fmt cargo fmt --check --manifest-path python/Cargo.toml
rm -rf target/wheels
phase wheel "$VENV/bin/maturin" build --release --manifest-path python/Cargo.toml -o target/wheels
phase install "$VENV/bin/pip" install -q --force-reinstall --no-deps target/wheels/reframe_lint-*.whl
ls -l target/wheels
phase pytest "$VENV/bin/python" -m pytest tests/python -q -p no:cacheprovider
