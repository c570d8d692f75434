#!/usr/bin/env bash
# Installs what the MCP client tests (tests/mcp/run.sh) need: a venv with the pinned official
# MCP Python SDK and pytest (tests/mcp/requirements.txt), from PyPI. Idempotent: the venv is
# rebuilt only when requirements.txt changes. Prints the venv's path on its last line.
#   REFRAME_MCP_VENV  where the venv lives (default ~/.cache/reframe-test-venvs/mcp)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${REFRAME_MCP_VENV:-$HOME/.cache/reframe-test-venvs/mcp}
STAMP="$VENV/.requirements.txt"
if [ -x "$VENV/bin/python" ] && cmp -s "$HERE/requirements.txt" "$STAMP"; then
  echo "mcp test venv: up to date" >&2
else
  echo "mcp test venv: installing $(grep -v '^#' "$HERE/requirements.txt" | tr '\n' ' ')" >&2
  command -v python3 >/dev/null || { echo "python3 (3.10 or later) is required" >&2; exit 1; }
  python3 -m venv --clear "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
  cp "$HERE/requirements.txt" "$STAMP"
fi
echo "$VENV"
