"""Notes per second through `Linter.check_many` on 1 and 2 threads, against the way audits
search for stigmatizing terms in Python today: `\\b...\\b` regexes over the built-in phrases
(pattern syntax simplified: optional words and `@person`/`@be` dropped, `{a,b}` as alternation,
no guards), run with Python's `re`.

    python bench/python_throughput.py --notes 20000

Run it in a venv with the reframe-lint wheel installed (tests/python/run.sh builds one). The
notes come from examples/spark/generate_notes.py.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "spark"))
from generate_notes import note, sentence_pool  # noqa: E402

from reframe_lint import Linter  # noqa: E402


def phrase_regex(phrase: str) -> str:
    """A phrase pattern as a plain regex, the way a keyword list would write it."""
    words = []
    for token in phrase.split():
        if token.startswith("[") or token.startswith("@"):
            continue
        if token == "*":
            words.append(r"\w+")
            continue
        parts = re.split(r"(\{[^}]*\})", token)
        pieces = []
        for part in parts:
            if part.startswith("{"):
                pieces.append("(?:" + "|".join(re.escape(a) for a in part[1:-1].split(",")) + ")")
            else:
                pieces.append(re.escape(part).replace(r"\-", "[- ]?").replace("'", "['’]"))
        words.append("".join(pieces))
    return r"\s+".join(words)


def keyword_regexes(linter: Linter) -> list[tuple[str, re.Pattern[str]]]:
    """One `\\b(?:...)\\b` regex per built-in rule with phrases."""
    compiled = []
    for rule in linter.rules():
        alternatives = [phrase_regex(p) for p in rule["phrases"]]
        alternatives = [a for a in alternatives if a]
        if alternatives:
            pattern = r"\b(?:" + "|".join(alternatives) + r")\b"
            compiled.append((rule["id"], re.compile(pattern, re.IGNORECASE)))
    return compiled


def timed(label: str, notes: list[str], run) -> int:
    start, cpu_start = time.perf_counter(), time.process_time()
    found = run()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    megabytes = sum(len(n.encode()) for n in notes) / 1e6
    # CPU seconds too: on a shared machine the wall clock also counts other processes' turns.
    print(
        f"{label:<38} {len(notes) / seconds:>10,.0f} notes/s {megabytes / seconds:>7.2f} MB/s"
        f" {found:>8} findings ({seconds:.2f} s, {cpu:.2f} CPU s,"
        f" {len(notes) / cpu:,.0f} notes per CPU s)"
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    linter = Linter()
    rng = random.Random(args.seed)
    pool = sentence_pool(linter)
    notes = [note(rng, pool) for _ in range(args.notes)]
    print(f"{len(notes)} notes, {sum(len(n.encode()) for n in notes) / 1e6:.1f} MB")
    linter.check_many(notes[:200])  # builds the regexes the notes need, as a warm service has
    for threads in (1, 2):
        timed(
            f"reframe_lint check_many threads={threads}",
            notes,
            lambda: sum(map(len, linter.check_many(notes, threads=threads))),
        )
    regexes = keyword_regexes(linter)
    timed(
        f"re, one regex per rule ({len(regexes)})",
        notes,
        lambda: sum(1 for text in notes for _, rx in regexes for _ in rx.finditer(text)),
    )
    combined = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in regexes), re.IGNORECASE)
    timed(
        "re, one combined regex",
        notes,
        lambda: sum(1 for text in notes for _ in combined.finditer(text)),
    )


if __name__ == "__main__":
    main()
