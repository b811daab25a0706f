"""``lamin-lab`` on an S3 storage (a moto server on loopback)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.s3


def test_init_save_load_doctor_delete_on_s3(s3_bucket, shell):
    from upath import UPath

    shell(f"init --storage {s3_bucket}/lab --name s3lab")
    (shell.cwd / "t.csv").write_text("a\n1\n")
    uid = shell("save t.csv --key tables/t.csv").stdout.strip()
    remote = UPath(f"{s3_bucket}/lab/.lamindb/{uid}.csv")
    assert remote.read_text() == "a\n1\n"
    local = shell("load tables/t.csv").stdout.strip()
    assert local.startswith(str(shell.home / "cache")) and open(local).read() == "a\n1\n"
    assert shell("doctor").stdout == "no problems found\n"
    remote.unlink()
    assert f"missing-file: Artifact('{uid}'" in shell("doctor", ok=False).stdout
    shell(f"delete artifact --uid {uid} --permanent")
    assert shell("doctor").stdout == "no problems found\n"


def test_delete_an_s3_instance_keeps_the_cloud_data_and_says_so(s3_bucket, shell):
    shell(f"init --storage {s3_bucket}/lab --name s3lab")
    out = shell("delete s3lab --force")
    assert f"kept the cloud storage {s3_bucket}/lab" in out.stderr
    assert not (shell.home / "instances" / "s3lab.lndb").exists()
