#!/usr/bin/env bash
# Keystroke-to-diagnostics latency of `reframe lsp`: opens a 100 KB and a 1 MB note-like
# Markdown document, then times 50 one-character edits, one at a time (sequential) and typed
# 30 ms apart (burst). Uses the shared probe lsp_latency.py (set LSP_LATENCY to its path; by
# default ../shared/tools/lsp_latency.py beside the repository).
# Usage: bench/lsp-latency.sh [REFRAME_BINARY]   (default target/release/reframe)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$repo/target/release/reframe}
probe=${LSP_LATENCY:-$repo/../shared/tools/lsp_latency.py}
[ -x "$binary" ] || { echo "lsp-latency.sh: no binary at $binary (cargo build --release)" >&2; exit 2; }
[ -f "$probe" ] || { echo "lsp-latency.sh: no probe at $probe (set LSP_LATENCY)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same paragraph as benches/engine.rs: prose with a few flagged phrases, code and a link.
python3 - "$work" <<'PY'
import sys
paragraph = ("The client arrived on time and we reviewed the sleep log together. She described "
    "feeling hesitant about the new medication because of side effects, and we agreed to revisit "
    "the plan next week. Her brother committed suicide two years ago; she was resistant to talking "
    "about it today, which makes sense. Urine drug screen was clean.\n\n"
    "```\ncode block resistant\n```\n\n- list item with a [link](https://example.org) and *emphasis*\n\n")
for name, size in (("notes_100k.md", 100_000), ("notes_1m.md", 1 << 20)):
    with open(f"{sys.argv[1]}/{name}", "w") as f:
        f.write(paragraph * (size // len(paragraph) + 1))
PY
for mode in sequential burst; do
  echo "== $mode"
  python3 "$probe" --mode "$mode" --doc "$work/notes_100k.md" --doc "$work/notes_1m.md" \
    --json-out "$work/$mode.json" -- "$binary" lsp --stdio
done
