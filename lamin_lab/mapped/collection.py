"""``MappedCollection``: a map-style dataset over many AnnData stores, for torch and beyond.

The collection virtually concatenates the observations of several ``.h5ad`` files or
``.zarr`` folders. Building it reads only metadata: the number of observations, the
variable names, sparse ``indptr`` arrays and the ``.obs`` columns asked for (as small
integer codes). Items are then read straight from the stores:

- ``ds[i]`` reads one row (a copy out of a memory map for uncompressed local h5ad files);
- ``ds.__getitems__(indices)`` — what torch's ``DataLoader`` calls for a whole batch —
  groups the indices by store, sorts them, merges neighbours into slice reads,
  densifies sparse rows once per batch and restores the requested order.

Handles are opened lazily once per process, so the dataset pickles cleanly and works in
DataLoader workers started by fork or spawn. torch is only needed for
:meth:`MappedCollection.torch_worker_init_fn`.

Examples
--------
>>> from lamin_lab.mapped import MappedCollection
>>> ds = MappedCollection(["a.h5ad", "b.h5ad"], obs_keys="cell_type")  # doctest: +SKIP
>>> ds[0]["X"].shape, ds[0]["cell_type"], ds[0]["_store_idx"]  # doctest: +SKIP
((2000,), 3, 0)
"""

from __future__ import annotations

import bisect
from typing import Any, Literal
from collections.abc import Iterable, Sequence

import numpy as np

from lamin_lab.errors import InvalidArgument, StorageError

from .batches import BatchReads, collate_fn
from .joins import ColumnMap, join_vars
from .labels import (
    LabelColumn,
    build_label_column,
    filter_mask,
    label_weights,
    normalize_filter,
)
from .readers import CSRRows, DenseRows, open_matrix
from .stores import StoreHandle


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _layer_path(layer_key: str) -> str:
    if layer_key == "X":
        return "X"
    if layer_key == "raw.X":
        return "raw/X"
    return f"layers/{layer_key}"


def _progress(iterable: Iterable, total: int, desc: str) -> Iterable:
    # A bar only for slow builds: tqdm's delay keeps it hidden below one second.
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a core dependency
        return iterable
    return tqdm(iterable, total=total, desc=desc, delay=1.0, leave=False)


