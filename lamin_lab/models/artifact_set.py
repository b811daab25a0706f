"""``ArtifactSet``: what QuerySets of artifacts can do beyond filtering (load, open, mapped)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..orm import QuerySet
from .artifact_io import TABULAR_SUFFIXES, cache_artifact, load_artifact


def concat_loaded(artifacts: list[Any], objects: list[Any], join: str = "outer") -> Any:
    """Concatenate loaded DataFrames or AnnDatas, tagging rows with their artifact's uid."""
    if join not in ("inner", "outer"):
        raise InvalidArgument(f"join must be 'inner' or 'outer', not {join!r}.")
    kinds = {type(o).__name__ for o in objects}
    if kinds == {"DataFrame"}:
        import pandas as pd

        tagged = [o.assign(artifact_uid=a.uid) for a, o in zip(artifacts, objects)]
        return pd.concat(tagged, join=join, ignore_index=False)
    if kinds == {"AnnData"}:
        import anndata as ad

        return ad.concat(objects, join=join, label="artifact_uid", keys=[a.uid for a in artifacts], index_unique="-")
    raise InvalidArgument(
        f"Can only concatenate DataFrames or AnnDatas, found {sorted(kinds)}: load the artifacts one by one instead."
    )


class ArtifactSet(QuerySet):
    """A QuerySet of artifacts that can be loaded, opened or mapped together.

    Examples
    --------
    >>> ln.Artifact.filter(suffix=".parquet").load()  # doctest: +SKIP
    """

    def _artifacts(self) -> list[Any]:
        artifacts = list(self)
        if not artifacts:
            raise InvalidArgument("This set of artifacts is empty: loosen the filter.")
        return artifacts

    def load(self, join: str = "outer", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """One concatenated DataFrame or AnnData (with an ``artifact_uid`` column).

        Examples
        --------
        >>> ln.Artifact.filter(key__startswith="tables/").load(join="inner")  # doctest: +SKIP
        """
        artifacts = self._artifacts()
        objects = [load_artifact(a, is_run_input) for a in artifacts]
        return concat_loaded(artifacts, objects, join)

    def open(self, engine: str = "pyarrow", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """One lazy dataset over many tabular files (pyarrow Dataset or polars LazyFrame).

        Examples
        --------
        >>> ln.Artifact.filter(suffix=".parquet").open().to_table()  # doctest: +SKIP
        """
        from ..storage import open_tabular

        artifacts = self._artifacts()
        bad = [a.key or a.uid for a in artifacts if (a.suffix or "") not in TABULAR_SUFFIXES]
        if bad:
            raise InvalidArgument(f"open() on a set needs tabular files; these are not: {bad[:5]}.")
        return open_tabular([cache_artifact(a, is_run_input) for a in artifacts], engine=engine, **kwargs)

    def mapped(self, layers_keys: Any = None, obs_keys: Any = None, obsm_keys: Any = None, obs_filter: Any = None,
               join: str | None = "inner", encode_labels: Any = True, unknown_label: Any = None,
               cache_categories: bool = True, parallel: bool = False, dtype: str | None = None,
               stream: bool = False, is_run_input: bool | None = None) -> Any:
        """A torch map-style dataset over the AnnData artifacts of the set.

        Examples
        --------
        >>> ds = ln.Artifact.filter(suffix=".h5ad").mapped(obs_keys=["cell_type"])  # doctest: +SKIP
        """
        from .collection_ops import mapped_over

        return mapped_over(self._artifacts(), layers_keys=layers_keys, obs_keys=obs_keys, obsm_keys=obsm_keys,
                           obs_filter=obs_filter, join=join, encode_labels=encode_labels, unknown_label=unknown_label,
                           cache_categories=cache_categories, parallel=parallel, dtype=dtype, stream=stream,
                           is_run_input=is_run_input)
