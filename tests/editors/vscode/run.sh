#!/usr/bin/env bash
# VS Code end-to-end test: packages editors/vscode into a .vsix, installs it into
# code-server (VS Code in a browser), opens a workspace with a note in Debian's chromium
# and drives it with playwright-core (workbench.js).
# Needs: tests/editors/install-deps.sh done; REFRAME_BIN set (run-all.sh sets it).
# REFRAME_VSCODE_SERVER chooses how the extension gets its server:
#   path     (default) the universal package, with `reframe.path` set and the binary on PATH;
#   bundled  the linux-x64 package with REFRAME_BIN inside as server/reframe, as released,
#            started with no `reframe` on PATH and a HOME without ~/.cargo/bin: the extension
#            must find and report its bundled server;
#   missing  the universal package with no server anywhere (as bundled, without the binary):
#            missing.js checks the message and its Open Settings button.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
DEPS=${REFRAME_EDITOR_DEPS:-$HOME/.cache/reframe-editor-tests}
CS=${CODE_SERVER:-$DEPS/code-server/node_modules/.bin/code-server}
MODE=${REFRAME_VSCODE_SERVER:-path}
OUT=${REFRAME_TEST_ARTIFACTS:-$REPO/target/editor-tests}/vscode
SHOTS=${REFRAME_SCREENSHOTS:-$REPO/target/editor-screenshots}
: "${REFRAME_BIN:?set REFRAME_BIN to the reframe binary}"
case $MODE in
  path) ;;
  bundled|missing) OUT=$OUT-$MODE; SHOTS=$SHOTS/$MODE ;;   # the documentation's screenshots come from path mode
  *) echo "REFRAME_VSCODE_SERVER must be path, bundled or missing, not $MODE" >&2; exit 2 ;;
esac
[ -x "$CS" ] || { echo "code-server not found at $CS: run tests/editors/install-deps.sh" >&2; exit 1; }

# 1. package the extension (typecheck + esbuild bundle + scripts/package-vsix.mjs, no vsce)
cd "$REPO/editors/vscode"
[ -d node_modules ] || npm ci --no-audit --no-fund
if [ "$MODE" = bundled ]; then
  trap 'rm -rf "$REPO/editors/vscode/server"' EXIT
  rm -rf server && mkdir server && cp "$REFRAME_BIN" server/reframe && chmod 755 server/reframe
  npm run --silent package:target -- linux-x64
  rm -rf server
  VSIX="$REPO/editors/vscode/reframe-linux-x64.vsix"
  # read whole listings first: `unzip | grep -q` fails at random under pipefail (SIGPIPE)
  listing=$(unzip -l "$VSIX"); manifest=$(unzip -p "$VSIX" extension.vsixmanifest)
  grep -q ' extension/server/reframe$' <<<"$listing" || { echo "FAIL: no server/reframe in $VSIX" >&2; exit 1; }
  grep -q 'TargetPlatform="linux-x64"' <<<"$manifest" \
    || { echo "FAIL: $VSIX is not marked linux-x64" >&2; exit 1; }
else
  npm run --silent package
  VSIX="$REPO/editors/vscode/reframe.vsix"
fi
echo "vsix: $(du -k "$VSIX" | cut -f1) KB ($(stat -c %s "$VSIX") bytes), $(unzip -l "$VSIX" | tail -1 | awk '{print $2}') files"

# 2. fresh profile + workspace
# the workspace lives outside the repository (no .git / .reframe.toml of ours above it)
WSROOT=${REFRAME_TEST_WS:-$(mktemp -d "${TMPDIR:-/tmp}/reframe-vscode.XXXXXX")}
WSD="$WSROOT/vscode/notes"
rm -rf "$OUT" "$WSD"; mkdir -p "$OUT/user/User" "$WSD" "$SHOTS"
cat > "$OUT/user/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "editor.inlayHints.enabled": "on",
  "editor.hover.delay": 100,
  "editor.minimap.enabled": false,
  "window.commandCenter": false,
  "git.enabled": false,
  "extensions.ignoreRecommendations": true$([ "$MODE" = path ] && printf ',\n  "reframe.path": "%s"' "$REFRAME_BIN")
}
JSON
NOTE="$WSD/session-note.md"
printf '# Session note\n\nThe client was resistant to homework and is non-compliant with meds.\n' > "$NOTE"
# missing mode opens no note: a project .reframe.toml activates the extension at start-up
[ "$MODE" = missing ] && printf '# project settings\n' > "$WSD/.reframe.toml"
installed=0
for attempt in 1 2 3; do   # retried: it has failed once under heavy load ("Failed Installing Extensions")
  "$CS" --config "$OUT/config.yaml" --user-data-dir "$OUT/user" --extensions-dir "$OUT/ext" \
    --install-extension "$VSIX" >> "$OUT/install-extension.log" 2>&1 || true
  list=$("$CS" --config "$OUT/config.yaml" --user-data-dir "$OUT/user" --extensions-dir "$OUT/ext" \
       --list-extensions --show-versions 2>/dev/null || true)
  if [[ "$list" == *reframe.reframe@* ]]; then installed=1; break; fi
  echo "extension install failed (attempt $attempt)"; tail -5 "$OUT/install-extension.log"
