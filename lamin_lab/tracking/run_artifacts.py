"""The artifacts ``ln.finish()`` attaches to a run: its report and its environment.

Both are artifacts of kind ``"__lamindb_run__"`` saved *without* a run
(``artifact.run`` is None): they describe the run rather than being data it
produced, so they never show up among its outputs or in lineage graphs; they are
reached through ``run.report`` and ``run.environment``.

- A report belongs to one run: it is always a new artifact, even when two runs
  printed the same text (a hash match could otherwise adopt a user's artifact
  that happens to hold the same bytes).
- An environment is stored once per distinct content: runs with the same
  installed packages share one artifact, found by its hash among run artifacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lamin_lab.models import Artifact
from lamin_lab.orm.database import state

from .environment import capture_environment, environment_hash

RUN_ARTIFACT_KIND = "__lamindb_run__"


class _NoActiveRun:
    """Clear ``state.run_id`` for a block, so that saves do not link to the run."""

    def __enter__(self) -> None:
        self._saved, state.run_id = state.run_id, None

    def __exit__(self, *exc: object) -> None:
        state.run_id = self._saved


def _save_text(text: str, file_name: str, description: str) -> Any:
    import tempfile  # imports shutil and random: only when a run is finished

    with tempfile.TemporaryDirectory(prefix="lamin-lab-run-") as folder:
        path = Path(folder) / file_name
        path.write_text(text, encoding="utf-8")
        with _NoActiveRun():
            artifact = Artifact(
                path, description=description, kind=RUN_ARTIFACT_KIND, skip_hash_lookup=True
            )
            return artifact.save()


def save_report(text: str, suffix: str, run: Any) -> Any:
    """Save a run's report (``.html`` for notebooks, ``.txt`` for scripts' output).

    Examples
    --------
    >>> save_report("hello\\n", ".txt", run).suffix  # doctest: +SKIP
    '.txt'
    """
    return _save_text(text, f"report-{run.uid}{suffix}", f"report of run {run.uid}")


def save_environment(text: str | None = None) -> Any:
    """Return the environment artifact for ``text`` (default: this interpreter's).

    Examples
    --------
    >>> save_environment().kind
    '__lamindb_run__'
    """
    text = capture_environment() if text is None else text
    known = (
        Artifact.filter(hash=environment_hash(text), kind=RUN_ARTIFACT_KIND).order_by("id").first()
    )
    if known is not None:
        return known
    return _save_text(
        text, "requirements.txt", "Python environment of runs (packages and versions)"
    )
