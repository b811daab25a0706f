import base64
import hashlib
import os

import pytest
from upath import UPath

from lamin_lab.errors import InvalidArgument, StorageError
from lamin_lab.storage import hashing
from lamin_lab.storage.hashing import (
    CHUNK,
    hash_bytes,
    hash_dir,
    hash_file,
    hash_of_hashes,
    hash_string,
    md5_of_file,
)


def _b64(digest):
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:22]


def test_hash_bytes_vectors():
    assert hash_bytes(b"a") == ("DMF1ucDxtqgxw5niaXcmYQ", "md5")
    assert hash_bytes(b"abc") == ("kAFQmDzST7DWlj99KOF_cg", "md5")


def test_hash_string_vector():
    assert hash_string("abc") == "kAFQmDzST7DWlj99KOF_cg"


def test_hash_file_vectors(tmp_path):
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "abc").write_bytes(b"abc")
    assert hash_file(tmp_path / "a") == ("DMF1ucDxtqgxw5niaXcmYQ", "md5")
    assert hash_file(str(tmp_path / "abc")) == ("kAFQmDzST7DWlj99KOF_cg", "md5")


def test_hash_file_of_empty_file(tmp_path):
    (tmp_path / "e").write_bytes(b"")
    assert hash_file(tmp_path / "e") == (_b64(hashlib.md5(b"").digest()), "md5")


def test_hash_file_spanning_many_buffers_is_plain_md5(tmp_path, monkeypatch):
    monkeypatch.setattr(hashing, "BUFFER_SIZE", 1000)
    monkeypatch.setattr(hashing._local, "buffer", memoryview(bytearray(1000)), raising=False)
    data = os.urandom(12_345)
    (tmp_path / "f").write_bytes(data)
    assert hash_file(tmp_path / "f") == (_b64(hashlib.md5(data).digest()), "md5")


def test_hash_file_exactly_chunk_size_is_md5(tmp_path):
    data = b"x" * CHUNK
    (tmp_path / "f").write_bytes(data)
    assert hash_file(tmp_path / "f") == (_b64(hashlib.md5(data).digest()), "md5")


def test_hash_file_above_chunk_is_sha1_first_last(tmp_path):
    data = os.urandom(1024) * (CHUNK // 1024) + b"tail-bytes"
    (tmp_path / "big").write_bytes(data)
    first = hashlib.sha1(data[:CHUNK]).digest()
    last = hashlib.sha1(data[-CHUNK:]).digest()
    expected = _b64(hashlib.sha1(first + last).digest())
    assert hash_file(tmp_path / "big") == (expected, "sha1-fl")
    assert hash_bytes(data) == (expected, "sha1-fl")


def test_md5_of_file_reads_everything(tmp_path):
    data = b"y" * (CHUNK + 7)
    (tmp_path / "big").write_bytes(data)
    assert md5_of_file(tmp_path / "big") == _b64(hashlib.md5(data).digest())


def test_hash_file_errors(tmp_path):
    with pytest.raises(StorageError, match="no such file"):
        hash_file(tmp_path / "missing")
    with pytest.raises(InvalidArgument, match="use hash_dir"):
        hash_file(tmp_path)


def test_hash_of_hashes_definition():
    hashes = ["kAFQmDzST7DWlj99KOF_cg", "DMF1ucDxtqgxw5niaXcmYQ"]
    joined = b"".join(hashlib.md5(h.encode()).digest() for h in sorted(hashes))
    assert hash_of_hashes(hashes) == (_b64(hashlib.md5(joined).digest()), "md5-d")


def _make_dir(root):
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"a")
    (root / "sub" / "b.txt").write_bytes(b"abc")
    return root


def test_hash_dir_value_count_and_size(tmp_path):
    folder = _make_dir(tmp_path / "d")
    expected = hash_of_hashes(["DMF1ucDxtqgxw5niaXcmYQ", "kAFQmDzST7DWlj99KOF_cg"])[0]
    assert hash_dir(folder) == (expected, "md5-d", 2, 4)


def test_hash_dir_ignores_names_but_sees_content(tmp_path):
    one = _make_dir(tmp_path / "one")
    two = _make_dir(tmp_path / "two")
    (two / "sub" / "b.txt").rename(two / "renamed.txt")
    assert hash_dir(one)[0] == hash_dir(two)[0]
    (two / "renamed.txt").write_bytes(b"abd")
    assert hash_dir(one)[0] != hash_dir(two)[0]


def test_hash_dir_rejects_empty_and_missing_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidArgument, match="contains no files"):
        hash_dir(tmp_path / "empty")
    with pytest.raises(InvalidArgument, match="no such folder"):
        hash_dir(tmp_path / "missing")


def test_hash_file_on_memory_filesystem():
    UPath("memory://hashbucket/a.txt").write_bytes(b"abc")
    assert hash_file("memory://hashbucket/a.txt") == ("kAFQmDzST7DWlj99KOF_cg", "md5")


@pytest.mark.s3
def test_hash_file_on_s3_streams_small_and_large(s3_bucket, tmp_path, monkeypatch):
    # a small CHUNK exercises the first/last range reads without moving 100 MiB
    monkeypatch.setattr(hashing, "CHUNK", 4096)
    monkeypatch.setattr(hashing, "BUFFER_SIZE", 1000)
    monkeypatch.setattr(hashing._local, "buffer", memoryview(bytearray(1000)), raising=False)
    big = os.urandom(10_000)
    UPath(f"{s3_bucket}/a.txt").write_bytes(b"a")
    UPath(f"{s3_bucket}/big.bin").write_bytes(big)
    (tmp_path / "big.bin").write_bytes(big)
    assert hash_file(f"{s3_bucket}/a.txt") == ("DMF1ucDxtqgxw5niaXcmYQ", "md5")
    first, last = hashlib.sha1(big[:4096]).digest(), hashlib.sha1(big[-4096:]).digest()
    expected = (_b64(hashlib.sha1(first + last).digest()), "sha1-fl")
    assert hash_file(f"{s3_bucket}/big.bin") == expected
    assert hash_file(tmp_path / "big.bin") == expected


@pytest.mark.s3
def test_hash_dir_on_s3_equals_local(s3_bucket, tmp_path):
    folder = _make_dir(tmp_path / "d")
    UPath(f"{s3_bucket}/d/a.txt").write_bytes(b"a")
    UPath(f"{s3_bucket}/d/sub/b.txt").write_bytes(b"abc")
    assert hash_dir(f"{s3_bucket}/d") == hash_dir(folder)


def test_no_progress_bar_for_small_work():
    assert hashing._Progress(1024, "hashing x").bar is None


def test_progress_bar_waits_a_second_before_showing(monkeypatch, capsys):
    monkeypatch.setattr(hashing, "PROGRESS_MIN_BYTES", 0)
    progress = hashing._Progress(10, "hashing x")
    assert progress.bar is not None and progress.bar.delay == 1.0
    progress.update(10)
    progress.close()
    assert "hashing x" not in capsys.readouterr().err
