"""Tornado handlers of the REST API under ``<base_url>lamin-lab/api/``.

======================================  ============================================
``GET status``                          current instance, storage, counts
``GET search?q=&registry=&limit=&offset=``  ranked hits (most recent when ``q`` is empty)
``GET records/<Registry>?offset=&limit=&order=&filter=``  a page of rows
``GET describe/<Registry>/<uid>``       describe tree as escaped HTML and as text
======================================  ============================================

Every handler needs an authenticated user (the server's token or login). Database
work runs in one worker thread: the event loop never waits for a query, and all
queries of this process share one connection to the current instance, so switching
instances never happens under a running query; a regex filter is stopped after its time
budget (:mod:`lamin_lab.orm.sqlite_regex`), so no query holds that thread for long. Errors
are JSON ``{"message", "error"}`` with 400 (bad argument, or a regex filter over its time
budget), 404 (no such registry or record), 409 (no instance set up) or 500.

Imported only by the server extension (tornado and jupyter_server are loaded there).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop

from ..errors import (
    DoesNotExist,
    InstanceNotSetupError,
    InvalidArgument,
    LaminLabError,
    QueryTimeout,
    ValidationError,
)
from . import rest

EXECUTOR_KEY = "lamin_lab_executor"
API_PREFIX = ("lamin-lab", "api")
#: lamin_lab error class → HTTP status (first match wins; the rest are 500)
STATUS_CODES: tuple[tuple[type[Exception], int], ...] = (
    (InvalidArgument, 400),
    (ValidationError, 400),
    (QueryTimeout, 400),  # a filter too costly to answer: the request should change
    (DoesNotExist, 404),
    (InstanceNotSetupError, 409),
)


def status_code(error: Exception) -> int:
    """The HTTP status for a lamin_lab error.

    Examples
    --------
    >>> status_code(InvalidArgument("bad"))
    400
    """
    return next((code for cls, code in STATUS_CODES if isinstance(error, cls)), 500)


class CatalogHandler(APIHandler):
    """Base handler: runs a catalog function off the event loop and writes its JSON.

    Examples
    --------
    A new endpoint is a subclass whose ``get`` awaits ``self._answer(function)``.
    """

    auth_resource = "lamin_lab"

    def _int_argument(self, name: str, default: int) -> int:
        raw = self.get_query_argument(name, "").strip()
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise InvalidArgument(f"{name} must be an integer, not {raw!r}.") from None

    async def _answer(self, build: Callable[[], dict[str, Any]]) -> None:
        try:
            executor = self.settings[EXECUTOR_KEY]
            result = await IOLoop.current().run_in_executor(executor, build)
        except LaminLabError as e:
            code = status_code(e)
            if code == 500:
                self.log.error("lamin_lab: %s: %s", type(e).__name__, e)
            self._error(code, str(e), type(e).__name__)
            return
        except Exception as e:  # never leave the browser without an answer it can show
            self.log.exception("lamin_lab: unexpected error in %s", self.request.path)
            self._error(
                500,
                f"Unexpected error ({type(e).__name__}: {e}); see the Jupyter server log.",
                type(e).__name__,
            )
            return
        self.finish(json.dumps(result))

    def _error(self, code: int, message: str, error: str) -> None:
        self.set_status(code)
        self.finish(json.dumps({"message": message, "error": error}))


class StatusHandler(CatalogHandler):
    """``GET status``: the current instance and how many records each registry has.

    Examples
    --------
    ``curl -H "Authorization: token $TOKEN" localhost:8888/lamin-lab/api/status``
    """

    @web.authenticated
    @authorized
    async def get(self) -> None:
        await self._answer(rest.status)


class SearchHandler(CatalogHandler):
    """``GET search?q=&registry=&limit=&offset=``: ranked hits across registries.

    Examples
    --------
    ``GET /lamin-lab/api/search?q=pbmc&registry=Artifact&limit=10``
    """

    @web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            limit = self._int_argument("limit", 20)
            offset = self._int_argument("offset", 0)
        except InvalidArgument as e:
            self._error(400, str(e), type(e).__name__)
            return
        q = self.get_query_argument("q", "")
        registry = self.get_query_argument("registry", "").strip()
        await self._answer(lambda: rest.search(q, registry, limit=limit, offset=offset))


class RecordsHandler(CatalogHandler):
    """``GET records/<Registry>?offset=&limit=&order=&filter=``: a page of rows.

    ``filter`` may be given several times; all must hold.

    Examples
    --------
    ``GET /lamin-lab/api/records/Artifact?order=-size&filter=suffix=.h5ad&filter=size__gt=1000000``
    """

    @web.authenticated
    @authorized
    async def get(self, registry: str) -> None:
        try:
            limit = self._int_argument("limit", 50)
            offset = self._int_argument("offset", 0)
        except InvalidArgument as e:
            self._error(400, str(e), type(e).__name__)
            return
        order = self.get_query_argument("order", "")
        filters = self.get_query_arguments("filter")
        await self._answer(
            lambda: rest.records(registry, offset=offset, limit=limit, order=order, filters=filters)
        )


class DescribeHandler(CatalogHandler):
    """``GET describe/<Registry>/<uid>``: the describe tree of one record.

    Examples
    --------
    ``GET /lamin-lab/api/describe/Artifact/KBW89Mf7IGcekja20000``
    """

    @web.authenticated
    @authorized
    async def get(self, registry: str, uid: str) -> None:
        await self._answer(lambda: rest.describe(registry, uid))


def handlers(base_url: str) -> list[tuple[str, type[CatalogHandler]]]:
    """URL patterns and handlers of the API below ``base_url``.

    Examples
    --------
    >>> handlers("/")[0][0]
    '/lamin-lab/api/status'
    """
    root = url_path_join(base_url, *API_PREFIX)
    return [
        (url_path_join(root, "status"), StatusHandler),
        (url_path_join(root, "search"), SearchHandler),
        (url_path_join(root, "records", r"(?P<registry>[^/]+)"), RecordsHandler),
        (
            url_path_join(root, "describe", r"(?P<registry>[^/]+)", r"(?P<uid>[^/]+)"),
            DescribeHandler,
        ),
    ]


def make_executor() -> ThreadPoolExecutor:
    """The one worker thread that does every database call of the server's process.

    Examples
    --------
    >>> make_executor().submit(lambda: 1 + 1).result()
    2
    """
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="lamin-lab-db")
