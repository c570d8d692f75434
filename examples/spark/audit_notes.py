"""Finds stigmatizing language in a table of notes with PySpark and writes one row per finding
as Parquet.

    python audit_notes.py notes.parquet findings/ --master "local[*]"
    spark-submit audit_notes.py notes.parquet findings/ --rules packs/clinic.toml

The notes table needs an id column and a text column (`--id-column`, `--text-column`). Each Spark
task runs `Linter.check_arrow` over its Arrow batches (`mapInArrow`); Spark spreads the tasks
over the cores, so each task lints on one thread. The output columns are those of
`reframe_lint.COLUMNS`, with the id column under its own name.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator, Optional

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

from reframe_lint import COLUMNS, Linter

OFFSETS = {"start", "end", "byte_start", "byte_end"}

_linters: dict = {}


def linter_for(rules: tuple[str, ...], config: Optional[str]) -> Linter:
    """One Linter per Python worker process and settings: building one compiles the rules."""
    key = (rules, config)
    if key not in _linters:
        _linters[key] = Linter(rules=list(rules) or None, config=config)
    return _linters[key]


def findings_schema(id_column: str, id_type: T.DataType) -> T.StructType:
    """The Spark schema of the findings table."""
    return T.StructType(
        [
            T.StructField(id_column, id_type)
            if name == "id"
            else T.StructField(name, T.LongType() if name in OFFSETS else T.StringType())
            for name in COLUMNS
        ]
    )


def audit(notes, id_column: str, text_column: str, rules: tuple[str, ...], config: Optional[str]):
    """The findings of every note in the DataFrame `notes`, one row per finding."""
    schema = findings_schema(id_column, notes.schema[id_column].dataType)
    arrow_schema = to_arrow_schema(schema)

    def find(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        linter = linter_for(rules, config)
        for batch in batches:
            table = linter.check_arrow(
                batch.column(text_column).to_pylist(),
                ids=batch.column(id_column).to_pylist(),
                threads=1,
            )
            yield from table.rename_columns(arrow_schema.names).cast(arrow_schema).to_batches()

    return notes.select(id_column, text_column).mapInArrow(find, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", help="Parquet notes: an id column and a text column")
    parser.add_argument("out", help="the folder to write the findings to, as Parquet")
    parser.add_argument("--id-column", default="note_id")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--rules", action="append", default=[], help="a rule pack (repeatable)")
    parser.add_argument("--config", help="a .reframe.toml")
    parser.add_argument("--master", help="e.g. local[*]; spark-submit sets it otherwise")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("reframe-audit")
    if args.master:
        # Local runs: workers use this Python (with reframe_lint installed), and nothing
        # listens beyond this machine.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (
            builder.master(args.master)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
    spark = builder.getOrCreate()
    try:
        notes = spark.read.parquet(args.notes)
        findings = audit(notes, args.id_column, args.text_column, tuple(args.rules), args.config)
        findings.write.mode("overwrite").parquet(args.out)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
