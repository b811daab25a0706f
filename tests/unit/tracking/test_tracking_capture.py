"""Tee of stdout/stderr for scripts."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

from lamin_lab.tracking.capture import OutputCapture


def test_prints_and_captures_both_streams(capsys):
    capture = OutputCapture()
    capture.start()
    print("to stdout")
    print("to stderr", file=sys.stderr)
    text = capture.stop()
    shown = capsys.readouterr()
    assert text == "to stdout\nto stderr\n"
    assert (shown.out, shown.err) == ("to stdout\n", "to stderr\n")


def test_stop_restores_the_streams():
    before = (sys.stdout, sys.stderr)
    capture = OutputCapture()
    capture.start()
    capture.stop()
    assert (sys.stdout, sys.stderr) == before


def test_start_twice_captures_once():
    capture = OutputCapture()
    capture.start()
    capture.start()
    print("once")
    assert capture.stop() == "once\n"


def test_stop_twice_returns_empty_second_time():
    capture = OutputCapture()
    capture.start()
    print("x")
    capture.stop()
    assert capture.stop() == ""


def test_stream_replaced_after_start_is_left_alone():
    capture = OutputCapture()
    capture.start()
    print("before")
    replacement = io.StringIO()
    with contextlib.redirect_stdout(replacement):
        print("while redirected")
        text = capture.stop()
        assert sys.stdout is replacement  # not clobbered by stop()
    print("after")  # through the tee, now pass-through: not recorded
    assert text == "before\n"
    assert replacement.getvalue() == "while redirected\n"


def test_tee_keeps_stream_attributes():
    capture = OutputCapture()
    capture.start()
    try:
        assert sys.stdout.encoding == sys.stdout.target.encoding
        assert callable(sys.stdout.isatty)
    finally:
        capture.stop()


def test_long_output_keeps_the_tail(capsys):
    capture = OutputCapture(max_chars=10)
    capture.start()
    for i in range(30):
        print(i)
    text = capture.stop()
    capsys.readouterr()
    assert text == "[... 70 earlier characters not kept ...]\n\n27\n28\n29\n"


def test_real_script_output_is_shown_and_captured(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(
        "import sys\n"
        "from lamin_lab.tracking.capture import start_capture, stop_capture\n"
        "start_capture()\n"
        "print('epoch 1')\n"
        "print('warning', file=sys.stderr)\n"
        "log = stop_capture()\n"
        "open(sys.argv[1], 'w').write(log)\n"
    )
    log_file = tmp_path / "log.txt"
    done = subprocess.run(
        [sys.executable, str(script), str(log_file)], capture_output=True, text=True, check=True
    )
    assert (done.stdout, done.stderr) == ("epoch 1\n", "warning\n")
    assert log_file.read_text() == "epoch 1\nwarning\n"


def test_missing_stderr_is_skipped(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stderr", None)
    capture = OutputCapture()
    capture.start()
    print("only stdout")
    text = capture.stop()
    capsys.readouterr()
    assert (text, sys.stderr) == ("only stdout\n", None)
