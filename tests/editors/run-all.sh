#!/usr/bin/env bash
# Runs every editor-integration test against the real `reframe lsp`, and the browser tests
# of the workshop page (`reframe serve`), the HTML report and the browser extension
# (`reframe native-host`).
# Assumes tests/editors/install-deps.sh has run and reframe is built.
# The server: $REFRAME_BIN, else target/release/reframe, else `reframe` on PATH.
# Logs and artifacts: target/editor-tests/, screenshots: target/editor-screenshots/.
# Ends with the line "N passed, M failed"; exits 1 if anything failed.
# REFRAME_EDITOR_TESTS="nvim-0.12 emacs" runs only those tests.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DEPS=${REFRAME_EDITOR_DEPS:-$HOME/.cache/reframe-editor-tests}
ART=${REFRAME_TEST_ARTIFACTS:-$REPO/target/editor-tests}
export REFRAME_TEST_ARTIFACTS=$ART REFRAME_SCREENSHOTS=${REFRAME_SCREENSHOTS:-$REPO/target/editor-screenshots}
NVIM012=${NVIM_NEW:-$DEPS/venv/bin/nvim}
NVIM07=${NVIM_OLD:-/usr/bin/nvim}

if [ -z "${REFRAME_BIN:-}" ]; then
  if [ -x "$REPO/target/release/reframe" ]; then REFRAME_BIN=$REPO/target/release/reframe
  else REFRAME_BIN=$(command -v reframe || true); fi
fi
if [ -z "$REFRAME_BIN" ] || [ ! -x "$REFRAME_BIN" ]; then
  echo "run-all.sh: no reframe binary (set REFRAME_BIN, build target/release/reframe, or put reframe on PATH)" >&2
  echo "0 passed, 1 failed"; exit 1
fi
REFRAME_BIN=$(cd "$(dirname "$REFRAME_BIN")" && pwd)/$(basename "$REFRAME_BIN")
export REFRAME_BIN
echo "server: $REFRAME_BIN ($("$REFRAME_BIN" --version 2>/dev/null | sed -n 1p))"
rm -rf "$ART"; mkdir -p "$ART"
# the editors' workspaces live outside the repository, so the server (and Eglot's project
# detection) see no .git or .reframe.toml of this repository above them
WS=$(mktemp -d "${TMPDIR:-/tmp}/reframe-editor-tests.XXXXXX")
trap 'rm -rf "$WS"' EXIT
export REFRAME_TEST_WS=$WS

passed=0; failed=0; failures=()
run() { # name timeout-seconds command...
  local name=$1 secs=$2; shift 2
  if [ -n "${REFRAME_EDITOR_TESTS:-}" ] && [[ " $REFRAME_EDITOR_TESTS " != *" $name "* ]]; then return; fi
  local log="$ART/$name.log" t0 rc
  t0=$(date +%s.%N)
  timeout -k 5 "$secs" "$@" > "$log" 2>&1 < /dev/null
  rc=$?
  local dt; dt=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); echo "PASS  $name  (${dt} s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "FAIL  $name  (${dt} s, rc=$rc, log: $log)"
    sed 's/^/    | /' "$log" | tail -40
  fi
}

run snippets       60  python3 "$HERE/check_snippets.py"
run nvim-0.12      90  "$HERE/nvim/run.sh" "$NVIM012" e2e.lua "$WS/nvim-0.12"
run nvim-0.12-enable-only 60 "$HERE/nvim/run.sh" "$NVIM012" enable_only.lua "$WS/nvim-0.12-enable-only"
run nvim-0.12-mason 60 env -u REFRAME_BIN REFRAME_MASON_SERVER="$REFRAME_BIN" XDG_DATA_HOME="$WS/nvim-mason/data" "$HERE/nvim/run.sh" "$NVIM012" mason_first.lua "$WS/nvim-mason"
run nvim-0.12-legacy-start 60 "$HERE/nvim/run.sh" "$NVIM012" legacy_start.lua "$WS/nvim-legacy"
run nvim-0.7-version-message 30 "$HERE/nvim/run.sh" "$NVIM07" old_version.lua "$WS/nvim-0.7"
run nvim-screen    90  "$HERE/nvim/screen.sh" "$NVIM012"
run emacs-byte-compile 60 "$HERE/emacs/byte-compile.sh"
run emacs          120 env REFRAME_EMACS_DIR="$REPO/editors/emacs" REFRAME_TEST_DIR="$WS/emacs" emacs --batch -l "$HERE/emacs/e2e.el"
run vscode         1500 "$HERE/vscode/run.sh"
run vscode-bundled 1500 env REFRAME_VSCODE_SERVER=bundled "$HERE/vscode/run.sh"
run vscode-no-server 900 env REFRAME_VSCODE_SERVER=missing "$HERE/vscode/run.sh"
run workshop-page  600 bash "$REPO/tests/browser/run.sh" serve
run report-page    300 bash "$REPO/tests/browser/run.sh" report
run browser-extension 300 bash "$REPO/tests/browser-extension/run.sh"

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
