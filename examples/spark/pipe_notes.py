"""Finds stigmatizing language in a table of notes by piping them through the `reframe` command
with Spark's `RDD.pipe`, and writes one row per finding as Parquet. Only the command is needed
on the workers (no Python package): each Spark task starts one
`reframe check --input jsonl --jobs 1`, writes its notes to it as JSON lines
(`{"id": …, "text": …}`) and reads back one JSON line per finding.

    python pipe_notes.py notes.parquet findings/ --master "local[*]"
    spark-submit pipe_notes.py notes.parquet findings/ --reframe /opt/reframe/bin/reframe

The notes are checked as plain text (the JSON Lines mode does not read Markdown structure).
The output columns are the id column under its own name, then rule, category, severity,
byte_start and byte_end (UTF-8 byte offsets into the note), line, column, matched and message.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from typing import Iterable, Optional

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T


def command_line(reframe: str, rules: Iterable[str], config: Optional[str]) -> str:
    """The command each task runs. Spark tasks already share out the cores, so one lint thread
    each; the exit code (1 when something is found) is not an error here, and bad records are
    reported on the task's standard error."""
    words = [reframe, "check", "--input", "jsonl", "--jobs", "1", "--fail-on", "never"]
    for pack in rules:
        words += ["--rules", pack]
    if config:
        words += ["--config", config]
    return shlex.join(words)


def findings_schema(id_column: str, id_type: T.DataType) -> T.StructType:
    """The Spark schema of the findings table."""
    long_ = T.LongType()
    return T.StructType(
        [T.StructField(id_column, id_type)]
        + [
            T.StructField(name, long_ if kind == "long" else T.StringType())
            for name, kind in [
                ("rule", "str"),
                ("category", "str"),
                ("severity", "str"),
                ("byte_start", "long"),
                ("byte_end", "long"),
                ("line", "long"),
                ("column", "long"),
                ("matched", "str"),
                ("message", "str"),
            ]
        ]
    )


def row(line: str) -> tuple:
    """One output line of the command as a findings row."""
    f = json.loads(line)
    return (
        f["id"],
        f["rule"],
        f["category"],
        f["severity"],
        f["start"],
        f["end"],
        f["line"],
        f["column"],
        f["matched"],
        f["message"],
    )


def audit(notes: DataFrame, id_column: str, text_column: str, command: str) -> DataFrame:
    """The findings of every note in the DataFrame `notes`, one row per finding."""
    schema = findings_schema(id_column, notes.schema[id_column].dataType)
    records = notes.select(
        F.to_json(F.struct(F.col(id_column).alias("id"), F.col(text_column).alias("text")))
    ).rdd.map(lambda r: r[0])
    # PATH is passed on so that a bare `reframe` resolves; pipe() otherwise gives the command
    # an empty environment. checkCode turns a crashed or misconfigured command into a failed
    # task instead of silently missing findings.
    env = {"PATH": os.environ.get("PATH", os.defpath)}
    found = records.pipe(command, env=env, checkCode=True).filter(bool).map(row)
    return notes.sparkSession.createDataFrame(found, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", help="Parquet notes: an id column and a text column")
    parser.add_argument("out", help="the folder to write the findings to, as Parquet")
    parser.add_argument("--id-column", default="note_id")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--reframe", default="reframe", help="the reframe command on the workers")
    parser.add_argument("--rules", action="append", default=[], help="a rule pack (repeatable)")
    parser.add_argument("--config", help="a .reframe.toml")
    parser.add_argument("--master", help="e.g. local[*]; spark-submit sets it otherwise")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("reframe-pipe-audit")
    reframe = args.reframe
    if args.master:
        # Local runs: workers use this Python and this machine's `reframe`, and nothing
        # listens beyond this machine.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        reframe = shutil.which(reframe) or reframe
        builder = (
            builder.master(args.master)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
    spark = builder.getOrCreate()
    try:
        notes = spark.read.parquet(args.notes)
        command = command_line(reframe, args.rules, args.config)
        findings = audit(notes, args.id_column, args.text_column, command)
        findings.write.mode("overwrite").parquet(args.out)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
