"""Example schemas of LaminDB's guides, created in the current instance on first use.

Examples
--------
>>> import warnings
>>> import lamin_lab as ln
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", DeprecationWarning)
...     schema = ln.examples.schemas.valid_features()
>>> schema.name, schema.itype
('valid_features', 'Feature')
"""

from __future__ import annotations

import warnings

from ..errors import MissingDependency
from ..models import Schema
from ..models.schema import valid_features_schema


def valid_features() -> Schema:
    """The DataFrame schema ``valid_features``: every column must be a registered feature.

    Returns the saved schema (created on the first call, the same one afterwards). Deprecated in
    LaminDB as here, with a ``DeprecationWarning``: define a Feature type and a schema of your
    own instead.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     schema = ln.examples.schemas.valid_features()
    >>> schema.name, schema.itype
    ('valid_features', 'Feature')
    """
    warnings.warn(
        "ln.examples.schemas.valid_features() is deprecated: define a feature type and your own "
        "ln.Schema(itype=...) instead.",
        DeprecationWarning,
        stacklevel=2,
    )
    return valid_features_schema()


def anndata_ensembl_gene_ids_and_valid_features_in_obs() -> Schema:
    """Not available: LaminDB validates the genes of this AnnData schema with bionty's ``Gene`` registry.

    lamin_lab has no bionty, so there is no registry of Ensembl gene ids to point ``var.T`` at.
    Build the schema yourself with a Record type of genes, as in the example.

    Raises
    ------
    MissingDependency
        Always; the message shows the schema to define instead.

    Examples
    --------
    >>> var_schema = ln.Schema(name="my_genes", itype=ln.Record.name).save()
    >>> obs_schema = ln.Schema(name="obs_features", itype=ln.Feature).save()
    >>> schema = ln.Schema(otype="AnnData", slots={"obs": obs_schema, "var.T": var_schema}).save()
    >>> sorted(schema.slots)
    ['obs', 'var.T']
    """
    raise MissingDependency(
        "ln.examples.schemas.anndata_ensembl_gene_ids_and_valid_features_in_obs() needs bionty's Gene "
        "registry, which lamin_lab does not have (LaminDB deprecates this helper too). Define the schema "
        "yourself: ln.Schema(otype='AnnData', slots={'obs': ln.Schema(itype=ln.Feature).save(), "
        "'var.T': ln.Schema(itype=ln.Record.name).save()}) with your genes saved as records of a "
        "Record type."
    )


__all__ = ["anndata_ensembl_gene_ids_and_valid_features_in_obs", "valid_features"]
