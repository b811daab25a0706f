"""lamin_lab in Jupyter: the server extension behind the JupyterLab sidebar.

Installing the package enables it (``etc/jupyter/jupyter_server_config.d/lamin_lab.json``);
it adds authenticated JSON handlers under ``<base_url>lamin-lab/api/`` (see
:mod:`.handlers`) that answer from the current lamin_lab instance (see :mod:`.catalog`).
The lab extension (``labextension/``, installed as ``lamin-lab``) is their only client.

Nothing here is imported by ``import lamin_lab``; jupyter_server and tornado are
imported when the server loads the extension.

Examples
--------
Enable it by hand (it is enabled by default once installed)::

    jupyter server extension enable lamin_lab.jupyter
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where Jupyter finds this extension.

    Examples
    --------
    >>> _jupyter_server_extension_points()
    [{'module': 'lamin_lab.jupyter'}]
    """
    return [{"module": "lamin_lab.jupyter"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the REST handlers and the worker thread that does the database work.

    Examples
    --------
    >>> _load_jupyter_server_extension(server_app)  # doctest: +SKIP
    """
    from .handlers import EXECUTOR_KEY, handlers, make_executor

    web_app = server_app.web_app
    web_app.settings[EXECUTOR_KEY] = make_executor()
    web_app.add_handlers(".*$", handlers(web_app.settings["base_url"]))
    server_app.log.info("lamin_lab: REST API at %slamin-lab/api/", web_app.settings["base_url"])


# The name older jupyter_server / notebook versions look for.
load_jupyter_server_extension = _load_jupyter_server_extension
