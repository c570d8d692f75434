#!/usr/bin/env python3
"""Throughput of `reframe check --input jsonl` against a keyword-regex baseline, and memory
while streaming a large input.

1. Notes per second through JSON Lines on one core (`--jobs 1`) and on all cores, and as a
   ceiling, as many independent one-core runs at once as there are cores.
2. The same notes through a Python `re` baseline: one `\\b(?:term|…)\\b` regex per built-in
   rule, its terms spelled out from its phrases with the pattern language simplified (see
   `terms`), run over each note's text, one JSON line out per match: what an audit script with
   a keyword list does today.
3. A 10 MB note-like Markdown file (about one finding per 1.3 KB) through
   `reframe check --format json`, as MB/s of the whole process.
4. Peak resident memory while streaming a large JSON Lines file (1 GB by default), generated
   under target/ and deleted afterwards.

Usage: bench/jsonl_throughput.py REFRAME_BINARY [--notes-mb 40] [--stream-gb 1]
       [--record benchsuite/runs/YYYY-MM-DD-jsonl.md]
Run from the repository root (reads rules/*.toml). Linux only; python3 3.11+ (tomllib).
"""
import argparse
import datetime
import glob
import json
import os
import re
import subprocess
import time
import tomllib

from notes import note, run

def write_notes(path, megabytes):
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < megabytes * 1_000_000:
            line = json.dumps({"id": count, "text": note(count)}) + "\n"
            f.write(line)
            written += len(line)
            count += 1
    return count


def terms(phrase):
    """The plain terms a keyword list would hold for a phrase of the pattern language: every
    `{a,b}` spelled out (at most 16 ways), optional `[…]` words left out, and `@person`, `@be`
    and `*` dropped with the space after them."""
    spelled = [""]
    i = 0
    while i < len(phrase):
        c = phrase[i]
        if c in "{[":
            close = phrase.index("}" if c == "{" else "]", i)
            if c == "{":
                options = phrase[i + 1:close].split(",")
                spelled = [s + o for s in spelled for o in options][:16]
            elif close + 1 < len(phrase) and phrase[close + 1] == " ":
                close += 1
            i = close + 1
        elif phrase.startswith("@person", i) or phrase.startswith("@be", i) or c == "*":
            i = phrase.find(" ", i) + 1 if phrase.find(" ", i) >= 0 else len(phrase)
        else:
            spelled = [s + c for s in spelled]
            i += 1
    return [" ".join(s.split()) for s in spelled if s.strip()]


def baseline_rules():
    rules = []
    for path in sorted(glob.glob("rules/*.toml")):
        with open(path, "rb") as f:
            for rule in tomllib.load(f).get("rule", []):
                phrases = rule.get("phrases", [])
                if not phrases:
                    continue
                words = sorted({t for p in phrases for t in terms(p)}, key=len, reverse=True)
                if not words:
                    continue
                source = r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"
                try:
                    rules.append((rule["id"], rule.get("message", ""), re.compile(source, re.I)))
                except re.error:
                    pass
    return rules


def baseline(path, rules, limit):
    """Notes per second of the regex baseline over the first `limit` notes."""
    started = time.perf_counter()
    notes = found = 0
    out = open(os.devnull, "w")
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record["text"]
            for rule_id, message, regex in rules:
                for m in regex.finditer(text):
                    out.write(json.dumps({"id": record["id"], "rule": rule_id, "start": m.start(),
                                          "end": m.end(), "matched": m.group(0),
                                          "message": message}) + "\n")
                    found += 1
            notes += 1
            if notes >= limit:
                break
    return notes / (time.perf_counter() - started), found / max(notes, 1)


