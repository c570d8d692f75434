"""The Spark examples (examples/spark) on local PySpark: their findings over generated notes equal
the `reframe` command's over the same notes written as files, one file per note (Markdown for
the `mapInArrow` job, plain text for the `RDD.pipe` job, which checks JSON Lines)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "spark"
NOTES = int(os.environ.get("REFRAME_SPARK_NOTES", "100000"))


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated notes, shared by both jobs."""
    path = tmp_path_factory.mktemp("notes") / "notes.parquet"
    subprocess.run(
        [sys.executable, EXAMPLE / "generate_notes.py", path, "--count", str(NOTES)],
        check=True,
    )
    return path


def command_findings(reframe_command: Path, texts: dict, folder: Path, suffix: str) -> Counter:
    """(note id, rule, severity, byte start, byte end, matched) of `reframe check` over the
    notes written one file per note."""
    folder.mkdir()
    for note_id, text in texts.items():
        (folder / f"{note_id}{suffix}").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [str(reframe_command), "check", folder.name, "--format", "json"],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 1, done.stderr
    return Counter(
        (int(Path(f["path"]).stem), f["rule"], f["severity"], f["offset"]["start"],
         f["offset"]["end"], f["matched"])
        for f in json.loads(done.stdout)
    )


def test_spark_job_finds_what_the_command_finds(
    reframe_command: Path, notes_file: Path, tmp_path: Path
):
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
    from_spark = Counter(
        (r["note_id"], r["rule"], r["severity"], r["byte_start"], r["byte_end"], r["matched"])
        for r in spark
    )
    from_command = command_findings(reframe_command, texts, tmp_path / "notes", ".md")
    assert from_spark == from_command
    # Not a vacuous agreement: most notes hold a finding, from many rules.
    assert len({k[0] for k in from_spark}) > NOTES // 2
    assert len({k[1] for k in from_spark}) > 50
    # The string offsets index each note's text.
    for row in spark[:: max(1, len(spark) // 2000)]:
        assert texts[row["note_id"]][row["start"] : row["end"]] == row["matched"]


def test_spark_pipe_job_finds_what_the_command_finds(
    reframe_command: Path, notes_file: Path, tmp_path: Path
):
    out = tmp_path / "findings"
    subprocess.run(
        [sys.executable, EXAMPLE / "pipe_notes.py", notes_file, out, "--master", "local[2]",
         "--reframe", str(reframe_command)],
        check=True,
        timeout=1800,
    )
    piped = pq.read_table(out).to_pylist()

    notes = pq.read_table(notes_file).to_pydict()
    texts = dict(zip(notes["note_id"], notes["text"]))
    from_pipe = Counter(
        (r["note_id"], r["rule"], r["severity"], r["byte_start"], r["byte_end"], r["matched"])
        for r in piped
    )
    from_command = command_findings(reframe_command, texts, tmp_path / "notes", ".txt")
    assert from_pipe == from_command
    # Not a vacuous agreement: most notes hold a finding, from many rules.
    assert len({k[0] for k in from_pipe}) > NOTES // 2
    assert len({k[1] for k in from_pipe}) > 50
    # The byte offsets index each note's UTF-8 text.
    for row in piped[:: max(1, len(piped) // 2000)]:
        text = texts[row["note_id"]].encode("utf-8")
        assert text[row["byte_start"] : row["byte_end"]].decode("utf-8") == row["matched"]
