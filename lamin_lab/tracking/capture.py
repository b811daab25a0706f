"""Tee a script's stdout and stderr into a buffer while still printing them.

``ln.track()`` calls :func:`start_capture` in scripts and ``ln.finish()`` calls
:func:`stop_capture`, which returns what was printed in between (the script's
run log). Both are safe to call twice.

Why the streams are wrapped rather than swapped back blindly: other code (pytest,
``contextlib.redirect_stdout``, logging setups) may replace ``sys.stdout`` after
us. Stopping then restores the original stream only where our tee is still
installed; a tee that someone else wrapped or replaced is switched to pass-through,
so their stream keeps working and nothing more is recorded.

Only writes through ``sys.stdout``/``sys.stderr`` are captured, not output that
subprocesses or C libraries write to the file descriptors directly.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

#: Keep at most this many characters (the most recent ones) of a run's output.
DEFAULT_MAX_CHARS = 10_000_000


class _Log:
    """The shared, thread-safe buffer both tees write into."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0
        self.lock = threading.Lock()

    def add(self, text: str) -> None:
        with self.lock:
            self.parts.append(text)
            self.size += len(text)
            if self.size > 2 * self.max_chars:  # compact rarely: amortised O(1)
                self._trim()

    def _trim(self) -> None:
        joined = "".join(self.parts)
        keep = joined[-self.max_chars :]
        self.dropped += len(joined) - len(keep)
        self.parts, self.size = [keep], len(keep)

    def text(self) -> str:
        with self.lock:
            if self.size > self.max_chars:
                self._trim()
            body = "".join(self.parts)
            if self.dropped:
                return f"[... {self.dropped} earlier characters not kept ...]\n{body}"
            return body


class TeeStream:
    """A text stream that forwards everything to ``target`` and records writes.

    Examples
    --------
    >>> import io
    >>> tee = TeeStream(io.StringIO(), _Log(100))
    >>> tee.write("hi")
    2
    >>> tee.log.text()
    'hi'
    """

    def __init__(self, target: TextIO, log: _Log) -> None:
        self.target = target
        self.log = log
        self.recording = True

    def write(self, text: str) -> int:
        written = self.target.write(text)
        if self.recording and isinstance(text, str):
            self.log.add(text)
        return written

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.target.flush()

    def __getattr__(self, name: str) -> Any:
        # encoding, isatty, fileno, buffer, ...: whatever the real stream offers
        if name in ("target", "log", "recording"):  # not set yet (copy, pickle)
            raise AttributeError(name)
        return getattr(self.target, name)


class OutputCapture:
    """Capture of ``sys.stdout`` and ``sys.stderr`` between start and stop.

    Examples
    --------
    >>> capture = OutputCapture()
    >>> capture.start()
    >>> print("hello")
    hello
    >>> capture.stop()
    'hello\\n'
    """

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.max_chars = max_chars
        self._log: _Log | None = None
        self._tees: dict[str, TeeStream] = {}

    @property
    def active(self) -> bool:
        """Whether the capture is running."""
        return self._log is not None

    def start(self) -> None:
        """Install the tees; does nothing when already started."""
        if self._log is not None:
            return
        self._log = _Log(self.max_chars)
        for name in ("stdout", "stderr"):
            if getattr(sys, name) is None:  # pythonw and some services have none
                continue
            tee = TeeStream(getattr(sys, name), self._log)
            self._tees[name] = tee
            setattr(sys, name, tee)

    def stop(self) -> str:
        """Remove the tees and return the captured text (``""`` if not started)."""
        if self._log is None:
            return ""
        for name, tee in self._tees.items():
            tee.recording = False
            if getattr(sys, name) is tee:
                setattr(sys, name, tee.target)
        text = self._log.text()
        self._log, self._tees = None, {}
        return text

    def text(self) -> str:
        """The text captured so far, without stopping."""
        return self._log.text() if self._log is not None else ""


_CURRENT = OutputCapture()


def start_capture() -> None:
    """Start capturing this process's stdout and stderr (idempotent).

    Examples
    --------
    >>> start_capture()
    >>> print("logged")
    logged
    >>> stop_capture()
    'logged\\n'
    """
    _CURRENT.start()


def stop_capture() -> str:
    """Stop capturing and return what was printed since :func:`start_capture`.

    Returns ``""`` when no capture is running, so calling it twice is safe.

    Examples
    --------
    >>> stop_capture()
    ''
    """
    return _CURRENT.stop()
