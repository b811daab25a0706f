"""Open HDF5 files and zarr stores without loading them: LaminDB's ``BackedAccessor``.

An HDF5 file or zarr store written by anndata (its root says ``encoding-type: anndata``)
opens as a backed AnnData, as a ``.h5ad`` does; any other opens as a
:class:`BackedAccessor` whose ``storage`` is the read-only ``h5py.File`` or
``zarr.Group``. Both are context managers that close the file on exit. h5py and zarr
are imported only when something is opened.

Examples
--------
>>> import h5py, numpy as np
>>> with h5py.File("g.h5", "w") as f:
...     f["d"] = np.arange(3)
>>> with open_hdf5("g.h5") as backed:
...     backed.storage["d"][:].tolist()
[0, 1, 2]
>>> backed.closed
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lamin_lab.errors import InvalidArgument
from lamin_lab.storage.formats import import_optional, is_anndata_zarr
from lamin_lab.storage.paths import is_cloud, suffix_of, to_path
from lamin_lab.storage.tabular import open_anndata

HDF5_SUFFIXES = (".h5", ".hdf5")


@dataclass
class BackedAccessor:
    """An open store: ``storage`` is the ``h5py.File`` or ``zarr.Group``, ``connection`` the file object under it.

    ``connection`` is None for a local file (opened by name), as in LaminDB. Unlike
    LaminDB's, it is also a context manager: ``with`` closes the file.

    Examples
    --------
    >>> import h5py
    >>> with h5py.File("g.h5", "w") as f:
    ...     f["d"] = [1, 2]
    >>> backed = open_hdf5("g.h5")
    >>> sorted(backed.storage.keys()), backed.closed
    (['d'], False)
    >>> backed.close(); backed.closed
    True
    """

    connection: Any
    storage: Any

    @property
    def closed(self) -> bool:
        """True once the store is closed (for HDF5: h5py's file id is no longer valid)."""
        valid = getattr(getattr(self.storage, "id", None), "valid", None)
        return self.__dict__.get("_closed", False) if valid is None else not bool(valid)

    def close(self) -> None:
        """Close the store and the file object under it; closing twice is harmless."""
        if not self.closed and hasattr(self.storage, "close"):
            self.storage.close()
        if self.connection is not None and hasattr(self.connection, "close"):
            self.connection.close()
        self._closed = True

    def __enter__(self) -> BackedAccessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_anndata(storage: Any) -> bool:
    encoding = storage.attrs.get("encoding-type")
    if isinstance(encoding, bytes):
        encoding = encoding.decode()
    return encoding == "anndata"


def open_hdf5(path: Any, **kwargs: Any) -> Any:
    """Open a local HDF5 file read-only: a backed AnnData when anndata wrote it, else a :class:`BackedAccessor`.

    Parameters
    ----------
    path
        A local ``.h5``/``.hdf5`` file.
    **kwargs
        Passed to ``h5py.File`` (e.g. ``rdcc_nbytes``).

    Raises
    ------
    InvalidArgument
        For cloud paths (cache them first), missing files, or files h5py cannot open.

    Examples
    --------
    >>> import h5py
    >>> h5py.File("empty.h5", "w").close()
    >>> type(open_hdf5("empty.h5")).__name__
    'BackedAccessor'
    """
    path = to_path(path)
    if is_cloud(path):
        raise InvalidArgument(
            f"open_hdf5() reads local files, got '{path}'; call open_hdf5(cache(path, cache_dir))"
        )
    if not path.is_file():
        raise InvalidArgument(f"'{path}' does not exist or is a folder; check the path")
    if suffix_of(path) not in HDF5_SUFFIXES:
        raise InvalidArgument(
            f"open_hdf5() reads {', '.join(HDF5_SUFFIXES)} files, not '{path.name}': "
            "use open_anndata() for .h5ad, artifact.cache() for other formats"
        )
    import h5py

    storage = h5py.File(path, mode="r", **kwargs)
    if _is_anndata(storage):
        storage.close()
        return open_anndata(path)
    return BackedAccessor(connection=None, storage=storage)


def open_zarr(path: Any) -> Any:
    """Open a local zarr store read-only: a backed AnnData when anndata wrote it, else a :class:`BackedAccessor`.

    Raises
    ------
    InvalidArgument
        For cloud paths (cache them first) and paths that are not folders.

    Examples
    --------
    >>> import zarr
    >>> zarr.open_group("plain.zarr", mode="w").attrs["n"] = 1
    >>> with open_zarr("plain.zarr") as backed:
    ...     backed.storage.attrs["n"]
    1
    """
    path = to_path(path)
    if is_cloud(path):
        raise InvalidArgument(
            f"open_zarr() reads local stores, got '{path}'; call open_zarr(cache(path, cache_dir))"
        )
    if not path.is_dir():
        raise InvalidArgument(f"'{path}' is not a zarr store (a folder); check the path")
    if is_anndata_zarr(path):
        return open_anndata(path)
    zarr = import_optional("zarr")
    return BackedAccessor(connection=None, storage=zarr.open_group(str(path), mode="r"))


__all__ = ["HDF5_SUFFIXES", "BackedAccessor", "open_hdf5", "open_zarr"]
