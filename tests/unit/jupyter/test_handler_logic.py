"""How a handler answers, without a server: worker thread, JSON body, status codes."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from lamin_lab.errors import DatabaseError, DoesNotExist, InstanceNotSetupError, InvalidArgument
from lamin_lab.jupyter import _jupyter_server_extension_points
from lamin_lab.jupyter.handlers import (
    EXECUTOR_KEY,
    CatalogHandler,
    handlers,
    make_executor,
    status_code,
)


class _Log:
    def error(self, *args):
        pass

    def exception(self, *args):
        pass


class _FakeHandler:
    """Just what ``CatalogHandler._answer`` uses of a tornado handler."""

    _answer = CatalogHandler._answer
    _error = CatalogHandler._error

    def __init__(self, executor):
        self.settings = {EXECUTOR_KEY: executor}
        self.status = 200
        self.body = None
        self.log = _Log()
        self.request = type("Request", (), {"path": "/lamin-lab/api/x"})()

    def set_status(self, code):
        self.status = code

    def finish(self, body):
        self.body = json.loads(body)


def _run(coroutine) -> None:
    """asyncio.run() on a thread of its own: another test (Playwright's sync API) may have
    left an event loop running on this one, and asyncio.run() refuses to nest."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as e:  # re-raised in the test's thread
            errors.append(e)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _answer(build):
    executor = make_executor()
    try:
        handler = _FakeHandler(executor)
        _run(handler._answer(build))
        return handler
    finally:
        executor.shutdown()


def test_database_work_runs_on_the_worker_thread_not_the_event_loop():
    loop_thread = threading.current_thread().name
    handler = _answer(lambda: {"thread": threading.current_thread().name})
    assert handler.status == 200
    assert handler.body["thread"].startswith("lamin-lab-db")
    assert handler.body["thread"] != loop_thread


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidArgument("bad filter"), 400),
        (DoesNotExist("gone"), 404),
        (InstanceNotSetupError("no instance"), 409),
        (DatabaseError("locked"), 500),
    ],
)
def test_lamin_lab_errors_become_json_with_a_status(error, code):
    def build():
        raise error

    handler = _answer(build)
    assert handler.status == code
    assert handler.body == {"message": str(error), "error": type(error).__name__}


def test_unexpected_errors_are_a_500_that_points_to_the_log():
    def build():
        raise KeyError("x")

    handler = _answer(build)
    assert handler.status == 500
    assert handler.body["error"] == "KeyError"
    assert "see the Jupyter server log" in handler.body["message"]


def test_status_code_of_a_subclass_follows_its_base():
    from lamin_lab.errors import FieldValidationError

    assert status_code(FieldValidationError("x")) == 400


def test_routes_live_under_the_base_url():
    routes = [pattern for pattern, _ in handlers("/user/me/")]
    assert routes[0] == "/user/me/lamin-lab/api/status"
    assert routes[2].startswith("/user/me/lamin-lab/api/records/")


def test_extension_point_names_the_module():
    assert _jupyter_server_extension_points() == [{"module": "lamin_lab.jupyter"}]
