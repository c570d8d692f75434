"""The Spark example (examples/spark) on local PySpark: its findings over generated notes equal
the `reframe` command's over the same notes written as files, one file per note."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "spark"
NOTES = int(os.environ.get("REFRAME_SPARK_NOTES", "100000"))


def test_spark_job_finds_what_the_command_finds(reframe_command: Path, tmp_path: Path):
    notes_file = tmp_path / "notes.parquet"
    subprocess.run(
        [sys.executable, EXAMPLE / "generate_notes.py", notes_file, "--count", str(NOTES)],
        check=True,
    )
    out = tmp_path / "findings"
    subprocess.run(
        [sys.executable, EXAMPLE / "audit_notes.py", notes_file, out, "--master", "local[2]"],
        check=True,
        timeout=1800,
    )
    spark = pq.read_table(out).to_pylist()

    notes = pq.read_table(notes_file).to_pydict()
    assert len(notes["note_id"]) == NOTES
    texts = dict(zip(notes["note_id"], notes["text"]))
    folder = tmp_path / "notes"
    folder.mkdir()
    for note_id, text in texts.items():
        (folder / f"{note_id}.md").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [str(reframe_command), "check", "notes", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 1, done.stderr
    command = json.loads(done.stdout)

    def key(note_id, rule, severity, start, end, matched):
        return (note_id, rule, severity, start, end, matched)

    from_spark = Counter(
        key(r["note_id"], r["rule"], r["severity"], r["byte_start"], r["byte_end"], r["matched"])
        for r in spark
    )
    from_command = Counter(
        key(int(Path(f["path"]).stem), f["rule"], f["severity"], f["offset"]["start"],
            f["offset"]["end"], f["matched"])
        for f in command
    )
    assert from_spark == from_command
    # Not a vacuous agreement: most notes hold a finding, from many rules.
    assert len({k[0] for k in from_spark}) > NOTES // 2
    assert len({k[1] for k in from_spark}) > 50
    # The string offsets index each note's text.
    for row in spark[:: max(1, len(spark) // 2000)]:
        assert texts[row["note_id"]][row["start"] : row["end"]] == row["matched"]
