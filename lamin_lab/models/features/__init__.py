"""Feature values of records: the ``record.features`` manager and the queries behind it.

- ``manager``: ``FeatureManager`` (``add_values``, ``get_values``, ``remove_values``, ...)
- ``values``: bulk reads of feature values for many records (``to_dataframe(features=)``)
- ``filters``: ``filter(<feature name>=...)`` and feature columns in ``to_dataframe``
- ``predicate``: feature expressions (``feature > 3``, ``feature.is_null()``)

The ``Feature`` registry itself is :mod:`lamin_lab.models.feature`.
"""
