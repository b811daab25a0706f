import importlib
import os
from pathlib import Path

import pytest
from upath import UPath

from lamin_lab.errors import HashMismatch, InvalidArgument, StorageError
from lamin_lab.storage.cache import cache, cache_path_for
from lamin_lab.storage.hashing import hash_bytes, hash_dir
from lamin_lab.storage.transfer import put

cache_module = importlib.import_module(
    "lamin_lab.storage.cache"
)  # the package attribute is the function


def _count_downloads(monkeypatch):
    calls = []
    real = cache_module._download

    def counting(fs, pairs, *args, **kwargs):
        calls.extend(rpath for rpath, _ in pairs)
        return real(fs, pairs, *args, **kwargs)

    monkeypatch.setattr(cache_module, "_download", counting)
    return calls


def test_cache_path_for_layout(tmp_path):
    assert cache_path_for("s3://lab/raw/a.h5ad", tmp_path) == tmp_path / "lab" / "raw" / "a.h5ad"
    assert cache_path_for("gs://b/k/", tmp_path) == tmp_path / "b" / "k"
    assert cache_path_for(UPath("s3://b/k/x.csv"), tmp_path) == tmp_path / "b" / "k" / "x.csv"


def test_cache_path_for_rejects_local_and_escaping_keys(tmp_path):
    with pytest.raises(InvalidArgument, match="is local and is not cached"):
        cache_path_for(tmp_path / "x", tmp_path)
    with pytest.raises(InvalidArgument, match="escape the cache folder"):
        cache_path_for("s3://b/../../etc/passwd", tmp_path)


def test_cache_returns_local_paths_unchanged(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    assert cache(str(tmp_path / "x.txt"), tmp_path / "cache") == tmp_path / "x.txt"
    assert not (tmp_path / "cache").exists()


@pytest.mark.s3
def test_cache_downloads_once(s3_bucket, tmp_path, monkeypatch):
    UPath(f"{s3_bucket}/d/x.txt").write_text("content")
    calls = _count_downloads(monkeypatch)
    local = cache(f"{s3_bucket}/d/x.txt", tmp_path)
    assert local == tmp_path / s3_bucket[5:] / "d" / "x.txt"
    assert local.read_text() == "content"
    assert cache(f"{s3_bucket}/d/x.txt", tmp_path) == local
    assert len(calls) == 1
    assert not [n for n in os.listdir(local.parent) if n != "x.txt"]


@pytest.mark.s3
def test_cache_redownloads_when_remote_changes(s3_bucket, tmp_path, monkeypatch):
    remote = UPath(f"{s3_bucket}/x.txt")
    remote.write_text("v1")
    calls = _count_downloads(monkeypatch)
    cache(remote, tmp_path)
    remote.write_text("v2")  # same size, same second: only the ETag tells
    assert cache(remote, tmp_path).read_text() == "v2"
    assert len(calls) == 2


@pytest.mark.s3
def test_cache_redownloads_when_local_copy_was_edited(s3_bucket, tmp_path, monkeypatch):
    UPath(f"{s3_bucket}/x.txt").write_text("remote")
    calls = _count_downloads(monkeypatch)
    local = cache(f"{s3_bucket}/x.txt", tmp_path)
    local.write_text("edited")
    assert cache(f"{s3_bucket}/x.txt", tmp_path).read_text() == "remote"
    assert len(calls) == 2


@pytest.mark.s3
def test_cache_verifies_expected_hash(s3_bucket, tmp_path):
    UPath(f"{s3_bucket}/x.txt").write_bytes(b"abc")
    local = cache(
        f"{s3_bucket}/x.txt", tmp_path, expected_hash="kAFQmDzST7DWlj99KOF_cg", hash_type="md5"
    )
    assert local.read_bytes() == b"abc"


@pytest.mark.s3
def test_cache_hash_mismatch_deletes_the_download(s3_bucket, tmp_path):
    UPath(f"{s3_bucket}/x.txt").write_bytes(b"tampered")
    with pytest.raises(HashMismatch) as info:
        cache(
            f"{s3_bucket}/x.txt", tmp_path, expected_hash="kAFQmDzST7DWlj99KOF_cg", hash_type="md5"
        )
    assert "'kAFQmDzST7DWlj99KOF_cg' was expected" in str(info.value)
    assert "cached copy was deleted" in str(info.value)
    assert not cache_path_for(f"{s3_bucket}/x.txt", tmp_path).exists()
    assert not (tmp_path / cache_module.META_DIR).exists()


@pytest.mark.s3
def test_cache_of_missing_object(s3_bucket, tmp_path):
    with pytest.raises(StorageError, match="does not exist in storage"):
        cache(f"{s3_bucket}/nope.txt", tmp_path)


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


@pytest.mark.s3
def test_cache_folder_syncs_only_changed_files(s3_bucket, tmp_path, monkeypatch):
    src = _folder(tmp_path / "src")
    put(src, f"{s3_bucket}/f")
    calls = _count_downloads(monkeypatch)
    local = cache(f"{s3_bucket}/f", tmp_path / "cache")
    assert _tree(local) == {"a.txt": "A", "sub/b.txt": "BB"}
    UPath(f"{s3_bucket}/f/sub/b.txt").write_text("B2")
    UPath(f"{s3_bucket}/f/a.txt").unlink()
    cache(f"{s3_bucket}/f", tmp_path / "cache")
    assert _tree(local) == {"sub/b.txt": "B2"}
    bucket = s3_bucket[5:]
    assert calls == [f"{bucket}/f/a.txt", f"{bucket}/f/sub/b.txt", f"{bucket}/f/sub/b.txt"]


@pytest.mark.s3
def test_cache_folder_verifies_folder_hash(s3_bucket, tmp_path):
    src = _folder(tmp_path / "src")
    put(src, f"{s3_bucket}/f")
    expected = hash_dir(src)[0]
    local = cache(f"{s3_bucket}/f", tmp_path / "cache", expected_hash=expected, hash_type="md5-d")
    assert _tree(local) == {"a.txt": "A", "sub/b.txt": "BB"}
    UPath(f"{s3_bucket}/f/a.txt").write_text("X")
    with pytest.raises(HashMismatch):
        cache(f"{s3_bucket}/f", tmp_path / "cache", expected_hash=expected, hash_type="md5-d")
    assert not local.exists()


def test_cache_on_memory_filesystem(tmp_path):
    UPath("memory://cache-test/m.txt").write_bytes(b"a")
    local = cache("memory://cache-test/m.txt", tmp_path, expected_hash=hash_bytes(b"a")[0])
    assert local == tmp_path / "cache-test" / "m.txt"
    assert local.read_bytes() == b"a"