done
[ $installed = 1 ] || { echo "FAIL: extension not installed" >&2; exit 1; }
echo "extension installed: $(grep -h 'successfully installed' "$OUT/install-extension.log" | tail -1)"

# 3. start code-server (own process group: code-server + extension host + reframe lsp).
#    Retried: on a loaded machine code-server can die at startup with "error timed out" (its
#    child process must answer a handshake within 10 s).
PGID=""
trap '[ -n "$PGID" ] && kill -- -$PGID 2>/dev/null || true' EXIT
if [ "$MODE" = path ]; then
  # The binary is also first on PATH, where the extension looks when `reframe.path` is unset: once,
  # on a machine slowed by parallel builds, the extension host activated before the user settings
  # reached it, reported "could not find the `reframe` binary on PATH", and never started it.
  export PATH="$(dirname "$REFRAME_BIN"):$PATH"
else
  # No reframe anywhere but inside the extension: no PATH folder that holds one, a new HOME (so no
  # ~/.cargo/bin) and no CARGO_HOME.
  clean=""
  IFS=: read -ra dirs <<< "$PATH"
  for d in "${dirs[@]}"; do [ -n "$d" ] && [ ! -e "$d/reframe" ] && clean="$clean${clean:+:}$d"; done
  export PATH=$clean HOME=$OUT/home
  unset CARGO_HOME
  mkdir -p "$HOME"
  if command -v reframe >/dev/null || [ -e "$HOME/.cargo/bin/reframe" ]; then
    echo "FAIL: reframe is still reachable outside the extension" >&2; exit 1
  fi
fi
for attempt in 1 2 3 4 5; do
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  REFRAME_TEST_OUT="$OUT/report.json" setsid "$CS" --config "$OUT/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
    --log trace --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$OUT/user" --extensions-dir "$OUT/ext" "$WSD" >> "$OUT/code-server.log" 2>&1 &
  PGID=$!
  up=0
  for _ in $(seq 360); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; then up=1; break; fi
    kill -0 "$PGID" 2>/dev/null || break
    sleep 0.5
  done
  [ $up = 1 ] && break
  echo "code-server did not come up (attempt $attempt); log:"; tail -3 "$OUT/code-server.log"
  kill -- -"$PGID" 2>/dev/null || true
  rm -f "$OUT/user/code-server-ipc.sock"
done
[ $up = 1 ] || { echo "FAIL: code-server did not start"; exit 1; }

# 4. drive it
set +e
CS_URL="http://127.0.0.1:$PORT/?folder=$WSD" NOTE="$NOTE" REPORT="$OUT/report.json" SHOTS="$SHOTS" \
  EXPECT_SERVER="$MODE" EXTENSIONS_DIR="$OUT/ext" \
  NODE_PATH="$HERE/node_modules" node "$HERE/$([ "$MODE" = missing ] && echo missing.js || echo workbench.js)"
rc=$?
set -e
cp "$NOTE" "$OUT/" 2>/dev/null || true
if [ $rc -ne 0 ]; then
  echo "--- code-server.log (tail)"; tail -20 "$OUT/code-server.log"
  echo "--- extension host log (tail)"; find "$OUT/user/logs" -name 'remoteexthost.log' -exec tail -25 {} \; 2>/dev/null || true
  echo "--- extension output"; find "$OUT/user/logs" -name '*Reframe*' -exec tail -20 {} \; 2>/dev/null || true
fi
exit $rc
