"""Tracking: ``ln.track()`` / ``ln.finish()`` and their building blocks.

``track``, ``finish``, ``context``, ``flow`` and ``step`` are the public entry points
(re-exported by ``lamin_lab``); the submodules detect the running file (``detect``),
read its source (``source``), capture output and environment (``capture``,
``environment``), render reports (``report``) and make runs of decorated functions
(``flows``, with their arguments as params: ``params``).
"""

from .context import Context, context, finish, track
from .flows import flow, step

__all__ = ["Context", "context", "finish", "flow", "step", "track"]
