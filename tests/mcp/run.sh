#!/usr/bin/env bash
# Drives `reframe mcp` with the official MCP Python SDK's client over stdio (tests/mcp/test_*.py).
#   REFRAME_BIN  the binary to test (default: target/debug/reframe, built if missing)
# Extra arguments go to pytest.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=$(bash "$HERE/install-deps.sh" | tail -1)
if [ -z "${REFRAME_BIN:-}" ]; then
  REFRAME_BIN="$REPO/target/debug/reframe"
  [ -x "$REFRAME_BIN" ] || (cd "$REPO" && cargo build --quiet)
fi
export REFRAME_BIN
cd "$HERE"
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
