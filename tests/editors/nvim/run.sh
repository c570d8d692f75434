#!/usr/bin/env bash
# usage: nvim/run.sh NVIM SCRIPT.lua TESTDIR   — runs one headless Neovim test script with the plugin
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
REFRAME_NVIM_PLUGIN="$REPO/editors/nvim" REFRAME_TEST_DIR="$3" exec "$1" -u NONE -i NONE -n --headless -c "luafile $HERE/$2"
