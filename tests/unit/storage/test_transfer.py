import os
from pathlib import Path

import pytest
import s3fs
from upath import UPath

from lamin_lab.errors import InvalidArgument, StorageError
from lamin_lab.storage import atomic
from lamin_lab.storage.atomic import TMP_MARKER, atomic_copy, move_into_place
from lamin_lab.storage.transfer import delete_path, put, size_and_n_files


def _folder(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("A")
    (root / "sub" / "b.txt").write_text("BB")
    return root


def _tree(root) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(Path(root).rglob("*"))
        if p.is_file()
    }


def _failing_copy(fail_on: str):
    """A _copy_file that writes half of ``fail_on`` and then raises, as a full disk would."""
    real = atomic._copy_file

    def copy(src, dst):
        if src.name == fail_on:
            dst.write_bytes(src.read_bytes()[:1])
            raise OSError(28, "No space left on device")
        real(src, dst)

    return copy


def test_put_local_file_creates_parents(tmp_path):
    (tmp_path / "src.txt").write_text("hello")
    out = put(tmp_path / "src.txt", tmp_path / "x" / "y" / "dst.txt")
    assert out == tmp_path / "x" / "y" / "dst.txt"
    assert out.read_text() == "hello"
    assert os.listdir(out.parent) == ["dst.txt"]


def test_put_local_file_replaces_existing(tmp_path):
    (tmp_path / "src.txt").write_text("new")
    (tmp_path / "dst.txt").write_text("old")
    put(tmp_path / "src.txt", tmp_path / "dst.txt")
    assert (tmp_path / "dst.txt").read_text() == "new"


def test_put_local_folder_replaces_whole_folder(tmp_path):
    src = _folder(tmp_path / "src")
    dst = tmp_path / "dst"
    dst.mkdir()
    (dst / "stale.txt").write_text("old")
    put(src, dst)
    assert _tree(dst) == {"a.txt": "A", "sub/b.txt": "BB"}
    assert sorted(os.listdir(tmp_path)) == ["dst", "src"]


def test_failed_file_copy_leaves_nothing(tmp_path, monkeypatch):
    (tmp_path / "src.bin").write_bytes(b"0123456789")
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(atomic, "_copy_file", _failing_copy("src.bin"))
    with pytest.raises(StorageError) as info:
        put(tmp_path / "src.bin", tmp_path / "out" / "dst.bin")
    assert "cannot copy" in str(info.value) and "No space left" in str(info.value)
    assert os.listdir(tmp_path / "out") == []


def test_failed_file_copy_keeps_old_content(tmp_path, monkeypatch):
    (tmp_path / "src.bin").write_bytes(b"new content")
    (tmp_path / "dst.bin").write_bytes(b"old")
    monkeypatch.setattr(atomic, "_copy_file", _failing_copy("src.bin"))
    with pytest.raises(StorageError):
        put(tmp_path / "src.bin", tmp_path / "dst.bin")
    assert (tmp_path / "dst.bin").read_bytes() == b"old"
    assert not [n for n in os.listdir(tmp_path) if TMP_MARKER in n]


def test_failed_folder_copy_midway_leaves_nothing(tmp_path, monkeypatch):
    src = _folder(tmp_path / "src")
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(atomic, "_copy_file", _failing_copy("b.txt"))  # a.txt copied first
    with pytest.raises(StorageError, match="nothing was written there"):
        put(src, tmp_path / "out" / "folder")
    assert os.listdir(tmp_path / "out") == []


def test_move_into_place_swaps_file_for_folder(tmp_path):
    (tmp_path / "tmpdir").mkdir()
    (tmp_path / "tmpdir" / "f").write_text("f")
    (tmp_path / "dst").write_text("was a file")
    move_into_place(tmp_path / "tmpdir", tmp_path / "dst")
    assert _tree(tmp_path / "dst") == {"f": "f"}
    assert sorted(os.listdir(tmp_path)) == ["dst"]


