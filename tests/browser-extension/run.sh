#!/usr/bin/env bash
# The browser extension's tests (editors/browser):
#   run.sh        builds the Firefox variant and checks it with `web-ext lint` (and packs it
#                 with `web-ext build`), then drives the extension in Debian's chromium with the
#                 real native host (extension.js)
#   run.sh bench  the typing benchmark: a 20 KB textarea, debounce to underlines drawn
# Installs what it needs when missing (idempotent): apt chromium, npm ci here (playwright-core,
# web-ext; no browser download). Needs REFRAME_BIN (default: target/debug/reframe).
# Screenshots go to ${REFRAME_SCREENSHOTS:-target/editor-screenshots}, the Firefox build and
# zip to ${REFRAME_TEST_ARTIFACTS:-target/editor-tests}/browser-extension.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ART=${REFRAME_TEST_ARTIFACTS:-$REPO/target/editor-tests}/browser-extension
export REFRAME_BIN=${REFRAME_BIN:-$REPO/target/debug/reframe}
export REFRAME_SCREENSHOTS=${REFRAME_SCREENSHOTS:-$REPO/target/editor-screenshots}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
[ -x "$REFRAME_BIN" ] || { echo "no reframe binary at $REFRAME_BIN (cargo build, or set REFRAME_BIN)" >&2; exit 1; }

if [ ! -x "$CHROMIUM" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-dejavu-core
fi
if [ ! -f "$HERE/node_modules/.package-lock.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi
mkdir -p "$ART" "$REFRAME_SCREENSHOTS"

case "${1:-test}" in
  test)
    node "$REPO/editors/browser/scripts/build-firefox.mjs" "$ART/firefox"
    "$HERE/node_modules/.bin/web-ext" lint --source-dir "$ART/firefox" --warnings-as-errors
    "$HERE/node_modules/.bin/web-ext" build --source-dir "$ART/firefox" --artifacts-dir "$ART" --overwrite-dest
    node "$HERE/extension.js"
    ;;
  bench) node "$HERE/extension.js" --bench ;;
  *) echo "usage: $0 [test|bench]" >&2; exit 2 ;;
esac
