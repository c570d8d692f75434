"""Reframe for Python: find stigmatizing, pathologizing and blaming language in text.

``Linter`` runs the same engine, rule library and ``.reframe.toml`` settings as the ``reframe``
command. ``check`` lints one text; ``check_many`` lints many on every core; ``check_frame`` and
``check_arrow`` return one row per finding as a pandas DataFrame or a pyarrow Table (pandas and
pyarrow are imported only when those are called).
"""

from __future__ import annotations

from ._reframe import ConfigError, Finding, __version__
from ._reframe import Linter as _EngineLinter

# Not `typing.TYPE_CHECKING`: importing typing would double the `reframe` command's start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Optional, Sequence

    import pandas
    import pyarrow

__all__ = [
    "COLUMNS",
    "ConfigError",
    "Finding",
    "Linter",
    "__version__",
    "to_arrow",
    "to_pandas",
]

#: The columns of ``check_frame``, ``check_arrow``, ``to_pandas`` and ``to_arrow``, one row per
#: finding: the document's id, where the match is (string indices and UTF-8 bytes), what matched
#: and the sentence around it.
COLUMNS = (
    "id",
    "rule",
    "category",
    "severity",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "matched",
    "context",
    "message",
    "reframe",
)


class Linter(_EngineLinter):
    """Checks text with the built-in rule library, rule packs and ``.reframe.toml`` settings.

    ``Linter(rules=None, config=None)``: ``rules`` lists rule pack files or folders added to the
    built-in library; ``config`` is a ``.reframe.toml`` path or a dict with the same keys
    (``disable``, ``allow``, ``rules``, ``quotes``, ``severity``). A pack or setting that cannot
    be used raises ``ConfigError`` with ``path:line:column: what is wrong``.
    """

    def check_frame(
        self,
        texts: Iterable[Optional[str]],
        ids: Optional[Iterable[Any]] = None,
        *,
        threads: Optional[int] = None,
        markdown: bool = True,
    ) -> "pandas.DataFrame":
        """Checks ``texts`` with ``check_many`` and returns a pandas DataFrame with one row per
        finding and the columns in ``COLUMNS``; ``ids`` name the texts (their positions if not
        given). Missing texts (``None``, NaN, ``pd.NA``) have no findings."""
        texts = _missing_as_none(texts)
        return to_pandas(self.check_many(texts, threads=threads, markdown=markdown), ids)

    def check_arrow(
        self,
        texts: Iterable[Optional[str]],
        ids: Optional[Iterable[Any]] = None,
        *,
        threads: Optional[int] = None,
        markdown: bool = True,
    ) -> "pyarrow.Table":
        """Like ``check_frame``, as a pyarrow Table."""
        texts = _missing_as_none(texts)
        return to_arrow(self.check_many(texts, threads=threads, markdown=markdown), ids)


def _missing_as_none(texts: Iterable[Any]) -> list[Optional[str]]:
    """The texts, with pandas' missing values (NaN, ``pd.NA``) as ``None``."""
    return [t if isinstance(t, str) or t is None or not _is_missing(t) else None for t in texts]


def _is_missing(value: Any) -> bool:
    """NaN and ``pd.NA`` are not equal to themselves (``pd.NA``'s comparison is not a bool)."""
    try:
        return bool(value != value)
    except TypeError:
        return True


def _columns(
    results: Sequence[Sequence[Finding]], ids: Optional[Iterable[Any]]
) -> dict[str, list[Any]]:
    """The findings of ``check_many`` as columns, one entry per finding."""
    ids = list(range(len(results))) if ids is None else list(ids)
    if len(ids) != len(results):
        raise ValueError(f"{len(ids)} ids for {len(results)} documents")
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for doc_id, findings in zip(ids, results):
        for f in findings:
            columns["id"].append(doc_id)
            columns["rule"].append(f.rule)
            columns["category"].append(f.category)
            columns["severity"].append(f.severity)
            columns["start"].append(f.start)
            columns["end"].append(f.end)
            columns["byte_start"].append(f.byte_start)
            columns["byte_end"].append(f.byte_end)
            columns["matched"].append(f.matched)
            columns["context"].append(f.sentence)
            columns["message"].append(f.message)
            columns["reframe"].append(f.reframes[0] if f.reframes else None)
    return columns


def to_pandas(
    results: Sequence[Sequence[Finding]], ids: Optional[Iterable[Any]] = None
) -> "pandas.DataFrame":
    """``check_many``'s results as a pandas DataFrame, one row per finding (see ``COLUMNS``)."""
    import pandas

    columns = _columns(results, ids)
    frame = pandas.DataFrame(columns, columns=list(COLUMNS))
    for name in ("start", "end", "byte_start", "byte_end"):
        frame[name] = frame[name].astype("int64")
    return frame


def to_arrow(
    results: Sequence[Sequence[Finding]], ids: Optional[Iterable[Any]] = None
) -> "pyarrow.Table":
    """``check_many``'s results as a pyarrow Table, one row per finding (see ``COLUMNS``)."""
    import pyarrow

    columns = _columns(results, ids)
    offsets = {"start", "end", "byte_start", "byte_end"}
    arrays = [
        pyarrow.array(
            columns[name],
            type=None
            if name == "id"
            else pyarrow.int64()
            if name in offsets
            else pyarrow.string(),
        )
        for name in COLUMNS
    ]
    return pyarrow.Table.from_arrays(arrays, names=list(COLUMNS))
