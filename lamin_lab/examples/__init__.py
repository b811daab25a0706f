"""Small example data, as LaminDB's ``ln.examples``.

Everything is generated locally: no download. LaminDB's datasets that are downloaded are
named too and raise :class:`~lamin_lab.errors.StorageError` saying they need the network.

Modules
-------
``datasets``    ``datasets.mini_immuno.get_dataset1()``, ``get_dataset2()``,
                ``define_features_labels()``, ``small_dataset3_cellxgene()``, mock files
                (``file_fastq()``, ``file_bam()``, ``file_mini_csv()``, ``dir_scrnaseq_cellranger()``)
``schemas``     ``schemas.valid_features()``
``mlflow``      ``mlflow.save_mlflow_features()``: a Feature type for MLflow run metadata
``wandb``       ``wandb.save_wandb_features()``: a Feature type for Weights & Biases run metadata

Examples
--------
>>> import lamin_lab as ln
>>> ln.examples.datasets.mini_immuno.get_dataset1().shape
(3, 12)
"""

from . import datasets, mlflow, schemas, wandb

__all__ = ["datasets", "mlflow", "schemas", "wandb"]
