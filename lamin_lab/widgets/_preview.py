"""Typed previews of an artifact's content, computed only when the panel asks.

Each preview is small JSON: the first rows of a table, an AnnData summary, an
image thumbnail (data URL, small files only) or the head of a text file. pandas,
pyarrow and anndata are imported inside the functions that need them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ._records import to_text

TABLE_SUFFIXES = {".csv", ".tsv", ".parquet"}
ANNDATA_SUFFIXES = {".h5ad"}
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
TEXT_SUFFIXES = {
    ".txt",
    ".md",
    ".json",
    ".yaml",
    ".yml",
    ".py",
    ".r",
    ".log",
    ".sh",
    ".toml",
    ".ini",
    ".fasta",
}
ROWS = 10
TEXT_BYTES = 4096
IMAGE_BYTES = 2 * 1024 * 1024
DOWNLOAD_MAX = 100 * 1024 * 1024


def preview_kind(record: Any) -> str:
    """Which preview a record gets: ``table``, ``anndata``, ``image``, ``text`` or ``""``.

    Examples
    --------
    >>> preview_kind(ln.Artifact(key="x.csv"))  # doctest: +SKIP
    'table'
    """
    if type(record).__name__ != "Artifact":
        return ""
    suffix = (
        record.__data__.get("suffix") or Path(record.__data__.get("key") or "").suffix
    ).lower()
    if suffix in TABLE_SUFFIXES:
        return "table"
    if suffix in ANNDATA_SUFFIXES:
        return "anndata"
    if suffix in IMAGE_TYPES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return ""


def local_path(artifact: Any) -> Path | str:
    """A local file of the artifact, or a message saying why there is none.

    Local content is used in place; cloud content is cached (downloaded once) unless
    it is bigger than :data:`DOWNLOAD_MAX`. ``is_run_input=False``: looking is not
    using, so a preview never makes the artifact an input of the current run.

    Examples
    --------
    >>> local_path(artifact)  # doctest: +SKIP
    PosixPath('/data/.lamindb/Ab...0000.csv')
    """
    try:
        where = str(artifact.path)
    except Exception as error:  # no storage record, unknown location: say so
        return f"The file of this artifact cannot be found ({type(error).__name__}: {error})."
    size = artifact.__data__.get("size") or 0
    if "://" in where and not where.startswith("file://") and size > DOWNLOAD_MAX:
        return (
            f"The file is {size // 2**20} MB in the cloud: too big to download for a preview. "
            "Call artifact.cache() first, then open the preview again."
        )
    try:
        path = Path(str(artifact.cache(is_run_input=False)))
    except Exception as error:  # missing file, no access: the panel shows why
        return f"The file of this artifact is not available here ({type(error).__name__}: {error})."
    return path if path.exists() else f"The file of this artifact is not available here ({path})."


def preview(artifact: Any) -> dict[str, Any]:
    """The preview of an artifact's content as a small JSON-able dict.

    Examples
    --------
    >>> preview(artifact)["kind"]  # doctest: +SKIP
    'table'
    """
    kind = preview_kind(artifact)
    if not kind:
        return {"kind": "none", "message": "No preview for this kind of file."}
    path = local_path(artifact)
    if isinstance(path, str):
        return {"kind": "none", "message": path}
    builder = {"table": _table, "anndata": _anndata, "image": _image, "text": _text}[kind]
    try:
        return builder(path)
    except Exception as error:  # a broken file must not break the panel
        return {
            "kind": "none",
            "message": f"Could not read {path.name}: {type(error).__name__}: {error}",
        }


def _frame(frame: Any, total: int | None) -> dict[str, Any]:
    columns = [to_text(c) for c in frame.columns]
    rows = [[to_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {"kind": "table", "columns": columns, "rows": rows, "total_rows": total}


def _table(path: Path) -> dict[str, Any]:
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        with pq.ParquetFile(path) as handle:
            batch = next(handle.iter_batches(batch_size=ROWS), None)
            total = handle.metadata.num_rows
            frame = (
                batch.to_pandas()
                if batch is not None
                else handle.schema_arrow.empty_table().to_pandas()
            )
        return _frame(frame, total)
    import pandas as pd

    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    return _frame(pd.read_csv(path, sep=sep, nrows=ROWS), None)


def _anndata(path: Path) -> dict[str, Any]:
    import anndata as ad

    adata = ad.read_h5ad(path, backed="r")
    try:
        lines = [
            ("shape", f"{adata.n_obs} × {adata.n_vars} (observations × variables)"),
            ("obs", ", ".join(map(str, adata.obs.columns)) or "–"),
            ("var", ", ".join(map(str, adata.var.columns)) or "–"),
            ("layers", ", ".join(map(str, adata.layers.keys())) or "–"),
            ("obsm", ", ".join(map(str, adata.obsm.keys())) or "–"),
            ("uns", ", ".join(map(str, adata.uns.keys())) or "–"),
        ]
    finally:
        adata.file.close()
    return {"kind": "anndata", "rows": [[k, to_text(v)] for k, v in lines]}


def _image(path: Path) -> dict[str, Any]:
    size = path.stat().st_size
    if size > IMAGE_BYTES:
        return {
            "kind": "none",
            "message": f"The image is {size // 1024} kB: too big for a thumbnail here.",
        }
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"kind": "image", "src": f"data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data}"}


def _text(path: Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        head = handle.read(TEXT_BYTES + 1)
    text = head[:TEXT_BYTES].decode("utf-8", errors="replace")
    return {"kind": "text", "text": text, "truncated": len(head) > TEXT_BYTES}