def independent_processes(binary, notes_path, n):
    """Wall seconds for `n` separate `--jobs 1` runs started together: the most any program
    could gain from `n` cores here, since the runs share nothing but the machine (cores that
    are hyperthreads of one physical core, or a busy host, show up as less than `n`x)."""
    started = time.perf_counter()
    procs = [subprocess.Popen([binary, "check", "--input", "jsonl", "--jobs", "1", notes_path],
                              stdout=subprocess.DEVNULL) for _ in range(n)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--notes-mb", type=float, default=40)
    parser.add_argument("--stream-gb", type=float, default=1)
    parser.add_argument("--baseline-notes", type=int, default=300,
                        help="notes the (slow) baseline checks")
    parser.add_argument("--record")
    args = parser.parse_args()
    os.makedirs("target/bench-jsonl", exist_ok=True)
    notes_path = "target/bench-jsonl/notes.jsonl"
    count = write_notes(notes_path, args.notes_mb)
    results = {}
    for jobs in ["1", str(os.cpu_count())]:
        best = min(run([args.binary, "check", "--input", "jsonl", "--jobs", jobs, notes_path])[0]
                   for _ in range(2))
        results[jobs] = count / best
        print(f"reframe --jobs {jobs}: {count} notes in {best:.2f} s: {count / best:,.0f} notes/s")
    rules = baseline_rules()
    rate, per_note = baseline(notes_path, rules, min(count, args.baseline_notes))
    print(f"python re baseline ({len(rules)} rule regexes): {rate:,.0f} notes/s, "
          f"{per_note:.2f} matches per note")
    per_core = results["1"] / rate
    scaling = results[str(os.cpu_count())] / results["1"]
    print(f"per core vs baseline: {per_core:.1f}x; all cores vs one: {scaling:.2f}x")
    ceiling = min(independent_processes(args.binary, notes_path, os.cpu_count())
                  for _ in range(2))
    ceiling = count * os.cpu_count() / ceiling / results["1"]
    print(f"{os.cpu_count()} independent --jobs 1 processes at once vs one: {ceiling:.2f}x "
          "(what the machine itself gives)")

    single = "target/bench-jsonl/note-like.md"
    with open(single, "w", encoding="utf-8") as f:
        i = written = 0
        while written < 10_000_000:
            block = note(i) + "\n\n"
            f.write(block)
            written += len(block.encode())
            i += 1
    size = os.path.getsize(single)
    best = min(run([args.binary, "check", "--format", "json", single])[0] for _ in range(3))
    print(f"check --format json, {size / 1e6:.1f} MB note-like file: {best:.3f} s, "
          f"{size / 1e6 / best:.0f} MB/s")

    stream = "target/bench-jsonl/stream.jsonl"
    with open(notes_path, "rb") as f:
        block = f.read()
    with open(stream, "wb") as f:
        for _ in range(max(1, int(args.stream_gb * 1e9 / len(block)))):
            f.write(block)
    stream_size = os.path.getsize(stream)
    elapsed, peak = run([args.binary, "check", "--input", "jsonl", stream])
    print(f"streaming {stream_size / 1e9:.2f} GB: {elapsed:.1f} s "
          f"({stream_size / 1e6 / elapsed:.0f} MB/s), peak RSS {peak / 2**20:.0f} MiB")
    os.remove(stream)

    if args.record:
        version = subprocess.run([args.binary, "--version"], capture_output=True,
                                 text=True).stdout.strip()
        lines = [
            f"# JSON Lines throughput, {datetime.date.today().isoformat()}",
            "",
            f"`bench/jsonl_throughput.py <release binary> --notes-mb {args.notes_mb} "
            f"--stream-gb {args.stream_gb}`, {version}, {os.cpu_count()} cores shared with "
            "other work while it ran. Notes are about 1.3 KB with one flagged sentence each.",
            "",
            "| measure | figure |",
            "|---|---|",
            f"| notes/s, one core (`--jobs 1`) | {results['1']:,.0f} |",
            f"| notes/s, {os.cpu_count()} cores | {results[str(os.cpu_count())]:,.0f} |",
            f"| all cores ÷ one core | {scaling:.2f}× |",
            f"| {os.cpu_count()} independent one-core runs at once ÷ one run (the machine's own "
            f"ceiling) | {ceiling:.2f}× |",
            f"| Python `re` baseline, notes/s ({len(rules)} rule regexes, one core) | {rate:,.0f} |",
            f"| one core ÷ baseline | {per_core:.1f}× |",
            f"| `check --format json`, {size / 1e6:.1f} MB note-like file | "
            f"{best:.3f} s, {size / 1e6 / best:.0f} MB/s |",
            f"| streaming {stream_size / 1e9:.2f} GB of JSON Lines | {elapsed:.1f} s, "
            f"peak RSS {peak / 2**20:.0f} MiB |",
            "",
        ]
        with open(args.record, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"wrote {args.record}")


if __name__ == "__main__":
    main()
