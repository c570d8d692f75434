#!/usr/bin/env bash
# Browser tests in Debian's chromium, driven by playwright-core:
#   run.sh serve    the `reframe serve` workshop page (workshop.js)
#   run.sh report   the `reframe report --html` report of examples/ (report.js)
# Needs: REFRAME_BIN (the reframe binary) and node_modules here (npm ci).
# Screenshots go to ${REFRAME_SCREENSHOTS:-target/editor-screenshots}, the report to
# ${REFRAME_TEST_ARTIFACTS:-target/editor-tests}.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ART=${REFRAME_TEST_ARTIFACTS:-$REPO/target/editor-tests}
export REFRAME_SCREENSHOTS=${REFRAME_SCREENSHOTS:-$REPO/target/editor-screenshots}
: "${REFRAME_BIN:?set REFRAME_BIN to the reframe binary}"
usage() { echo "usage: $0 serve|report" >&2; exit 2; }
[ $# -eq 1 ] || usage
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  echo "tests/browser/node_modules is missing: run tests/editors/install-deps.sh (or: cd tests/browser && npm ci)" >&2
  exit 1
fi
mkdir -p "$ART" "$REFRAME_SCREENSHOTS"

case "$1" in
  serve)
    OUT="$ART/serve.stdout" LOG="$ART/serve.stderr"
    "$REFRAME_BIN" serve --port 0 > "$OUT" 2> "$LOG" &
    SERVER_PID=$!
    trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
    URL=""
    for _ in $(seq 600); do
      line=$(grep -m1 -E '^listening on ' "$OUT" || true)
      if [[ "$line" =~ ^listening\ on\ (http://[^[:space:]]+) ]]; then URL=${BASH_REMATCH[1]}; break; fi
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if [ -z "$URL" ]; then
      echo "FAIL: \`reframe serve --port 0\` printed no 'listening on <url>' line. stdout:" >&2
      cat "$OUT" >&2; echo "stderr:" >&2; tail -20 "$LOG" >&2
      exit 1
    fi
    echo "server: $URL (pid $SERVER_PID)"
    node "$HERE/workshop.js" "$URL"
    ;;
  report)
    HTML="$ART/report.html"
    rm -f "$HTML"
    "$REFRAME_BIN" report "$REPO/examples" --html "$HTML"
    node "$HERE/report.js" "$HTML"
    ;;
  *) usage ;;
esac
