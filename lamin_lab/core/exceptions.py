"""``lamin_lab.core.exceptions``: LaminDB's older name of :mod:`lamin_lab.errors` (same classes).

Examples
--------
>>> from lamin_lab.core.exceptions import ValidationError
>>> import lamin_lab as ln
>>> ValidationError is ln.errors.ValidationError
True
"""

from ..errors import *  # noqa: F403 - the whole exception tree, under its old name
from ..errors import __all__  # noqa: F401
