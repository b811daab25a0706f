"""Example datasets, generated locally.

Tables and AnnData
------------------
``mini_immuno``                 two small expression + metadata tables (``get_dataset1``, ``get_dataset2``),
                                and ``define_features_labels()`` to validate them
``small_dataset1``, ``small_dataset2``   the same two datasets under their older names
``small_dataset3_cellxgene``    three cells with CELLxGENE's obs columns
``dict_cellxgene_uns``          a CELLxGENE ``.uns`` dictionary

Files and folders (written to the working directory or the storage root)
------------------------------------------------------------------------
``file_fastq``, ``file_bam``, ``file_mini_csv``, ``dir_scrnaseq_cellranger``

LaminDB's downloaded datasets (``df_iris``, ``anndata_pbmc68k_reduced``, ``file_fcs``, …) are
named here too and raise :class:`~lamin_lab.errors.StorageError`: they need the network.

Examples
--------
>>> from lamin_lab.examples import datasets
>>> list(datasets.mini_immuno.get_dataset2().index)
['sample4', 'sample5', 'sample6']
>>> datasets.small_dataset1 is datasets.mini_immuno.get_dataset1
True
"""

from . import _remote, mini_immuno
from ._files import dir_scrnaseq_cellranger, file_bam, file_fastq, file_mini_csv
from ._remote import *  # noqa: F403  (the downloaded datasets: each raises StorageError)
from ._small import dict_cellxgene_uns, small_dataset3_cellxgene

small_dataset1 = mini_immuno.get_dataset1
small_dataset2 = mini_immuno.get_dataset2

__all__ = sorted(
    [
        "dict_cellxgene_uns",
        "dir_scrnaseq_cellranger",
        "file_bam",
        "file_fastq",
        "file_mini_csv",
        "mini_immuno",
        "small_dataset1",
        "small_dataset2",
        "small_dataset3_cellxgene",
        *_remote.__all__,
    ]
)
