"""A real S3 server for tests: moto's threaded server on loopback, as a pytest plugin.

Use it from a top-level conftest with ``pytest_plugins = ["tests.support.moto_s3"]``
or import the fixtures into a conftest (``from tests.support.moto_s3 import
moto_server, s3_bucket``).

Fixtures
--------
``moto_server`` (session)
    Endpoint URL of an in-process ``ThreadedMotoServer`` on 127.0.0.1 (free port).
``s3_env`` (function)
    Sets ``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID=testing``,
    ``AWS_SECRET_ACCESS_KEY=testing`` (and clears region/profile variables) with
    ``monkeypatch``, resets the server state and clears s3fs' instance cache, so
    every ``s3fs.S3FileSystem()``/``UPath("s3://...")`` made in the test talks to moto.
``s3_bucket`` (function)
    ``"s3://<fresh bucket>"``, created on a freshly reset server.

Examples
--------
>>> def test_upload(s3_bucket):
...     from upath import UPath
...     UPath(f"{s3_bucket}/x.txt").write_text("x")
"""

from __future__ import annotations

import logging
import secrets
import urllib.request
from collections.abc import Iterator

import pytest

ACCESS_KEY = "testing"
SECRET_KEY = "testing"


def start_server() -> tuple[object, str]:
    """Start a moto S3 server on a free loopback port; return ``(server, endpoint_url)``."""
    from moto.server import ThreadedMotoServer

    # werkzeug logs every request at INFO to stderr: keep test output readable
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def reset(endpoint_url: str) -> None:
    """Drop every bucket and object on the moto server."""
    request = urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def create_bucket(endpoint_url: str, name: str | None = None) -> str:
    """Create a bucket (random name if none is given) and return its name.

    No ``region_name`` is passed: with ``us-east-1`` moto rejects the
    ``CreateBucketConfiguration`` botocore then sends.
    """
    import boto3

    name = name or f"lamin-lab-test-{secrets.token_hex(4)}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    return name


def clear_s3fs_cache() -> None:
    """Forget cached s3fs instances so the next one reads the current environment."""
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Endpoint URL of a moto S3 server shared by the whole session."""
    server, url = start_server()
    yield url
    server.stop()


@pytest.fixture
def s3_env(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the AWS environment at the (reset) moto server; yields the endpoint URL."""
    reset(moto_server)
    for var in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    clear_s3fs_cache()
    yield moto_server
    clear_s3fs_cache()


@pytest.fixture
def s3_bucket(s3_env: str) -> str:
    """URL ``s3://<name>`` of a fresh, empty bucket on the moto server."""
    return f"s3://{create_bucket(s3_env)}"
