"""Corrupted cloud content (moto S3): a damaged cached copy is fetched again, a damaged
remote object raises HashMismatch (issue #13, 7).

Both held before the local checks were added (the cache compares with the remote object
and hashes what it downloads): these tests keep it so.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.s3


@pytest.fixture
def s3_ln(ln, s3_bucket):
    ln.settings.storage = f"{s3_bucket}/project"
    return ln


@pytest.fixture
def remote(s3_ln, tmp_path):
    src = tmp_path / "v.csv"
    src.write_text("a,b\n" + "1,2\n" * 500)
    return s3_ln.Artifact(src, key="t/v.csv").save()


def test_a_truncated_cached_copy_is_fetched_again(s3_ln, remote):
    cached = s3_ln.Artifact.get(remote.uid).cache()
    cached.write_text("a,b\n1,2\n")
    assert len(s3_ln.Artifact.get(remote.uid).load()) == 500


def test_a_changed_remote_object_raises_hash_mismatch(s3_ln, remote):
    remote.path.write_text("a,b\n" + "9,9\n" * 500)  # same size, other bytes
    from tests.support.moto_s3 import clear_s3fs_cache

    clear_s3fs_cache()
    with pytest.raises(s3_ln.errors.HashMismatch):
        s3_ln.Artifact.get(remote.uid).cache(check_hash=True)
