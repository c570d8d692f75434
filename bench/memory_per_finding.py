#!/usr/bin/env python3
"""Resident memory per finding of `reframe check --format json`, for each shape of input.

For each shape, writes a document with about N findings (one every 28 bytes: "the client is
resistant and " repeated) and the same document with "resilient" for "resistant" (no findings,
the same length and shape), runs `check --format json` on each under /usr/bin/time, counts the
findings in the output, and prints

    (peak with findings - peak without) / findings

the memory that the findings cost beyond reading and linting the text, and also

    (peak with findings - peak on an empty file - text length) / findings

the whole cost beyond start-up and one copy of the text, per finding.

Shapes: `paragraphs` (numbered paragraphs of about 2,000 bytes), `one-paragraph` (the same
text wrapped at 80 columns with no blank line), `single-line` (no line breaks at all).

Usage: bench/memory_per_finding.py REFRAME_BINARY [--findings 1000000] [--shapes a,b]
Linux only. Build with `cargo build --release` first. Needs only python3.
"""
import argparse
import os
import subprocess
import tempfile

from notes import run, wrap

WORDS = "the client is resistant and "
SHAPES = ["paragraphs", "one-paragraph", "single-line"]


def shape(name, findings, words=WORDS):
    body = words * findings
    if name == "single-line":
        return body
    if name == "one-paragraph":
        return "\n".join(wrap(body.split(" ")))
    if name == "paragraphs":
        step = 2000
        return "\n\n".join(f"Note {i}: " + "\n".join(wrap(body[i:i + step].split(" ")))
                             for i in range(0, len(body), step))
    raise SystemExit(f"unknown shape {name}")


def count_findings(binary, path):
    with subprocess.Popen([binary, "check", "--format", "json", "--fail-on", "never", path],
                          stdout=subprocess.PIPE) as proc:
        count = sum(1 for line in proc.stdout if line.startswith(b'    "rule": '))
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        empty = os.path.join(workdir, "empty.md")
        open(empty, "w").close()
        command = lambda path: [args.binary, "check", "--format", "json", "--fail-on", "never",
                                path]
        _, base = run(command(empty))
        print(f"empty file: {base / 1e6:.1f} MB peak")
        for name in args.shapes.split(","):
            doc = os.path.join(workdir, f"{name}.md")
            clean = os.path.join(workdir, f"{name}-clean.md")
            text = shape(name, args.findings)
            with open(doc, "w") as f:
                f.write(text)
            with open(clean, "w") as f:
                f.write(shape(name, args.findings, WORDS.replace("resistant", "resilient")))
            found = count_findings(args.binary, doc)
            none = count_findings(args.binary, clean)
            seconds, peak = run(command(doc))
            _, peak_clean = run(command(clean))
            print(f"{name:14} {len(text) / 1e6:6.1f} MB, {found} findings ({none} without): "
                  f"{seconds:5.1f} s, peak {peak / 1e6:6.1f} MB, without findings "
                  f"{peak_clean / 1e6:6.1f} MB; "
                  f"{(peak - peak_clean) / max(found, 1):5.0f} B/finding above the clean text, "
                  f"{(peak - base - len(text)) / max(found, 1):5.0f} B/finding above start-up "
                  f"and the text", flush=True)


if __name__ == "__main__":
    main()
