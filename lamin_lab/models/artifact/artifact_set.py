"""``ArtifactSet``: what QuerySets of artifacts can do beyond filtering (load, open, mapped)."""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from ...orm import QuerySet
from .io import TABULAR_SUFFIXES, cache_artifact, lazy_frame_context, load_artifact
from ...storage import open_tabular


def concat_loaded(
    artifacts: list[Any], objects: list[Any], join: str = "outer", **kwargs: Any
) -> Any:
    """Concatenate loaded DataFrames or AnnDatas as LaminDB does.

    DataFrames are stacked as they are (their own index, no extra column); AnnDatas keep
    their ``obs_names`` and get an ``obs`` column ``artifact_uid`` naming the artifact of
    each row. ``kwargs`` go to ``pandas.concat`` or ``anndata.concat``.
    """
    if join not in ("inner", "outer"):
        raise InvalidArgument(f"join must be 'inner' or 'outer', not {join!r}.")
    kinds = {type(o).__name__ for o in objects}
    if kinds == {"DataFrame"}:
        import pandas as pd

        return pd.concat(objects, join=join, **kwargs)
    if kinds == {"AnnData"}:
        import anndata as ad

        label = kwargs.pop("label", "artifact_uid")
        keys = kwargs.pop("keys", [a.uid for a in artifacts])
        return ad.concat(objects, join=join, label=label, keys=keys, **kwargs)
    raise InvalidArgument(
        f"Can only concatenate DataFrames or AnnDatas, found {sorted(kinds)}: load the artifacts one by one instead."
    )


def check_loadable(artifacts: list[Any]) -> None:
    """Refuse, before reading anything, a set that cannot become one object.

    An empty set or one mixing file formats (suffixes) raises :class:`InvalidArgument`
    (a ``ValueError``, as LaminDB raises).
    """
    if not artifacts:
        raise InvalidArgument("There are no artifacts to load: loosen the filter or add artifacts.")
    suffixes = sorted({a.suffix or "" for a in artifacts})
    if len(suffixes) != 1:
        raise InvalidArgument(
            f"Can only load artifacts of one format together, found suffixes {suffixes}: "
            "filter by suffix (or otype) first, or load them one by one."
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
        """One concatenated DataFrame, or one AnnData with an ``obs`` column ``artifact_uid``.

        The artifacts must share one format; ``kwargs`` go to ``pandas.concat`` or
        ``anndata.concat``.

        Examples
        --------
        >>> ln.Artifact.filter(key__startswith="tables/").order_by("key").load(join="inner")  # doctest: +SKIP
        """
        artifacts = list(self)
        check_loadable(artifacts)
        objects = [load_artifact(a, is_run_input) for a in artifacts]
        return concat_loaded(artifacts, objects, join, **kwargs)

    def open(self, engine: str = "pyarrow", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """One lazy dataset over many tabular files: a pyarrow Dataset, or with
        ``engine="polars"`` a context manager yielding a polars LazyFrame (as LaminDB).

        Examples
        --------
        >>> ln.Artifact.filter(suffix=".parquet").open().to_table()  # doctest: +SKIP
        >>> with ln.Artifact.filter(suffix=".parquet").open(engine="polars") as lf:  # doctest: +SKIP
        ...     lf.collect()
        """

        artifacts = self._artifacts()
        bad = [a.key or a.uid for a in artifacts if (a.suffix or "") not in TABULAR_SUFFIXES]
        if bad:
            raise InvalidArgument(f"open() on a set needs tabular files; these are not: {bad[:5]}.")
        opened = open_tabular(
            [cache_artifact(a, is_run_input) for a in artifacts], engine=engine, **kwargs
        )
        return lazy_frame_context(opened) if engine == "polars" else opened

    def mapped(
        self,
        layers_keys: Any = None,
        obs_keys: Any = None,
        obsm_keys: Any = None,
        obs_filter: Any = None,
        join: str | None = "inner",
        encode_labels: Any = True,
        unknown_label: Any = None,
        cache_categories: bool = True,
        parallel: bool = False,
        dtype: str | None = None,
        stream: bool = False,
        is_run_input: bool | None = None,
        sparse: Any = "dense",
    ) -> Any:
        """A torch map-style dataset over the AnnData artifacts of the set.

        ``sparse="csr"`` (or ``"coo"``) gives sparse batches for sparse stores, as annbatch
        does; the default densifies them, as LaminDB's ``mapped()``.

        Examples
        --------
        >>> ds = ln.Artifact.filter(suffix=".h5ad").mapped(obs_keys=["cell_type"])  # doctest: +SKIP
        """
        from ..collection_ops import mapped_over

        return mapped_over(
            self._artifacts(),
            layers_keys=layers_keys,
            obs_keys=obs_keys,
            obsm_keys=obsm_keys,
            obs_filter=obs_filter,
            join=join,
            encode_labels=encode_labels,
            unknown_label=unknown_label,
            cache_categories=cache_categories,
            parallel=parallel,
            dtype=dtype,
            stream=stream,
            sparse=sparse,
            is_run_input=is_run_input,
        )


class ArtifactQuerySet(ArtifactSet):
    """The class of every query set of artifacts (named as LaminDB names it).

    Examples
    --------
    >>> ArtifactQuerySet.__name__
    'ArtifactQuerySet'
    """
