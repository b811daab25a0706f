"""Features for MLflow run metadata, as LaminDB's ``ln.examples.mlflow``.

Examples
--------
>>> import lamin_lab as ln
>>> ln.examples.mlflow.save_mlflow_features()
>>> ln.Feature.filter(type__name="MLflow").count()
10
"""

from __future__ import annotations

from ._feature_sets import save_feature_type

_FEATURES = (
    ("mlflow_run_id", str),
    ("mlflow_run_name", str),
    ("mlflow_experiment_id", str),
    ("mlflow_experiment_name", str),
    ("mlflow_user_id", str),
    ("mlflow_status", str),
    ("mlflow_lifecycle_stage", str),
    ("mlflow_artifact_uri", str),
    ("mlflow_start_time", int),
    ("mlflow_end_time", int),
)


def save_mlflow_features() -> None:
    """Save the Feature type ``MLflow`` with ten features describing an MLflow run.

    The features are ``mlflow_run_id``, ``mlflow_run_name``, ``mlflow_experiment_id``,
    ``mlflow_experiment_name``, ``mlflow_user_id``, ``mlflow_status``, ``mlflow_lifecycle_stage``,
    ``mlflow_artifact_uri`` (all ``str``) and ``mlflow_start_time``, ``mlflow_end_time`` (``int``,
    milliseconds as MLflow reports them). A second call creates nothing new.

    Examples
    --------
    >>> ln.examples.mlflow.save_mlflow_features()
    >>> ln.Feature.get(name="mlflow_start_time").dtype
    'int'
    """
    save_feature_type("MLflow", _FEATURES)


__all__ = ["save_mlflow_features"]
