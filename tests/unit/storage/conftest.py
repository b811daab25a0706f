"""Fixtures for the storage tests: the moto S3 server plugin.

If the top-level conftest lists ``pytest_plugins = ["tests.support.moto_s3"]``
this import is redundant (same fixture objects); it makes this folder runnable
on its own.
"""

from tests.support.moto_s3 import moto_server, s3_bucket, s3_env  # noqa: F401
