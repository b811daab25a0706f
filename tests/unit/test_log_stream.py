"""Where lamin_lab's notices go: stderr in a terminal, stdout for INFO inside a Jupyter kernel."""

from __future__ import annotations

import io
import logging
import sys

from lamin_lab.settings import _NoticeHandler


def _record(level: int) -> logging.LogRecord:
    return logging.LogRecord("lamin_lab", level, __file__, 1, "a notice", None, None)


def test_info_goes_to_stderr_outside_a_kernel(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    _NoticeHandler().emit(_record(logging.INFO))
    assert err.getvalue() == "a notice\n"


def test_info_goes_to_stdout_in_a_kernel_and_warnings_stay_on_stderr(monkeypatch):
    err = io.StringIO()
    kernel_stream = type("OutStream", (io.StringIO,), {"__module__": "ipykernel.iostream"})()
    monkeypatch.setattr(sys, "stdout", kernel_stream)
    monkeypatch.setattr(sys, "stderr", err)
    handler = _NoticeHandler()
    handler.emit(_record(logging.INFO))
    handler.emit(_record(logging.WARNING))
    assert kernel_stream.getvalue() == "a notice\n"
    assert err.getvalue() == "a notice\n"
