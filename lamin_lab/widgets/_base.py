"""The shared base of every panel: static assets and the request/reply loop.

The browser sends ``{"type": ..., "request_id": n, "view": v, ...}`` with
``model.send``; :meth:`Panel._handle` dispatches it to the method
``_cmd_<type>`` and returns the reply, which is sent back tagged with the same
``request_id``, ``view`` and a ``channel`` (the request type). The browser
keeps the newest request id per channel and drops older (stale) replies.

This module imports anywidget at top level: ``lamin_lab.widgets`` is never
imported by ``import lamin_lab``.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any
from collections.abc import Callable

import anywidget
import traitlets
from anywidget._file_contents import VirtualFileContents

from ..errors import InvalidArgument, LaminLabError
from ._records import record_ref

STATIC = Path(__file__).parent / "static"
logger = logging.getLogger("lamin_lab")


#: the line of a panel's module that names what it takes from common.js
COMMON_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./common\.js";\n', re.M)


def common_exports() -> set[str]:
    """The helpers ``common.js`` exports.

    Examples
    --------
    >>> {"h", "makeClient"} <= common_exports()
    True
    """
    common = (STATIC / "common.js").read_text(encoding="utf-8")
    return set(re.findall(r"^export function (\w+)\(", common, re.M))


def common_imports(name: str) -> list[str]:
    """The helpers the panel ``<name>.js`` imports from ``common.js`` (its import line).

    Examples
    --------
    >>> common_imports("search")[:2]
    ['h', 'debounce']
    """
    panel = (STATIC / f"{name}.js").read_text(encoding="utf-8")
    found = COMMON_IMPORT.search(panel)
    return [n.strip() for n in found.group(1).split(",")] if found else []


def load_esm(name: str, static: Path = STATIC) -> str:
    """The ES module of a panel: ``common.js`` inlined where ``<name>.js`` imports it.

    Each panel file is a real ES module that names its helpers
    (``import { h, makeClient } from "./common.js";``); anywidget needs one module, so
    the import line is replaced by the helpers themselves. No bundler is needed.

    Examples
    --------
    >>> esm = load_esm("search")
    >>> "export default" in esm and "function makeClient(" in esm
    True
    """
    panel = (static / f"{name}.js").read_text(encoding="utf-8")
    return COMMON_IMPORT.sub(lambda _: common_script(static) + "\n", panel, count=1)


def common_script(static: Path = STATIC) -> str:
    """``common.js`` as plain functions (its ``export`` keywords dropped), to inline or run as a script.

    Examples
    --------
    >>> "function h(" in common_script() and "export " not in common_script()
    True
    """
    common = (static / "common.js").read_text(encoding="utf-8")
    return re.sub(r"^export (?=function )", "", common, flags=re.M)


def hot_reload_enabled() -> bool:
    """True when panels follow edits of their JavaScript: ``ANYWIDGET_HMR=1``, as anywidget's own switch.

    Examples
    --------
    >>> hot_reload_enabled() == (os.environ.get("ANYWIDGET_HMR") == "1")
    True
    """
    return os.environ.get("ANYWIDGET_HMR") == "1"


#: stop events of the watcher threads started by :func:`live_text` (hot reload only)
_watchers: list[threading.Event] = []


def _follow(paths: list[Path], on_change: Callable[[], None], stop: threading.Event) -> None:
    from watchfiles import watch  # a development tool: imported only when hot reload is on

    for _changes in watch(*paths, stop_event=stop, debounce=100):
        try:
            on_change()
        except OSError:  # an editor replacing the file: the next event brings it back
            pass


def live_text(read: Callable[[], str], sources: list[Path]) -> VirtualFileContents:
    """Text that anywidget syncs to every widget using it, re-read when a source file changes.

    anywidget gives each widget an ``_esm``/``_css`` trait from a class attribute of this
    kind and follows its changes. With ``ANYWIDGET_HMR=1`` (and ``pip install watchfiles``)
    a thread watches ``sources`` and every open panel re-renders with the edited code, no
    kernel restart; otherwise the text is read once.

    Examples
    --------
    >>> text = live_text(lambda: "export default {}", [STATIC / "common.js"])
    >>> str(text)
    'export default {}'
    """
    # anywidget's own class: its widgets connect to this type's change signal (anywidget >= 0.9)
    text = VirtualFileContents(read())
    if hot_reload_enabled() and importlib.util.find_spec("watchfiles") is None:
        logger.warning("ANYWIDGET_HMR=1, but panels cannot follow edits: pip install watchfiles")
    elif hot_reload_enabled():

        def reread() -> None:
            text.contents = read()

        stop = threading.Event()
        _watchers.append(stop)
        threading.Thread(target=_follow, args=(sources, reread, stop), daemon=True).start()
    return text


def stop_hot_reload() -> None:
    """Stop every watcher thread that hot reload started (tests; a kernel that keeps running).

    Examples
    --------
    >>> stop_hot_reload()
    """
    while _watchers:
        _watchers.pop().set()


@functools.cache
def panel_module(name: str, static: Path = STATIC) -> VirtualFileContents:
    """The ES module of a panel (:func:`load_esm`), live under ``ANYWIDGET_HMR=1``.

    A panel class sets ``_esm = panel_module("<name>")``: an edit of ``<name>.js`` or of
    ``common.js`` reaches every open panel of that kind (see :func:`live_text`).

    Examples
    --------
    >>> "export default" in str(panel_module("search"))
    True
    """
    return live_text(lambda: load_esm(name, static), [static / f"{name}.js", static / "common.js"])


def load_css() -> str:
    """The stylesheet shared by all panels (JupyterLab CSS variables only).

    Examples
    --------
    >>> "--jp-layout-color1" in load_css()
    True
    """
    return (STATIC / "panels.css").read_text(encoding="utf-8")


class Panel(anywidget.AnyWidget):
    """Base of the workbench panels: message dispatch and selection.

    Sub-classes define ``_cmd_<type>(self, msg) -> dict`` methods. ``selected``
    holds the record picked last in the panel (None before any pick).

    Examples
    --------
    >>> panel._handle({"type": "search", "q": "pbmc", "request_id": 3})  # doctest: +SKIP
    {'type': 'results', 'request_id': 3, ...}
    """

    _css = live_text(load_css, [STATIC / "panels.css"])  # live with ANYWIDGET_HMR=1
    #: registry + id + label of the selection, shown highlighted in the browser
    selection = traitlets.Dict({}).tag(sync=True)
    #: the record picked last (not synced: records stay in the kernel)
    selected = traitlets.Any(None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._select_callbacks: list[Callable[[Any], None]] = []
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        reply = self._handle(content)
        if reply is not None:
            self.send(reply)

    def _handle(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Answer one browser request; errors become ``{"type": "error"}`` replies.

        Examples
        --------
        >>> panel._handle({"type": "nope"})["type"]  # doctest: +SKIP
        'error'
        """
        kind = str(msg.get("type", "")) if isinstance(msg, dict) else ""
        method = getattr(self, f"_cmd_{kind}", None) if kind.isidentifier() else None
        try:
            if method is None:
                raise InvalidArgument(f"{type(self).__name__} does not answer {kind!r} requests.")
            reply = method(msg)
        except LaminLabError as error:
            reply = {"type": "error", "message": str(error)}
        except Exception as error:  # a panel must answer, or the browser waits forever
            reply = {"type": "error", "message": f"{type(error).__name__}: {error}"}
        reply.setdefault("type", kind)
        reply["channel"] = kind
        reply["request_id"] = msg.get("request_id") if isinstance(msg, dict) else None
        reply["view"] = msg.get("view") if isinstance(msg, dict) else None
        return reply

    def on_select(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(record)`` whenever a record is picked in this panel.

        Examples
        --------
        >>> search.on_select(lambda record: print(record))  # doctest: +SKIP
        """
        self._select_callbacks.append(callback)

    def _set_selected(self, record: Any) -> None:
        self.selection = record_ref(record) if record is not None else {}
        self.selected = record
        for callback in self._select_callbacks:
            callback(record)


def page_bounds(
    msg: dict[str, Any], default_limit: int = 20, max_limit: int = 200
) -> tuple[int, int]:
    """Validated ``(offset, limit)`` of a page request.

    Examples
    --------
    >>> page_bounds({"offset": 40, "limit": 20})
    (40, 20)
    """
    try:
        offset = int(msg.get("offset") or 0)
        limit = int(msg.get("limit") or default_limit)
    except (TypeError, ValueError):
        raise InvalidArgument("offset and limit of a page request are integers.") from None
    if offset < 0 or limit < 1:
        raise InvalidArgument("A page request needs offset >= 0 and limit >= 1.")
    return offset, min(limit, max_limit)
