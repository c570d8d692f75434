#!/usr/bin/env bash
# Installs what the Python tests (tests/python/run.sh) need, idempotently:
#   apt: openjdk-17-jre-headless (Java for local PySpark), unless a `java` is already on PATH
#   pip: tests/python/requirements.txt (maturin, pytest, pandas, pyarrow, pyspark) in a venv at
#        $REFRAME_PYTHON_VENV (default target/python-venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${REFRAME_PYTHON_VENV:-target/python-venv}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v java >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q openjdk-17-jre-headless
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# pip skips what is already installed at the pinned version.
"$VENV/bin/pip" install -q --disable-pip-version-check -r tests/python/requirements.txt
