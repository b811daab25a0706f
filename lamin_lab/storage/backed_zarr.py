"""Backed (lazy) access to an AnnData zarr store, the zarr counterpart of ``backed="r"``.

anndata's own lazy reader (``anndata.experimental.read_lazy``) needs xarray and
dask; this accessor needs only zarr and anndata. ``obs`` and ``var`` are read into
memory (they are small and needed for selection); ``X``, ``layers`` and ``obsm``
entries stay on disk as zarr arrays (dense) or anndata backed sparse datasets
(CSR/CSC), which read only the slices asked for. This module is imported lazily by
:func:`lamin_lab.storage.tabular.open_anndata` and imports zarr/anndata at the top.

Examples
--------
>>> import anndata, numpy as np
>>> anndata.AnnData(np.arange(6.0).reshape(3, 2)).write_zarr("/tmp/_lamin_lab_bz.zarr")
>>> backed = BackedZarrAnnData("/tmp/_lamin_lab_bz.zarr")
>>> backed.shape, backed[1:].X.tolist()
((3, 2), [[2.0, 3.0], [4.0, 5.0]])
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import anndata
import numpy as np
import zarr
from anndata.io import read_elem, sparse_dataset

_SPARSE = ("csr_matrix", "csc_matrix")


def _lazy(elem: Any) -> Any:
    """A zarr array as is, a sparse group as backed dataset, anything else read into memory."""
    if isinstance(elem, zarr.Array):
        return elem
    if elem.attrs.get("encoding-type") in _SPARSE:
        return sparse_dataset(elem)
    return read_elem(elem)


def _positions(index: Any, names: Any) -> np.ndarray:
    """Integer positions for a slice, ints, bools or names along one axis."""
    n = len(names)
    if isinstance(index, slice):
        return np.arange(n)[index]
    values = np.atleast_1d(np.asarray(index))
    if values.dtype == bool:
        return np.flatnonzero(values)
    if values.dtype.kind in "iu":
        return np.where(values < 0, values + n, values)
    return names.get_indexer(values)


def _take(array: Any, rows: np.ndarray, cols: np.ndarray | None) -> Any:
    """Read selected rows (and columns) of a zarr array or backed sparse dataset."""
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    if isinstance(array, zarr.Array):
        if cols is None:
            out = array.oindex[(sorted_rows,) + (slice(None),) * (array.ndim - 1)]
        else:
            out = array.oindex[sorted_rows, cols]
    else:
        out = array[sorted_rows]
        if cols is not None:
            out = out[:, cols]
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return out[inverse]


class BackedZarrAnnData:
    """An AnnData zarr store opened read-only; subset with ``[...]`` to load a slice.

    Examples
    --------
    >>> backed = BackedZarrAnnData("/tmp/_lamin_lab_bz.zarr")
    >>> backed.n_obs, type(backed.to_memory()).__name__
    (3, 'AnnData')
    """

    def __init__(self, path: Any) -> None:
        self.path = Path(path)
        self.storage = zarr.open_group(str(self.path), mode="r")

    @cached_property
    def obs(self) -> Any:
        """Observation annotations (in memory)."""
        return read_elem(self.storage["obs"])

    @cached_property
    def var(self) -> Any:
        """Variable annotations (in memory)."""
        return read_elem(self.storage["var"])

    @property
    def obs_names(self) -> Any:
        """Observation names."""
        return self.obs.index

    @property
    def var_names(self) -> Any:
        """Variable names."""
        return self.var.index

    @property
    def n_obs(self) -> int:
        """Number of observations."""
        return len(self.obs)

    @property
    def n_vars(self) -> int:
        """Number of variables."""
        return len(self.var)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_obs, n_vars)``."""
        return self.n_obs, self.n_vars

    @property
    def X(self) -> Any:  # noqa: N802 - AnnData's name
        """The main matrix, lazy (None when the store has none)."""
        return _lazy(self.storage["X"]) if "X" in self.storage else None

    def _mapping(self, name: str) -> dict[str, Any]:
        if name not in self.storage:
            return {}
        group = self.storage[name]
        return {key: _lazy(group[key]) for key in sorted(group.keys())}

    @property
    def layers(self) -> dict[str, Any]:
        """Layers, each lazy."""
        return self._mapping("layers")

    @property
    def obsm(self) -> dict[str, Any]:
        """Multi-dimensional observation annotations, lazy arrays or data frames."""
        return self._mapping("obsm")

    @cached_property
    def uns(self) -> dict[str, Any]:
        """Unstructured annotations (in memory)."""
        return read_elem(self.storage["uns"]) if "uns" in self.storage else {}

    def __getitem__(self, index: Any) -> Any:
        """Load the selected observations (and variables) as an in-memory AnnData."""
        obs_index, var_index = index if isinstance(index, tuple) else (index, slice(None))
        rows = _positions(obs_index, self.obs_names)
        cols = _positions(var_index, self.var_names)
        if (rows < 0).any() or (cols < 0).any():
            raise KeyError("some of the selected names are not in obs_names/var_names")
        all_cols = len(cols) == self.n_vars and (cols == np.arange(self.n_vars)).all()
        col_sel = None if all_cols else cols
        X = self.X
        return anndata.AnnData(
            X=None if X is None else _take(X, rows, col_sel),
            obs=self.obs.iloc[rows],
            var=self.var.iloc[cols],
            layers={k: _take(v, rows, col_sel) for k, v in self.layers.items()},
            obsm={
                k: (v.iloc[rows] if hasattr(v, "iloc") else _take(v, rows, None))
                for k, v in self.obsm.items()
            },
            uns=self.uns,
        )

    def to_memory(self) -> Any:
        """Read the whole store into an in-memory AnnData."""
        return anndata.read_zarr(self.path)

    @property
    def closed(self) -> bool:
        """True after :meth:`close` (or the end of a ``with`` block), as LaminDB's accessor says."""
        return self.__dict__.get("_closed", False)

    def close(self) -> None:
        """Mark the store closed; zarr holds no open file handles to release."""
        self._closed = True

    def __enter__(self) -> BackedZarrAnnData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BackedZarrAnnData with n_obs × n_vars = {self.n_obs} × {self.n_vars} backed at '{self.path}'"


__all__ = ["BackedZarrAnnData"]
