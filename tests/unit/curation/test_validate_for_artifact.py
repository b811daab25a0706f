"""What ``Artifact.from_dataframe(df, schema=...)`` calls in the curation layer."""

from __future__ import annotations

import pytest

from lamin_lab.errors import InvalidArgument


def test_schema_only_for_dataframes_and_anndata(ln):
    import lamin_lab.curation as curation

    schema = ln.Schema(itype=ln.Feature).save()
    with pytest.raises(
        InvalidArgument, match="schema= validates pandas DataFrames and AnnData objects, not list"
    ):
        curation.validate_for_artifact([1, 2], schema)
