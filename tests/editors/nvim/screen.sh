#!/usr/bin/env bash
# Neovim as a person sees it: runs nvim (0.10+) with the plugin in tmux, waits for
# Reframe's virtual text and inlay hints on screen, saves the screen as text
# (target/editor-tests/nvim-screen/screen.txt) and as a PNG rendered by headless chromium
# (target/editor-screenshots/nvim.png).
# usage: screen.sh NVIM   (REFRAME_BIN set)
set -euo pipefail
NVIM=${1:?usage: screen.sh NVIM}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=${REFRAME_TEST_ARTIFACTS:-$REPO/target/editor-tests}/nvim-screen
SHOTS=${REFRAME_SCREENSHOTS:-$REPO/target/editor-screenshots}
: "${REFRAME_BIN:?set REFRAME_BIN}"
WSD=${REFRAME_TEST_WS:-$(mktemp -d "${TMPDIR:-/tmp}/reframe-nvim.XXXXXX")}/nvim-screen
rm -rf "$OUT" "$WSD"; mkdir -p "$OUT" "$SHOTS" "$WSD"
printf '# Session note\n\nThe client was resistant to homework and is non-compliant with meds.\n😀 She committed suicide in 2019, her brother said.\n' > "$WSD/note.md"
cat > "$OUT/init.lua" <<LUA
vim.opt.runtimepath:prepend('$REPO/editors/nvim')
vim.opt.termguicolors = true
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.wrap = false
vim.opt.shortmess:append('I')
vim.cmd('filetype on | syntax on')
require('reframe').setup({})
LUA
SOCK="reframe-e2e-$$"
tmux -L "$SOCK" -f /dev/null new-session -d -x 118 -y 12 -c "$WSD" \
  "env REFRAME_BIN='$REFRAME_BIN' TERM=tmux-256color '$NVIM' -u '$OUT/init.lua' -i NONE -n note.md"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true' EXIT
tmux -L "$SOCK" set -g default-terminal tmux-256color >/dev/null
tmux -L "$SOCK" set -as terminal-features ',*:RGB' >/dev/null
ok=0
for _ in $(seq 100); do
  tmux -L "$SOCK" capture-pane -p > "$OUT/screen.txt"
  if grep -q '→' "$OUT/screen.txt" && grep -q '■\|●\|resistant.*  \S' "$OUT/screen.txt"; then ok=1; break; fi
  sleep 0.2
done
sleep 0.5
tmux -L "$SOCK" capture-pane -p > "$OUT/screen.txt"
tmux -L "$SOCK" capture-pane -p -e > "$OUT/screen.ans"
cat "$OUT/screen.txt"
python3 "$REPO/tests/editors/lib/ansi2html.py" "$OUT/screen.ans" "$OUT/screen.html" "Reframe in Neovim"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1110,270 \
  --screenshot="$SHOTS/nvim.png" "file://$OUT/screen.html" >/dev/null 2>&1 || echo "note: chromium screenshot failed"
[ -f "$SHOTS/nvim.png" ] && echo "screenshot $SHOTS/nvim.png"
[ $ok = 1 ] || { echo "FAIL: no inlay hint / virtual text on screen"; exit 1; }
grep -q '→' "$OUT/screen.txt" || { echo "FAIL: inlay hint not on screen"; exit 1; }
echo "PASS: nvim screen"