class MappedCollection(BatchReads):
    """Map-style dataset over the observations of many AnnData stores.

    Parameters
    ----------
    path_list
        Paths of ``.h5ad`` files or ``.zarr`` folders (URLs when ``stream=True``).
    layers_keys
        Arrays to read per observation: ``"X"`` (the default), a key of ``.layers``,
        or ``"raw.X"``. Each becomes an item key of the same name.
    obs_keys
        ``.obs`` columns to return per observation.
    obsm_keys
        ``.obsm`` arrays to return, under the item key ``obsm_<key>``.
    obs_filter
        Keep only observations whose ``.obs`` values match, e.g.
        ``{"cell_type": ("B cell", "T cell"), "assay": "10x"}``.
    join
        ``"inner"`` (shared variables, first store's order), ``"outer"`` (all
        variables, sorted, zeros where a store lacks one) or ``None`` (no reindexing).
        ``"raw.X"`` is never joined.
    encode_labels
        Encode ``obs_keys`` labels as integers (``True``) or only the listed columns.
    unknown_label
        A label (or ``{column: label}``) encoded as ``-1``.
    cache_categories
        Keep every observation's label code in memory (1–4 bytes each). With ``False``
        codes of categorical columns are read from the stores per batch.
    parallel
        Don't keep handles open in this process after building the index, so each
        DataLoader worker opens its own (they always reopen lazily after fork or spawn).
        See the notes on when workers help.
    dtype
        Cast ``.X``, layers and ``.obsm`` rows to this numpy dtype.
    sparse
        How rows of sparse (CSR) stores come out: ``"dense"`` (the default, as LaminDB
        gives them: dense arrays, what most models take), ``"csr"`` (a batch is one
        ``scipy.sparse.csr_matrix``, ``ds[i]`` a one-row one; a torch DataLoader gives
        a ``torch.sparse_csr_tensor``) or ``"coo"``. ``True`` means ``"csr"``. Sparse output
        skips densifying ``batch_size x n_vars`` zeros, several times faster for wide
        data; it applies to a key only when every store holds it as CSR. (annbatch
        always yields sparse stores as CSR; here dense stays the default so code
        written for LaminDB's ``MappedCollection`` keeps working.)
    stream
        Read remote stores (``s3://``, ``gs://``, ...) directly through fsspec file
        objects instead of requiring a local copy.
    storage_options
        fsspec options for streamed stores.

    Notes
    -----
    When DataLoader workers help: for uncompressed local h5ad files (what anndata writes
    by default) a batch is one copy out of a memory map of the file into one array,
    and ``num_workers=0`` is fastest: with workers every batch is copied once more
    through shared memory and pickled to the main process. Measured on 2 shared cores
    (batch 256, 2,000 genes, page cache warm, ``benchmarks/results/mapped_peers.json``):
    0 workers read ~257,000 samples/s, 2 workers ~47,000 (5.5x slower). Workers pay off when a batch costs CPU
    beyond the copy and there are cores to spare: compressed (gzip/lzf) h5ad or zarr
    stores, remote stores (``stream=True``), or heavy per-batch transforms.

    Examples
    --------
    >>> from torch.utils.data import DataLoader
    >>> ds = MappedCollection(paths, obs_keys=["cell_type"], join="outer")  # doctest: +SKIP
    >>> batch = next(iter(DataLoader(ds, batch_size=256, shuffle=True)))  # doctest: +SKIP
    >>> batch["X"].shape, batch["cell_type"].shape  # doctest: +SKIP
    (torch.Size([256, 2000]), torch.Size([256]))
    """

    def __init__(
        self,
        path_list: Sequence[Any],
        layers_keys: str | list[str] | None = None,
        obs_keys: str | list[str] | None = None,
        obsm_keys: str | list[str] | None = None,
        obs_filter: dict[str, Any] | None = None,
        join: Literal["inner", "outer"] | None = "inner",
        encode_labels: bool | list[str] = True,
        unknown_label: str | dict[str, str] | None = None,
        cache_categories: bool = True,
        parallel: bool = False,
        dtype: str | None = None,
        sparse: bool | Literal["dense", "csr", "coo"] = "dense",
        stream: bool = False,
        storage_options: dict | None = None,
    ):
        if isinstance(path_list, (str, bytes)) or not len(path_list):
            raise InvalidArgument("path_list must be a non-empty list of AnnData paths.")
        if join not in (None, "inner", "outer"):
            raise InvalidArgument(f"join={join!r} is not supported: use 'inner', 'outer' or None.")
        sparse = {True: "csr", False: "dense"}.get(sparse, sparse)  # type: ignore[call-overload]
        if sparse not in ("dense", "csr", "coo"):
            raise InvalidArgument(
                f"sparse={sparse!r} is not supported: use 'dense', 'csr' or 'coo'."
            )
        self.sparse = sparse
        self.path_list = list(path_list)
        self.layers_keys = _as_list(layers_keys) or ["X"]
        self.obs_keys = _as_list(obs_keys)
        self.obsm_keys = _as_list(obsm_keys)
        self.obs_filter = normalize_filter(obs_filter)
        self.filtered = self.obs_filter is not None
        self.join_vars = join
        self.encode_labels = self._check_encode(encode_labels)
        self.unknown_label = self._check_unknown(unknown_label)
        self.cache_categories = cache_categories
        self.parallel = parallel
        self.stream = stream
        self._dtype = None if dtype is None else np.dtype(dtype)
        self._closed = False
        self._handles = [StoreHandle(p, stream, storage_options) for p in self.path_list]
        try:
            self._build()
        finally:
            if parallel:
                self._close_handles()

    #: Optional faster ``collate_fn`` for DataLoader (see :func:`lamin_lab.mapped.collate_fn`).
    collate_fn = staticmethod(collate_fn)

    # ------------------------------------------------------------ argument checks
    def _check_encode(self, encode_labels: bool | list[str]) -> list[str]:
        if isinstance(encode_labels, (list, tuple)):
            unknown = [k for k in encode_labels if k not in self.obs_keys]
            if unknown:
                raise InvalidArgument(
                    f"encode_labels has {unknown}, which are not in obs_keys={self.obs_keys}: "
                    "list only columns you also pass as obs_keys."
                )
            return list(encode_labels)
        return list(self.obs_keys) if encode_labels else []

    def _check_unknown(self, unknown_label: str | dict | None) -> dict[str, str]:
        if unknown_label is None:
            return {}
        if isinstance(unknown_label, dict):
            stray = [k for k in unknown_label if k not in self.encode_labels]
            if stray:
                raise InvalidArgument(
                    f"unknown_label has keys {stray} that are not encoded: use keys from "
                    f"encode_labels={self.encode_labels}."
                )
            return dict(unknown_label)
        return {key: unknown_label for key in self.encode_labels}

    # ------------------------------------------------------------ building the index
    def _build(self) -> None:
        n_stores = len(self._handles)
        self._selections: list[np.ndarray | None] = []
        self.n_obs_list: list[int] = []
        for handle in _progress(self._handles, n_stores, "indexing stores"):
            n_obs = handle.n_obs()
            selection = None
            if self.obs_filter is not None:
                selection = np.flatnonzero(filter_mask(handle, self.obs_filter, n_obs))
                if n_obs < np.iinfo(np.int32).max:
                    selection = selection.astype(np.int32)
            self._selections.append(selection)
            self.n_obs_list.append(n_obs if selection is None else len(selection))
        self._offsets = np.concatenate(([0], np.cumsum(self.n_obs_list))).astype(np.int64)
        self._offsets_list = self._offsets.tolist()
        self.n_obs = int(self._offsets[-1])
        self.var_list = [h.index("var") for h in self._handles]
        self.n_vars_list = [len(v) for v in self.var_list]
        self.var_joint, self._colmaps = join_vars(self.var_list, self.join_vars)
        self.n_vars = None if self.var_joint is None else len(self.var_joint)
        self._readers = {key: self._open_readers(_layer_path(key)) for key in self.layers_keys}
        for key in self.obsm_keys:
            self._readers[f"obsm_{key}"] = self._open_readers(f"obsm/{key}")
        self._out_dtypes = {key: self._output_dtype(r) for key, r in self._readers.items()}
        self._sparse_keys = set()
        if self.sparse != "dense":
            self._sparse_keys = {
                key
                for key, readers in self._readers.items()
                if all(r is None or r.sparse for r in readers) and any(readers)
            }
        self._labels: dict[str, LabelColumn] = {}
        self.encoders: dict[str, dict] = {}
        for key in self.obs_keys:
            column = build_label_column(
                self._handles, key, self._selections, self._offsets, self.cache_categories
            )
            encoder = None
            if key in self.encode_labels:
                encoder = column.encoder(self.unknown_label.get(key))
                self.encoders[key] = encoder
            column.set_output(encoder)
            self._labels[key] = column

    def _open_readers(self, path: str) -> list[DenseRows | CSRRows | None]:
        readers: list[DenseRows | CSRRows | None] = []
        for handle in self._handles:
            readers.append(open_matrix(handle, path) if handle.has(path) else None)
        return readers

    def _output_dtype(self, readers: list) -> np.dtype:
        if self._dtype is not None:
            return self._dtype
        dtypes = [r.dtype for r in readers if r is not None]
        return np.result_type(*dtypes) if dtypes else np.dtype(np.float32)

    def _colmap(self, key: str, store: int) -> ColumnMap | None:
        # The join reindexes .X and layers; raw.X and .obsm come back as stored.
        if key == "raw.X" or key.startswith("obsm_"):
            return None
        return self._colmaps[store]

    # ------------------------------------------------------------ sizes and variables
    def __len__(self) -> int:
        return self.n_obs

    @property
    def shape(self) -> tuple[int, int | None]:
        """``(n_obs, n_vars)`` of the virtually joined data (``n_vars`` is None without a join)."""
        return (self.n_obs, self.n_vars)

    @property
    def original_shapes(self) -> list[tuple[int, int]]:
        """``(n_obs, n_vars)`` of each store, after ``obs_filter``."""
        return list(zip(self.n_obs_list, self.n_vars_list, strict=True))

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def check_vars_sorted(self, ascending: bool = True) -> bool:
        """Whether the variables of every store are sorted.

        Examples
        --------
        >>> ds.check_vars_sorted()  # doctest: +SKIP
        True
        """
        for var in self.var_list:
            pairs = zip(var[:-1].tolist(), var[1:].tolist(), strict=True)
            if not all((a <= b) if ascending else (a >= b) for a, b in pairs):
                return False
        return True

    def check_vars_non_aligned(self, vars: Sequence[str]) -> list[int]:
        """Indices of the stores whose variables differ from ``vars`` (names or order).

        Examples
        --------
        >>> ds.check_vars_non_aligned(ds.var_list[0])  # doctest: +SKIP
        [2]
        """
        wanted = np.asarray(list(vars), dtype=object)
        return [
            i
            for i, var in enumerate(self.var_list)
            if len(var) != len(wanted) or not np.array_equal(var, wanted)
        ]

    # ------------------------------------------------------------ reading items
    def _locate(self, idx: int) -> tuple[int, int, int]:
        if not isinstance(idx, (int, np.integer)):
            raise InvalidArgument(
                f"index {idx!r} is not an integer: use ds[i], or ds.__getitems__(indices) for many."
            )
        idx = int(idx)
        if idx < 0:
            idx += self.n_obs
        if not 0 <= idx < self.n_obs:
            raise IndexError(f"index {idx} is out of range for {self.n_obs} observations.")
        store = bisect.bisect_right(self._offsets_list, idx) - 1
        pos = idx - self._offsets_list[store]
        selection = self._selections[store]
        return idx, store, pos if selection is None else int(selection[pos])

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(
                "this MappedCollection was closed: create a new one (or use it inside "
                "`with` only) to read items."
            )

    def __getitem__(self, idx: int) -> dict[str, Any]:
        """Read the observation at ``idx`` as a dict of arrays and labels.

        Examples
        --------
        >>> ds[0]["X"].shape  # doctest: +SKIP
        (2000,)
        """
        self._check_open()
        idx, store, row = self._locate(idx)
        item: dict[str, Any] = {}
        for key, readers in self._readers.items():
            reader = readers[store]
            if reader is not None:
                item[key] = self._read_one(key, store, reader, row)
        for key, column in self._labels.items():
            if not column.present[store]:
                continue
            if column.codes is not None:
                code = column.codes[idx]
            else:
                code = column.indices_for(store, np.array([row]), self._handles[store], None)[0]
            value = column.output[code]
            item[key] = int(value) if key in self.encoders else value
        item["_store_idx"] = store
        return item

    def _read_one(self, key: str, store: int, reader: DenseRows | CSRRows, row: int) -> np.ndarray:
        dtype = self._out_dtypes[key]
        colmap = self._colmap(key, store)
        if key in self._sparse_keys:
            return self._sparse_rows(key, [(store, np.array([row]))], 1)
        if reader.sparse:
            if colmap is None:
                return reader.read_row(row, dtype=dtype)
            return reader.read_row(row, colmap.full, colmap.n_joint, dtype)
        values = reader.read_row(row)
        if reader.ndim == 1:
            return values[0].astype(dtype)
        if colmap is None:
            return values.astype(dtype, copy=False)
        out = np.zeros((1, colmap.n_joint), dtype=dtype)
        colmap.apply(values[None, :], out)
        return out[0]

    def _read_block(self, key: str, store: int, rows: np.ndarray, out: np.ndarray) -> None:
        """Read sorted unique ``rows`` of one store into ``out`` (joint layout)."""
        reader = self._readers[key][store]
        colmap = self._colmap(key, store)
        if reader.sparse:
            out[:] = 0
            reader.fill(rows, out, None if colmap is None else colmap.full)
        elif colmap is None:
            if out.dtype == reader.dtype and reader.ndim == 2:
                reader.read_rows(rows, out=out)
            else:
                out[:] = reader.read_rows(rows).reshape(out.shape)
        else:
            if not colmap.covers_all:
                out[:] = 0
            colmap.apply(reader.read_rows(rows), out)

    def _width(self, key: str, store: int) -> int | None:
        reader = self._readers[key][store]
        if reader is None:
            return None
        colmap = self._colmap(key, store)
        if getattr(reader, "ndim", 2) == 1:
            return 0
        return reader.shape[1] if colmap is None else colmap.n_joint

    # ------------------------------------------------------------ labels
    def _column(self, key: str) -> LabelColumn:
        column = self._labels.get(key)
        if column is not None and column.codes is not None:
            return column
        return build_label_column(self._handles, key, self._selections, self._offsets, True)

    def get_merged_labels(self, label_key: str) -> np.ndarray:
        """Labels of ``label_key`` for every observation (stores without it are skipped).

        Examples
        --------
        >>> ds.get_merged_labels("cell_type")[:2]  # doctest: +SKIP
        array(['B cell', 'T cell'], dtype=object)
        """
        column = self._column(label_key)
        keep = np.repeat(column.present, self.n_obs_list)
        return column.labels(column.codes[keep])

    def get_merged_categories(self, label_key: str) -> list:
        """Sorted union of the categories of ``label_key`` over all stores.

        Examples
        --------
        >>> ds.get_merged_categories("cell_type")  # doctest: +SKIP
        ['B cell', 'T cell']
        """
        return self._column(label_key).categories.tolist()

    def get_label_weights(
        self,
        obs_keys: str | list[str],
        scaler: float | None = None,
        return_categories: bool = False,
    ) -> np.ndarray | dict[str, float]:
        """Weights per observation that balance labels: ``1 / count`` of its label.

        With ``scaler``, ``scaler / (count + scaler)``. With several keys an
        observation's label is the combination ``"a__b"``. Pass the result to
        ``torch.utils.data.WeightedRandomSampler``.

        Parameters
        ----------
        obs_keys
            One ``.obs`` column or several.
        scaler
            Dampens the weights of rare labels.
        return_categories
            Return ``{label: weight}`` instead of one weight per observation.

        Examples
        --------
        >>> ds.get_label_weights("cell_type", scaler=10)[:3]  # doctest: +SKIP
        array([0.0909, 0.0909, 0.0476])
        """
        columns = [self._column(key) for key in _as_list(obs_keys)]
        if not columns:
            raise InvalidArgument("get_label_weights needs at least one obs key.")
        weights, names, per_label = label_weights(columns, scaler)
        if return_categories:
            return dict(zip(names, per_label.tolist(), strict=True))
        return weights

    # ------------------------------------------------------------ handles
    def _close_handles(self) -> None:
        for handle in self._handles:
            handle.close()
        for readers in getattr(self, "_readers", {}).values():
            for reader in readers:
                if reader is not None:
                    reader.release()

    def close(self) -> None:
        """Close the stores; reading afterwards raises :class:`~lamin_lab.errors.StorageError`.

        Examples
        --------
        >>> with MappedCollection(paths) as ds:  # doctest: +SKIP
        ...     ds[0]
        """
        self._close_handles()
        self._closed = True

    def __enter__(self) -> MappedCollection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def torch_worker_init_fn(cls, worker_id: int) -> None:
        """``worker_init_fn`` for ``DataLoader``: open this worker's own handles upfront.

        Workers would reopen lazily anyway; this moves the cost out of the first batch.

        Examples
        --------
        >>> DataLoader(ds, num_workers=2, worker_init_fn=ds.torch_worker_init_fn)  # doctest: +SKIP
        """
        from torch.utils.data import get_worker_info

        info = get_worker_info()
        dataset = getattr(info, "dataset", None) if info is not None else None
        while dataset is not None and not isinstance(dataset, cls):
            dataset = getattr(dataset, "dataset", None)  # unwrap Subset and friends
        if dataset is None:
            return
        for handle in dataset._handles:
            handle.close()  # inherited state, if any, is dropped before reopening
            if handle.kind == "h5ad" and handle.local:
                _ = handle.fd
            _ = handle.group

    def __repr__(self) -> str:
        return (
            f"MappedCollection(n_obs={self.n_obs}, n_vars={self.n_vars}, "
            f"stores={len(self._handles)}, layers={self.layers_keys}, obs={self.obs_keys})"
        )