def test_atomic_copy_of_missing_source(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        atomic_copy(tmp_path / "nope", tmp_path / "dst")


def test_put_rejects_cloud_source():
    with pytest.raises(InvalidArgument, match="call cache"):
        put("s3://bucket/x", "/tmp/x")


def test_delete_path_local(tmp_path):
    folder = _folder(tmp_path / "f")
    (tmp_path / "file").write_text("x")
    assert delete_path(folder) is True
    assert delete_path(tmp_path / "file") is True
    assert delete_path(tmp_path / "file") is False
    assert os.listdir(tmp_path) == []
    with pytest.raises(StorageError, match="does not exist"):
        delete_path(tmp_path / "file", missing_ok=False)


def test_size_and_n_files_local(tmp_path):
    folder = _folder(tmp_path / "f")
    assert size_and_n_files(folder) == (3, 2)
    assert size_and_n_files(folder / "sub" / "b.txt") == (2, 1)
    with pytest.raises(StorageError, match="does not exist"):
        size_and_n_files(tmp_path / "missing")


@pytest.mark.s3
def test_put_file_to_s3_and_back(s3_bucket, tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    out = put(tmp_path / "x.csv", f"{s3_bucket}/dir/x.csv")
    assert str(out) == f"{s3_bucket}/dir/x.csv"
    assert UPath(f"{s3_bucket}/dir/x.csv").read_text() == "a,b\n1,2\n"
    assert size_and_n_files(f"{s3_bucket}/dir/x.csv") == (8, 1)


@pytest.mark.s3
def test_put_folder_to_s3_mirrors_source(s3_bucket, tmp_path):
    src = _folder(tmp_path / "src")
    UPath(f"{s3_bucket}/f/stale.txt").write_text("old")
    put(src, f"{s3_bucket}/f")
    fs = s3fs.S3FileSystem()
    bucket = s3_bucket[len("s3://") :]
    assert sorted(fs.find(f"{bucket}/f")) == [f"{bucket}/f/a.txt", f"{bucket}/f/sub/b.txt"]
    assert fs.cat(f"{bucket}/f/sub/b.txt") == b"BB"
    assert size_and_n_files(f"{s3_bucket}/f") == (3, 2)


@pytest.mark.s3
def test_failed_s3_folder_upload_deletes_what_it_uploaded(s3_bucket, tmp_path, monkeypatch):
    src = _folder(tmp_path / "src")
    (src / "c.txt").write_text("C")
    real = s3fs.S3FileSystem._put_file

    async def failing_put_file(self, lpath, rpath, *args, **kwargs):
        if lpath.endswith("b.txt"):
            raise OSError("connection reset by peer")
        return await real(self, lpath, rpath, *args, **kwargs)

    monkeypatch.setattr(s3fs.S3FileSystem, "_put_file", failing_put_file)
    with pytest.raises(StorageError) as info:
        put(src, f"{s3_bucket}/f")
    assert "connection reset" in str(info.value) and "deleted again" in str(info.value)
    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    assert fs.find(s3_bucket[len("s3://") :]) == []


@pytest.mark.s3
def test_failed_s3_file_upload_leaves_nothing(s3_bucket, tmp_path, monkeypatch):
    (tmp_path / "x.bin").write_bytes(b"data")

    async def failing_put_file(self, lpath, rpath, *args, **kwargs):
        raise OSError("connection reset by peer")

    monkeypatch.setattr(s3fs.S3FileSystem, "_put_file", failing_put_file)
    with pytest.raises(StorageError, match="cannot upload"):
        put(tmp_path / "x.bin", f"{s3_bucket}/x.bin")
    assert s3fs.S3FileSystem(skip_instance_cache=True).find(s3_bucket[len("s3://") :]) == []


@pytest.mark.s3
def test_delete_path_on_s3(s3_bucket, tmp_path):
    put(_folder(tmp_path / "src"), f"{s3_bucket}/f")
    UPath(f"{s3_bucket}/one.txt").write_text("1")
    assert delete_path(f"{s3_bucket}/f") is True
    assert delete_path(f"{s3_bucket}/one.txt") is True
    assert delete_path(f"{s3_bucket}/one.txt") is False
    assert s3fs.S3FileSystem(skip_instance_cache=True).find(s3_bucket[len("s3://") :]) == []


def test_put_and_delete_on_memory_filesystem(tmp_path):
    (tmp_path / "m.txt").write_text("m")
    put(tmp_path / "m.txt", "memory://transfer-test/m.txt")
    assert UPath("memory://transfer-test/m.txt").read_text() == "m"
    assert delete_path("memory://transfer-test/m.txt") is True
    assert not UPath("memory://transfer-test/m.txt").exists()
