"""Note-like text and process measurement shared by the benchmarks (`jsonl_throughput.py`,
`scaling.py`): the same sentences, so their figures describe the same kind of text.

Neutral sentences read like progress notes; each flagged sentence holds one phrase a built-in
rule flags.
"""
import subprocess
import tempfile
import time

NEUTRAL = [
    "Client arrived on time and reported a difficult week at work.",
    "We reviewed the sleep diary; she is getting about six hours a night.",
    "He described conflict with his manager and felt unheard in the meeting.",
    "Discussed coping strategies including walks, journaling and calling a friend.",
    "Mood rated 5/10, up from 3/10 last session.",
    "Plan: continue weekly sessions, revisit medication questions with the GP.",
    "She mentioned her sister will visit next month and is looking forward to it.",
    "Homework: practise the breathing exercise twice a day.",
]
FLAGGED = [
    "The client is resistant to homework.",
    "Her father committed suicide when she was twelve.",
    "He was non-compliant with the medication plan.",
    "Referral describes him as an addict.",
    "Patient is in denial about the drinking.",
]


def note(i, size=1300):
    """Note number `i`: about `size` bytes of neutral sentences with one flagged sentence."""
    parts, n, k = [], 0, i
    flagged_at = i % 6
    while n < size:
        s = FLAGGED[i % len(FLAGGED)] if len(parts) == flagged_at else NEUTRAL[k % len(NEUTRAL)]
        parts.append(s)
        n += len(s) + 1
        k += 3
    return " ".join(parts)


def prose(size, every):
    """Sentences up to `size` bytes, one flagged sentence per `every` bytes (0: none)."""
    out, n, since, i = [], 0, 0, 0
    while n < size:
        if every and since >= every:
            s, since = FLAGGED[i % len(FLAGGED)], 0
        else:
            s = NEUTRAL[i % len(NEUTRAL)]
        out.append(s)
        n += len(s) + 1
        since += len(s) + 1
        i += 1
    return out


def wrap(pieces, width=80):
    """Lines of at most `width` characters (a longer piece has a line of its own), joining
    `pieces` (sentences or words) with spaces."""
    lines, line = [], ""
    for piece in pieces:
        if line and len(line) + len(piece) + 1 > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    if line:
        lines.append(line)
    return lines


def run(args, stdin_path=None, ok=(0, 1)):
    """Wall seconds and peak resident bytes of one process. The peak comes from /usr/bin/time:
    a child's own ru_maxrss starts at its parent's size at fork (Linux keeps it across exec),
    so Python's would show through. Exits with the process's error if its status is not in
    `ok`."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak.name] + args, stdin=stdin,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - started
        if proc.returncode not in ok:
            raise SystemExit(f"{args}: exit {proc.returncode}: {proc.stderr[:400]!r}")
        return elapsed, int(peak.read().split()[-1]) * 1024
