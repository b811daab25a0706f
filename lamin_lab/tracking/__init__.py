"""Tracking: ``ln.track()`` / ``ln.finish()`` and their building blocks.

``track``, ``finish`` and ``context`` are the public entry points (re-exported by
``lamin_lab``); the submodules detect the running file (``detect``), read its
source (``source``), capture output and environment (``capture``,
``environment``) and render reports (``report``).
"""

from .context import Context, context, finish, track

__all__ = ["Context", "context", "finish", "track"]
