"""Storage layer: paths, hashing, atomic transfers, the download cache and format IO.

Nothing heavy is imported here: fsspec/UPath, tqdm, pandas, anndata, pyarrow and
polars are imported inside the functions that need them.

Typical use by the registries::

    suffix = write_object(df, tmp / f"{uid}.parquet")   # serialise
    hash, hash_type = hash_file(tmp / f"{uid}.parquet")  # content hash
    put(tmp / f"{uid}.parquet", root / ".lamindb" / f"{uid}{suffix}")  # atomic upload
    local = cache(cloud_path, cache_dir, expected_hash=hash, hash_type=hash_type)
    obj = load(local, suffix)                            # back to memory

Examples
--------
>>> from lamin_lab.storage import hash_bytes, suffix_of
>>> hash_bytes(b"a"), suffix_of("x.anndata.zarr")
(('DMF1ucDxtqgxw5niaXcmYQ', 'md5'), '.anndata.zarr')
"""

from lamin_lab.storage.atomic import atomic_copy
from lamin_lab.storage.cache import cache, cache_path_for
from lamin_lab.storage.formats import describe_object, infer_suffix, load, write_object
from lamin_lab.storage.hashing import (
    hash_bytes,
    hash_dir,
    hash_file,
    hash_of_hashes,
    hash_string,
    md5_of_file,
)
from lamin_lab.storage.paths import (
    is_cloud,
    is_inside,
    key_inside,
    storage_type,
    suffix_of,
    to_path,
    validate_key,
)
from lamin_lab.storage.tabular import open_anndata, open_tabular
from lamin_lab.storage.transfer import delete_path, put, size_and_n_files

__all__ = [
    "atomic_copy",
    "cache",
    "cache_path_for",
    "delete_path",
    "describe_object",
    "hash_bytes",
    "hash_dir",
    "hash_file",
    "hash_of_hashes",
    "hash_string",
    "infer_suffix",
    "is_cloud",
    "is_inside",
    "key_inside",
    "load",
    "md5_of_file",
    "open_anndata",
    "open_tabular",
    "put",
    "size_and_n_files",
    "storage_type",
    "suffix_of",
    "to_path",
    "validate_key",
    "write_object",
]
