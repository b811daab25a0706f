"""``ln.core.storage``: path helpers of LaminDB's namespace, and ``UPath`` (loaded on first use).

Examples
--------
>>> import lamin_lab as ln
>>> ln.core.storage.UPath("/tmp").name
'tmp'
>>> ln.core.storage.paths.AUTO_KEY_PREFIX
'.lamindb/'
"""

from __future__ import annotations

from typing import Any

from ..storage import delete_path, infer_suffix, is_cloud, paths, to_path
from ..storage.tree import upath_class


def __getattr__(name: str) -> Any:
    if name == "UPath":
        globals()["UPath"] = upath_class()  # fsspec and universal_pathlib are heavy: only here
        return globals()["UPath"]
    raise AttributeError(f"module 'lamin_lab.core.storage' has no attribute {name!r}")


__all__ = ["UPath", "delete_path", "infer_suffix", "is_cloud", "paths", "to_path"]  # noqa: F822 (UPath: __getattr__)
