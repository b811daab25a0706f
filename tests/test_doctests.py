"""Every ``>>>`` example in lamin_lab's docstrings runs and shows what it says.

One test per module with examples; each docstring runs in a temp folder of its own (its
working directory) with a fresh instance, under the test's own ``LAMIN_LAB_HOME``, with
``ln`` (``import lamin_lab as ln``) in its namespace, and leaves nothing behind. An example
that cannot run here (a notebook, a server, S3) carries ``# doctest: +SKIP``.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "lamin_lab"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


MODULES = _modules_with_examples()


def test_examples_are_found():
    assert len(MODULES) > 50


@pytest.mark.instance
@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name, ln, tmp_path, monkeypatch):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out = io.StringIO()
    verbosity = ln.settings.verbosity
    try:
        for i, test in enumerate(finder.find(module, module_name, extraglobs={"ln": ln})):
            if any(not ex.options.get(doctest.SKIP) for ex in test.examples):
                folder = tmp_path / str(i)  # a fresh instance and working directory per docstring
                folder.mkdir()
                monkeypatch.chdir(folder)
                ln.setup.init(storage=folder / "data")
            runner.run(test, out=out.write)
    finally:
        ln.settings.verbosity = verbosity
    assert runner.failures == 0, out.getvalue()
