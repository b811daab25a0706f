"""Features for Weights & Biases run metadata, as LaminDB's ``ln.examples.wandb``.

Examples
--------
>>> import lamin_lab as ln
>>> ln.examples.wandb.save_wandb_features()
>>> ln.Feature.filter(type__name="Weights & Biases").count()
11
"""

from __future__ import annotations

from ._feature_sets import save_feature_type

_FEATURES = (
    ("wandb_run_id", str),
    ("wandb_run_name", str),
    ("wandb_run_entity", str),
    ("wandb_project", str),
    ("wandb_state", str),
    ("wandb_url", str),
    ("wandb_tags", str),
    ("wandb_group", str),
    ("wandb_job_type", str),
    ("wandb_timestamp", float),
    ("wandb_runtime", float),
)


def save_wandb_features() -> None:
    """Save the Feature type ``Weights & Biases`` with eleven features describing a W&B run.

    The features are ``wandb_run_id``, ``wandb_run_name``, ``wandb_run_entity``, ``wandb_project``,
    ``wandb_state``, ``wandb_url``, ``wandb_tags``, ``wandb_group``, ``wandb_job_type`` (all
    ``str``) and ``wandb_timestamp``, ``wandb_runtime`` (``float``). A second call creates nothing new.

    Examples
    --------
    >>> ln.examples.wandb.save_wandb_features()
    >>> ln.Feature.get(name="wandb_runtime").dtype
    'float'
    """
    save_feature_type("Weights & Biases", _FEATURES)


__all__ = ["save_wandb_features"]
