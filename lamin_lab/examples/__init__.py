"""Small example data, as LaminDB's ``ln.examples``.

Everything is generated locally: no download.

Modules
-------
``datasets``    ``datasets.mini_immuno.get_dataset1()``, ``get_dataset2()``

Examples
--------
>>> import lamin_lab as ln
>>> ln.examples.datasets.mini_immuno.get_dataset1().shape
(3, 12)
"""

from . import datasets

__all__ = ["datasets"]
