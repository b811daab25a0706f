"""Example datasets, generated locally.

Modules
-------
``mini_immuno``   two small expression + metadata tables (``get_dataset1``, ``get_dataset2``)

Examples
--------
>>> from lamin_lab.examples import datasets
>>> list(datasets.mini_immuno.get_dataset2().index)
['sample4', 'sample5', 'sample6']
"""

from . import mini_immuno

__all__ = ["mini_immuno"]
