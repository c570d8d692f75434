#!/usr/bin/env bash
# Keystroke-to-diagnostics latency of `reframe lsp`: opens 100 KB and 1 MB note-like Markdown
# documents, then times 50 one-character edits, one at a time (sequential) and typed
# 30 ms apart (burst); then the first diagnostics of fresh servers opening the 1 MB note, with
# the generic stdio probe bench/lsp_latency.py (LSP_LATENCY names another copy).
# Then bench/lsp_edits.py times 200 edits of the same kind with a client that does not parse the
# responses, reports the server's CPU time per edit, and a machine-stall baseline.
# Usage: bench/lsp-latency.sh [REFRAME_BINARY]   (default target/release/reframe)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$repo/target/release/reframe}
probe=${LSP_LATENCY:-$repo/bench/lsp_latency.py}
[ -x "$binary" ] || { echo "lsp-latency.sh: no binary at $binary (cargo build --release)" >&2; exit 2; }
[ -f "$probe" ] || { echo "lsp-latency.sh: no probe at $probe (set LSP_LATENCY)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Note-like Markdown: prose, a code block and a link. The typical documents have a flagged
# paragraph among every ten clean ones (about 800 findings per MB); dense_1m.md has three
# findings in every paragraph (7,200), the worst case for what each publish carries.
python3 - "$work" <<'PY'
import sys
flagged = ("The client arrived on time and we reviewed the sleep log together. She described "
    "feeling hesitant about the new medication because of side effects, and we agreed to revisit "
    "the plan next week. Her brother committed suicide two years ago; she was resistant to talking "
    "about it today, which makes sense. Urine drug screen was clean.\n\n"
    "```\ncode block resistant\n```\n\n- list item with a [link](https://example.org) and *emphasis*\n\n")
clean = ("We reviewed the week's sleep log together and talked through what helped on the harder "
    "evenings. She wants to keep the walking routine and try the breathing exercise before bed; "
    "we agreed to look at the plan again next week and to share the summary with her GP.\n\n"
    "- next step: a short check-in call on Thursday, see the [plan](https://example.org)\n\n")
# Every paragraph is numbered, so no two are alike: the engine lints a repeated paragraph once,
# and a document of copies would time that instead.
for name, flagged_every, size in (("notes_100k.md", 11, 100_000), ("notes_1m.md", 11, 1 << 20),
                                  ("dense_1m.md", 1, 1 << 20)):
    text, visit = [], 0
    while sum(map(len, text)) < size:
        visit += 1
        text.append(f"Visit {visit}. " + (flagged if visit % flagged_every == 1 % flagged_every else clean))
    with open(f"{sys.argv[1]}/{name}", "w") as f:
        f.write("".join(text))
PY
for mode in sequential burst; do
  echo "== $mode"
  python3 "$probe" --mode "$mode" --doc "$work/notes_100k.md" --doc "$work/notes_1m.md" \
    --doc "$work/dense_1m.md" \
    --json-out "$work/$mode.json" -- "$binary" lsp --stdio
done
# The first diagnostics of a server whose first document is the 1 MB note: that lint also
# builds every regex the text needs (the probe's runs above open a smaller document first).
echo "== cold open: 1 MB as a fresh server's first document, five servers"
for run in 1 2 3 4 5; do
  python3 "$probe" --doc "$work/notes_1m.md" --edits 1 -- "$binary" lsp --stdio 2>&1 | grep -o "open->diag [0-9.]* ms"
done
echo "== lean client (bench/lsp_edits.py)"
for doc in notes_100k.md notes_1m.md dense_1m.md; do
  python3 "$repo/bench/lsp_edits.py" "$binary" "$work/$doc" 200
done
