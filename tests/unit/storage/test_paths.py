from pathlib import Path

import pytest

from lamin_lab.errors import InvalidArgument, UnknownStorageLocation
from lamin_lab.storage.paths import (
    is_cloud,
    is_inside,
    key_inside,
    storage_type,
    suffix_of,
    to_path,
    validate_key,
)


def test_to_path_keeps_local_paths_as_pathlib(tmp_path):
    assert to_path(str(tmp_path / "a.csv")) == tmp_path / "a.csv"
    assert type(to_path(str(tmp_path))) is type(tmp_path)


def test_to_path_turns_file_urls_into_local_paths():
    assert to_path("file:///tmp/x.csv") == Path("/tmp/x.csv")


def test_to_path_expands_home():
    assert to_path("~/x.csv") == Path.home() / "x.csv"


@pytest.mark.parametrize(
    ("url", "cls"),
    [("s3://bucket/a.csv", "S3Path"), ("gs://bucket/a", "GCSPath"), ("memory://b/a", "MemoryPath")],
)
def test_to_path_makes_upath_for_cloud_urls(url, cls):
    path = to_path(url)
    assert type(path).__name__ == cls
    assert path.name == url.rsplit("/", 1)[1]


def test_to_path_rejects_non_paths_and_empty_strings():
    with pytest.raises(InvalidArgument, match="expected a path or a string"):
        to_path(3)
    with pytest.raises(InvalidArgument, match="path is empty"):
        to_path("")


@pytest.mark.parametrize(
    ("root", "kind"),
    [
        ("/data", "local"),
        (Path("/data"), "local"),
        ("file:///data", "local"),
        ("s3://b", "s3"),
        ("s3a://b", "s3"),
        ("gs://b", "gs"),
        ("gcs://b", "gs"),
        ("memory://x", "memory"),
        ("https://host/x", "https"),
    ],
)
def test_storage_type(root, kind):
    assert storage_type(root) == kind


def test_storage_type_of_upath():
    assert storage_type(to_path("s3://bucket/key")) == "s3"
    assert is_cloud(to_path("s3://bucket/key")) and not is_cloud("/tmp")


def test_is_inside_local(tmp_path):
    assert is_inside(tmp_path / "a" / "b.csv", tmp_path)
    assert is_inside(tmp_path, tmp_path)
    assert not is_inside(tmp_path.parent, tmp_path)


def test_is_inside_local_resolves_dotdot(tmp_path):
    assert not is_inside(tmp_path / "x" / ".." / ".." / "y", tmp_path)


def test_is_inside_cloud_on_segment_boundaries():
    assert is_inside("s3://bucket/a/b.csv", "s3://bucket/a/")
    assert not is_inside("s3://bucket/ab.csv", "s3://bucket/a")
    assert not is_inside("s3://other/a/b.csv", "s3://bucket")
    assert not is_inside("gs://bucket/a", "s3://bucket")
    assert not is_inside("/bucket/a", "s3://bucket")


def test_key_inside_local_and_cloud(tmp_path):
    assert key_inside(tmp_path / "x" / "y.csv", tmp_path) == "x/y.csv"
    assert key_inside("s3://bucket/x/y.csv", "s3://bucket") == "x/y.csv"
    assert key_inside(to_path("s3://bucket/x/y.csv"), to_path("s3://bucket/x")) == "y.csv"


def test_key_inside_rejects_outside_and_root(tmp_path):
    with pytest.raises(UnknownStorageLocation, match="not inside the storage location"):
        key_inside("s3://bucket2/x", "s3://bucket")
    with pytest.raises(UnknownStorageLocation):
        key_inside(tmp_path, tmp_path)


def test_validate_key_accepts_clean_keys():
    assert validate_key("a/b.csv") == "a/b.csv"
    assert validate_key("reads.fastq.gz") == "reads.fastq.gz"


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("", "key is empty"),
        ("/a/b.csv", "is absolute; keys are relative to the storage root, e.g. 'a/b.csv'"),
        ("C:/data/x", "is absolute"),
        ("a//b", "write it as 'a/b'"),
        ("a/../b", "'.' or '..' segments"),
        ("./a", "'.' or '..' segments"),
        ("a\\b", "use forward slashes: 'a/b'"),
        ("a/b/", "drop the trailing slash: 'a/b'"),
        ("a\x00b", "control characters"),
    ],
)
def test_validate_key_rejects_bad_keys_with_a_fix(key, fragment):
    with pytest.raises(InvalidArgument) as info:
        validate_key(key)
    assert fragment in str(info.value)


def test_validate_key_rejects_non_strings():
    with pytest.raises(InvalidArgument, match="must be a string"):
        validate_key(Path("a"))


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("a.csv", ".csv"),
        ("folder/a.h5ad", ".h5ad"),
        ("noext", ""),
        ("pbmc.anndata.zarr", ".anndata.zarr"),
        ("x.y.anndata.zarr", ".anndata.zarr"),
        ("img.ome.zarr", ".ome.zarr"),
        ("store.zarr/", ".zarr"),
        ("archive.tar.gz", ".tar.gz"),
        ("reads.fastq.gz", ".fastq.gz"),
        ("table.csv.gz", ".csv.gz"),
        ("run.2024.tar.gz", ".tar.gz"),
        ("my.data.csv", ".csv"),
        ("notes.random.gz", ".gz"),
        ("model.v1", ".v1"),
        ("checkpoint.1", ""),
        ("version.1.2", ""),
        ("s3://bucket/dir/a.parquet", ".parquet"),
    ],
)
def test_suffix_of(name, suffix):
    assert suffix_of(name) == suffix


def test_suffix_of_accepts_paths():
    assert suffix_of(Path("/x/a.h5mu")) == ".h5mu"
    assert suffix_of(to_path("s3://b/a.anndata.zarr")) == ".anndata.zarr"


@pytest.mark.s3
def test_s3_endpoint_and_credentials_come_from_aws_env(s3_bucket, s3_env):
    import boto3

    # written with an explicit endpoint, read back with nothing but the environment
    client = boto3.client(
        "s3", endpoint_url=s3_env, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    client.put_object(Bucket=s3_bucket[len("s3://") :], Key="env/x.txt", Body=b"via env")
    assert to_path(f"{s3_bucket}/env/x.txt").read_bytes() == b"via env"
