"""The suffix an artifact records for a name: LaminDB's table of cases (checked on lamindb 2.12.1)."""

from __future__ import annotations

import pytest

from lamin_lab.storage.suffixes import artifact_suffix, key_raw_suffix

CASES = [
    ("a.TXT", ".txt", ".txt"),
    ("g.PNG", ".png", ".png"),
    ("p.Csv", ".csv", ".csv"),
    ("b.tar.gz", ".tar.gz", ".tar.gz"),
    ("c.fastq.gz", ".fastq.gz", ".fastq.gz"),
    ("h.csv.gz", ".csv.gz", ".csv.gz"),
    ("i.h5ad.tar.gz", ".h5ad.tar.gz", ".h5ad.tar.gz"),
    ("j.random.gz", ".gz", ".gz"),
    ("o.gz", ".gz", ".gz"),
    ("s.json.bz2", ".json.bz2", ".json.bz2"),
    ("r.tar", ".tar", ".tar"),
    ("d.ome.zarr", ".ome.zarr", ".ome.zarr"),
    ("q.OME.ZARR", ".ome.zarr", ".ome.zarr"),
    ("l.anndata.zarr", ".anndata.zarr", ".anndata.zarr"),
    ("k.spatialdata.zarr", ".zarr", ".zarr"),
    ("v.vitessce.json", ".vitessce.json", ".vitessce.json"),
    ("m.my.data.csv", ".csv", ".csv"),
    ("w.parquet", ".parquet", ".parquet"),
    ("e", "", ""),
    ("x.v1.2", "", ".2"),
    ("f.abcdef", "", ".abcdef"),
    ("n.123", "", ".123"),
    ("t.R", "", ".r"),
    ("u.tsv.gz.backup", "", ".backup"),
    ("folder/sub.d/file", "", ""),
]


@pytest.mark.parametrize(("name", "recorded", "raw"), CASES)
def test_artifact_suffix_of_a_name(name, recorded, raw):
    assert artifact_suffix(name) == (recorded, raw)


def test_a_trailing_slash_of_a_folder_is_ignored():
    assert artifact_suffix("/data/cells.zarr/") == (".zarr", ".zarr")


def test_the_raw_suffix_of_a_key_is_lower_cased():
    assert (key_raw_suffix("raw/A.CSV"), key_raw_suffix("raw/x.v1.2")) == (".csv", ".2")
