#!/usr/bin/env bash
# Byte-compiles editors/emacs/reframe.el (into a temp dir) and fails on any warning.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC="$HERE/../../../editors/emacs/reframe.el"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
cp "$SRC" "$TMP/"
emacs --batch --eval '(package-initialize)' \
  --eval '(setq byte-compile-error-on-warn t)' \
  -f batch-byte-compile "$TMP/reframe.el"
[ -f "$TMP/reframe.elc" ]
echo "PASS: reframe.el byte-compiles without warnings"
