"""Small mock files and folders, as LaminDB's guides use them (written locally).

Each helper writes into the working directory, or into the current instance's storage root
when ``in_storage_root=True`` (so the file can be registered in place), and returns the path.

Examples
--------
>>> from lamin_lab.examples.datasets import file_bam
>>> path = file_bam()
>>> path.name, path.read_text()
('output.bam', 'Mock bam artifact.')
"""

from __future__ import annotations

import secrets
import string
from pathlib import Path

from ...settings import settings

_ALPHABET = string.digits + string.ascii_letters

# The files a Cell Ranger run leaves in its sample folder (outputs only).
_CELLRANGER_FOLDERS = ("raw_feature_bc_matrix", "filtered_feature_bc_matrix", "analysis")
_CELLRANGER_FILES = (
    "web_summary.html",
    "metrics_summary.csv",
    "possorted_genome_bam.bam",
    "possorted_genome_bam.bam.bai",
    "molecule_info.h5",
    "cloupe.cloupe",
    "raw_feature_bc_matrix.h5",
    "raw_feature_bc_matrix/barcodes.tsv.gz",
    "raw_feature_bc_matrix/features.tsv.gz",
    "raw_feature_bc_matrix/matrix.mtx.gz",
    "filtered_feature_bc_matrix.h5",
    "filtered_feature_bc_matrix/barcodes.tsv.gz",
    "filtered_feature_bc_matrix/features.tsv.gz",
    "filtered_feature_bc_matrix/matrix.mtx.gz",
    "analysis/analysis.csv",
)


def _random_text(n_char: int = 6) -> str:
    # Random content, so that each mock file (and each call) hashes differently.
    return "".join(secrets.choice(_ALPHABET) for _ in range(n_char))


def _base_folder(in_storage_root: bool) -> Path:
    return Path(settings.storage.root) if in_storage_root else Path()


def file_fastq(in_storage_root: bool = False) -> Path:
    """Write a mock gzipped FASTQ file, ``input.fastq.gz`` (its content is plain text).

    Parameters
    ----------
    in_storage_root
        Write it into the current instance's storage root instead of the working directory.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import file_fastq
    >>> file_fastq().read_text()
    'Mock fastq artifact.'
    """
    path = _base_folder(in_storage_root) / "input.fastq.gz"
    path.write_text("Mock fastq artifact.")
    return path


def file_bam(in_storage_root: bool = False) -> Path:
    """Write a mock BAM file, ``output.bam`` (its content is plain text).

    Parameters
    ----------
    in_storage_root
        Write it into the current instance's storage root instead of the working directory.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import file_bam
    >>> file_bam().stat().st_size
    18
    """
    path = _base_folder(in_storage_root) / "output.bam"
    path.write_text("Mock bam artifact.")
    return path


def file_mini_csv(in_storage_root: bool = False) -> Path:
    """Write ``mini.csv``: one column ``test`` with the values 1, 2, 3 and no index.

    Parameters
    ----------
    in_storage_root
        Write it into the current instance's storage root instead of the working directory.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import file_mini_csv
    >>> file_mini_csv().read_text().split()
    ['test', '1', '2', '3']
    """
    path = _base_folder(in_storage_root) / "mini.csv"
    # The same bytes pandas' to_csv(index=False) writes for this table, without importing pandas.
    path.write_text("test\n1\n2\n3\n")
    return path


def dir_scrnaseq_cellranger(
    sample_name: str, basedir: str | Path = "./", output_only: bool = True
) -> Path:
    """Write a mock Cell Ranger output folder ``<basedir>/<sample_name>`` and return it.

    The folder has Cell Ranger's layout (``web_summary.html``, ``molecule_info.h5``, the raw and
    filtered feature-barcode matrices, ``analysis/analysis.csv``, …); each file holds 6 random
    characters, so two calls give different hashes.

    Parameters
    ----------
    sample_name
        The name of the sample folder.
    basedir
        The run folder to write into (created when missing).
    output_only
        When ``False``, also write the two input reads ``fastq/<sample_name>_R1_001.fastq.gz`` and
        ``fastq/<sample_name>_R2_001.fastq.gz`` next to the sample folder.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import dir_scrnaseq_cellranger
    >>> folder = dir_scrnaseq_cellranger("sample_001")
    >>> folder.name, len([p for p in folder.rglob("*") if p.is_file()])
    ('sample_001', 15)
    """
    base = Path(basedir)
    if not output_only:
        fastq = base / "fastq"
        fastq.mkdir(parents=True, exist_ok=True)
        for read in ("R1", "R2"):
            (fastq / f"{sample_name}_{read}_001.fastq.gz").write_text(_random_text())
    sample = base / sample_name
    for folder in _CELLRANGER_FOLDERS:
        (sample / folder).mkdir(parents=True, exist_ok=True)
    for name in _CELLRANGER_FILES:
        (sample / name).write_text(_random_text())
    return sample


__all__ = ["dir_scrnaseq_cellranger", "file_bam", "file_fastq", "file_mini_csv"]
