"""Local content that no longer matches its record is refused, not read (issue #13, 7 and 8).

Before the fix a truncated CSV loaded part of its rows without a word, and a damaged
parquet file raised pyarrow's own ``ArrowInvalid`` out of ``open()``.
"""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def table(ln):
    df = pd.DataFrame({"x": range(2000), "y": ["v"] * 2000})
    return ln.Artifact.from_dataframe(df, key="t.csv", format=".csv").save()


def _truncate(path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def test_a_truncated_file_is_refused_by_load_with_what_to_do(ln, table):
    _truncate(table.path)
    with pytest.raises(ln.errors.HashMismatch, match="Restore the file, or record its new content"):
        ln.Artifact.get(table.uid).load()


@pytest.mark.parametrize("call", ["cache", "load", "open"])
def test_every_read_checks_the_size(ln, tmp_path, call):
    df = pd.DataFrame({"x": range(100)})
    a = ln.Artifact.from_dataframe(df, key="t.parquet").save()
    _truncate(a.path, 0.9)
    with pytest.raises(ln.errors.HashMismatch):
        getattr(ln.Artifact.get(a.uid), call)()  # read afresh: not the DataFrame kept in memory


def test_same_size_different_bytes_is_found_by_a_full_hash_check(ln, table):
    data = bytearray(table.path.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    table.path.write_bytes(bytes(data))
    assert table.cache() == table.path  # size agrees: the cheap check passes
    with pytest.raises(ln.errors.HashMismatch, match="has hash"):
        table.cache(check_hash=True)


def test_an_intact_file_passes_the_full_check(ln, table):
    assert table.cache(check_hash=True) == table.path
    assert len(table.load()) == 2000


def test_a_damaged_file_of_the_right_size_raises_a_storage_error_from_open(ln):
    a = ln.Artifact.from_dataframe(pd.DataFrame({"x": range(100)}), key="t.parquet").save()
    size = a.path.stat().st_size
    a.path.write_bytes(bytes(size))
    with pytest.raises(ln.errors.StorageError, match="check it with artifact.cache"):
        a.open().to_table()
    with pytest.raises(ln.errors.StorageError):
        ln.Artifact.get(a.uid).load()
