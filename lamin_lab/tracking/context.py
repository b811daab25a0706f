"""``ln.track()`` and ``ln.finish()``: record which code made which data.

``ln.track()`` finds the running notebook or script, finds or makes its
:class:`~lamin_lab.models.Transform` (rules in :mod:`lamin_lab.tracking.identity`),
starts a :class:`~lamin_lab.models.Run` and makes it the active run
(``state.run_id``): from then on, artifacts and collections that are loaded,
cached or opened become the run's inputs, and saved ones its outputs (the
registries do that; an artifact the run made is never its input).

``ln.finish()`` completes the run:

- **source**: ``transform.source_code`` holds the script, or a notebook's code
  cells as a percent-format script. The ``.ipynb`` itself is not stored as a
  separate artifact: its code is the source and its rendering (with outputs) is
  the report;
- **report**: notebooks: the saved notebook rendered to HTML (nbconvert), after
  checking that the file on disk holds the code that ran (in a live kernel;
  headless runners ran the saved file as it is, so a headless report shows the
  file as it is on disk). Scripts: what they printed to stdout and stderr;
- **environment**: the installed packages, one artifact per distinct environment;
- ``finished_at``; the active run is cleared.

Decisions:

- ``ln.finish()`` without ``ln.track()`` raises
  :class:`~lamin_lab.errors.TrackNotCalled`; a second ``ln.finish()`` of the same
  run changes nothing and says so.
- A script that ends without ``ln.finish()`` is finished at interpreter exit
  (an ``atexit`` hook), with ``status_code`` 1 ("errored") when it ended with an
  uncaught exception. Notebooks are never finished implicitly: their report
  needs the saved notebook.
- ``ln.track()`` again while a run is active starts a new run (re-running the
  first cell of a notebook); the earlier run stays unfinished. LaminDB instead
  continues a notebook's latest run by default; here that takes
  ``ln.track(new_run=False)`` (for notebooks and scripts alike), so that a run's
  inputs and outputs never mix two executions unless asked for.
- ``features=`` are saved with the run in one transaction: an unregistered
  feature leaves no run behind.
"""

from __future__ import annotations

import atexit
import json
import logging
import sys
from typing import Any

from lamin_lab.errors import DoesNotExist, InvalidArgument, TrackNotCalled
from lamin_lab.models import Branch, Project, Run, Transform
from lamin_lab.models.mixins import current_user_id
from lamin_lab.orm.branches import resolve_branch, set_run_branch
from lamin_lab.orm.database import atomic, ensure_connected, state
from lamin_lab.orm.fields import utcnow
from lamin_lab.storage.hashing import hash_bytes

from . import capture
from .detect import RunningFile, detect_running
from .identity import Resolution, SourceSpec, resolve_transform, revise_for_changed_source
from .source import notebook_title, source_code, source_hash, transform_key
from .environment import capture_environment
from .report import out_of_order_cells
from .run_artifacts import save_environment, save_report
from .report import check_notebook_fresh, notebook_report_html

logger = logging.getLogger("lamin_lab")

#: ``run._status_code`` of a run continued by ``ln.track(new_run=False)`` ("restarted")
RESTARTED = -2

#: detections that mean a person edits the notebook live (its file may be stale)
_INTERACTIVE = frozenset({"jupyter-server", "vscode", "jupyter-session-env"})


def _script_description(source: str) -> str | None:
    # The first line of the module docstring, as a script's "title".
    import ast

    try:
        docstring = ast.get_docstring(ast.parse(source))
    except (SyntaxError, ValueError):
        return None
    first = docstring.strip().splitlines()[0].strip() if docstring and docstring.strip() else ""
    return first[:1024] or None


def source_spec(found: RunningFile) -> SourceSpec:
    """What a tracked file says about its transform: key, kind, source, hash, title.

    Examples
    --------
    >>> source_spec(detect_running("clean.py")).kind  # doctest: +SKIP
    'script'
    """
    code = source_code(found.path, found.kind)
    if found.kind == "notebook":  # the hash of the code cells, as source_hash() computes it
        description, digest = notebook_title(found.path), hash_bytes(code.encode("utf-8"))[0]
    else:
        description, digest = _script_description(code), source_hash(found.path, "script")
    return SourceSpec(transform_key(found.path), found.kind, code, digest, description)


def _in_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _is_main_script(found: RunningFile | None) -> bool:
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if found is None or found.kind != "script" or not main_file or _in_kernel():
        return False
    from pathlib import Path

    return Path(main_file).resolve() == found.path


def _branch(branch: Any) -> Any:
    try:
        return resolve_branch(branch)
    except DoesNotExist:
        raise InvalidArgument(
            f"No branch {branch!r} (name or uid): create it first with "
            f"ln.Branch(name={branch!r}).save() or `lamin-lab switch -c {branch}`."
        ) from None


def _project(project: Any) -> Any:
    if isinstance(project, Project):
        return project if project._pk is not None else project.save()
    if isinstance(project, str):
        found = Project.filter(name=project).order_by("-id").first()
        if found is None:
            raise DoesNotExist(
                f"No project is called {project!r}. Create it first, "
                f"`ln.Project(name={project!r}).save()`, or pass an existing one."
            )
        return found
    raise InvalidArgument(
        f"project= takes a project name or an ln.Project, not {type(project).__name__}."
    )


def _checked_params(params: Any) -> dict[str, Any] | None:
    if params is None:
        return None
    if not isinstance(params, dict):
        raise InvalidArgument(
            f"params= takes a dict, not {type(params).__name__}: e.g. params={{'lr': 0.01}}."
        )
    try:
        json.dumps(params)
    except (TypeError, ValueError) as error:
        raise InvalidArgument(
            f"params= must be JSON-serialisable ({error}): use numbers, strings, booleans, "
            "lists and dicts, e.g. str(path) instead of a Path."
        ) from None
    return params


def _checked_features(features: Any) -> dict[str, Any] | None:
    if features is None:
        return None
    if not isinstance(features, dict):
        raise InvalidArgument(
            f"features= takes a dict of feature names and values, not {type(features).__name__}: "
            "e.g. features={'learning_rate': 0.01} (register each feature first with ln.Feature(...).save())."
        )
    return features


def initiating_run(run: Any) -> Any:
    """The run that started this one: a saved ``ln.Run``, a run uid, or ``$LAMIN_INITIATED_BY_RUN_UID``.

    Raises
    ------
    InvalidArgument
        For an unsaved run, a uid no run has, or anything else.

    Examples
    --------
    >>> initiating_run(None) is None  # without the environment variable
    True
    """
    import os

    if run is None:
        run = os.environ.get("LAMIN_INITIATED_BY_RUN_UID") or None
        if run is None:
            return None
    if isinstance(run, Run):
        if run._pk is None:
            raise InvalidArgument("initiated_by_run= takes a saved run: save it first, run.save().")
        return run
    if isinstance(run, str):
        found = Run.filter(uid=run).first()
        if found is None:
            raise InvalidArgument(
                f"No run has uid {run!r} (initiated_by_run=): pass an existing ln.Run or the uid of one, "
                "e.g. ln.Run.filter().order_by('-started_at').first()."
            )
        return found
    raise InvalidArgument(
        f"initiated_by_run= takes an ln.Run or a run uid, not {type(run).__name__}."
    )


def _restarted_run(transform: Any) -> Any:
    # new_run=False: the latest run of this transform by the current user, if any.
    return Run.filter(transform=transform.id, created_by=current_user_id()).order_by("-id").first()


def _restart(run: Any, *, params: Any, cli_args: Any, parent: Any) -> None:
    run.started_at, run.finished_at, run._status_code = utcnow(), None, RESTARTED
    if params is not None:
        run.params = params
    if cli_args is not None:
        run.cli_args = cli_args
    if parent is not None:
        run.initiated_by_run = parent
    run.save()


class Context:
    """The tracked transform and run of this process: ``ln.context``.

    Attributes
    ----------
    transform
        The transform of the last ``ln.track()``, or None.
    run
        The run started by the last ``ln.track()`` (finished or not), or None.
    path
        The tracked file, or None.

    Examples
    --------
    >>> ln.track()  # doctest: +SKIP
    >>> ln.context.transform.key, ln.context.run.uid  # doctest: +SKIP
    ('analysis.ipynb', 'nT3xv9XkPq1aBc0D')
    """

    def __init__(self) -> None:
        self.transform: Any = None
        self.run: Any = None
        self._found: RunningFile | None = None
        self._capturing = False
        self._atexit = False

    @property
    def branch(self) -> Any:
        """The branch records made during the run go onto (``ln.track(branch=...)``), or None."""
        return None if state.branch_id is None else Branch.get(state.branch_id)

    @property
    def path(self) -> Any:
        """The tracked notebook or script."""
        return self._found.path if self._found is not None else None

    def __repr__(self) -> str:
        transform = self.transform.uid if self.transform is not None else None
        run = self.run.uid if self.run is not None else None
        return f"Context(transform={transform!r}, run={run!r})"

    # ------------------------------------------------------------ track
    def track(
        self,
        transform: Any = None,
        *,
        params: dict[str, Any] | None = None,
        path: Any = None,
        project: Any = None,
        features: dict[str, Any] | None = None,
        new_run: bool | None = None,
        initiated_by_run: Any = None,
        branch: Any = None,
    ) -> Run:
        """Start a run of the running notebook or script (see :func:`track`)."""
        ensure_connected()
        set_run_branch(_branch(branch) if branch is not None else None)
        params = _checked_params(params)
        features = _checked_features(features)
        linked_project = _project(project) if project is not None else None
        parent = initiating_run(initiated_by_run)
        found, spec = self._what_runs(transform, path)
        import shlex

        cli_args = (
            shlex.join(sys.argv[1:]) if _is_main_script(found) and len(sys.argv) > 1 else None
        )
        with atomic():  # one commit for the transform, the run, its features and links
            resolution = self._resolve(transform, spec)
            run = _restarted_run(resolution.transform) if new_run is False else None
            restarted = run is not None
            if run is None:
                run = Run(
                    transform=resolution.transform,
                    status="started",
                    params=params,
                    cli_args=cli_args,
                    initiated_by_run=parent,
                ).save()
            else:
                _restart(run, params=params, cli_args=cli_args, parent=parent)
            if features:
                run.features.add_values(features)
            if linked_project is not None:
                run.projects.add(linked_project)
                resolution.transform.projects.add(linked_project)
        self.transform, self.run, self._found = resolution.transform, run, found
        state.run_id = run.id
        state.project_id = None if linked_project is None else linked_project.id
        self._start_capture(found)
        self._announce(resolution, run, pinned=transform is not None, restarted=restarted)
        return run

    @staticmethod
    def _what_runs(transform: Any, path: Any) -> tuple[RunningFile | None, SourceSpec | None]:
        if isinstance(transform, Transform):  # a registered transform: no file needed
            return (detect_running(path) if path is not None else None), None
        if transform is not None and not isinstance(transform, str):
            raise InvalidArgument(
                f"ln.track() takes a transform uid (str) or an ln.Transform, not {type(transform).__name__}."
            )
        found = detect_running(path)
        return found, source_spec(found)

    @staticmethod
    def _resolve(transform: Any, spec: SourceSpec | None) -> Resolution:
        if spec is None:
            created = transform._pk is None
            return Resolution(transform.save() if created else transform, created=created)
        return resolve_transform(spec, transform)

    def _start_capture(self, found: RunningFile | None) -> None:
        # Scripts' printed output is their report; a kernel's outputs are in the notebook.
        if found is None or found.kind != "script" or _in_kernel():
            return
        capture.start_capture()
        self._capturing = True
        if _is_main_script(found) and not self._atexit:
            atexit.register(_finish_at_exit, self)
            self._atexit = True

    def _announce(
        self, resolution: Resolution, run: Any, pinned: bool, restarted: bool = False
    ) -> None:
        t = resolution.transform
        verb = "created" if resolution.created else "loaded"
        started = "re-started" if restarted else "started"
        logger.info(
            "%s Transform('%s', key=%r), %s Run('%s')", verb, t.uid, t.key, started, run.uid
        )
        if resolution.note:
            logger.info("%s", resolution.note)
        if resolution.created and not pinned and t.uid.endswith("0000"):
            logger.info(
                "to keep this transform's history across renames, call ln.track(%r)", t.stem_uid
            )

    # ------------------------------------------------------------ finish
    def finish(self, *, ignore_non_consecutive: bool | None = None, _status_code: int = 0) -> Run:
        """Complete the active run (see :func:`finish`)."""
        run = self.run
        if run is None:
            raise TrackNotCalled(
                "ln.finish() completes the run that ln.track() started, and no run was "
                "started in this process: call ln.track() first (at the top of the "
                "notebook or script)."
            )
        if run.finished_at is not None:
            logger.info(
                "Run('%s') already finished at %s: nothing to do; call ln.track() to start a new run",
                run.uid,
                run.finished_at,
            )
            return run
        found = self._found
        notebook = found if found is not None and found.kind == "notebook" else None
        # Everything that can fail slowly or ask the user to act comes before the
        # transaction: the freshness check, rendering, reading the environment.
        report = self._report_text(notebook, run)  # checks first that the notebook was saved
        if notebook is not None and not notebook.headless and ignore_non_consecutive is not True:
            # a headless runner ran the file as it was saved, so its counts say nothing
            _check_cell_order(notebook.path, strict=ignore_non_consecutive is False)
        environment = capture_environment()
        with atomic():  # one commit for the source, report, environment and run
            if notebook is not None:  # the notebook may have been saved since ln.track()
                self.transform = revise_for_changed_source(
                    self.transform, source_spec(notebook), run
                )
            run.report = save_report(report[0], report[1], run) if report is not None else None
            run.environment = save_environment(environment)
            run.finished_at = utcnow()
            run.status_code = _status_code
            run.transform = self.transform
            run.save()
        if state.run_id == run.id:
            state.run_id = state.project_id = None
            set_run_branch(None)  # records made after the run go onto the current branch
        if _status_code == 0:
            logger.info("finished Run('%s') of Transform('%s')", run.uid, self.transform.uid)
        else:  # a crash: the run is stored as errored, and the user should not read "finished"
            logger.error(
                "Run('%s') of Transform('%s') errored: stored with status 'errored' (its output so far "
                "is the run's report)",
                run.uid,
                self.transform.uid,
            )
        return run

    def _report_text(self, notebook: RunningFile | None, run: Any) -> tuple[str, str] | None:
        """The report's text and suffix: the rendered notebook, or a script's output."""
        if notebook is not None:
            if _in_kernel() and not notebook.headless:
                started = run.started_at if notebook.how in _INTERACTIVE else None
                check_notebook_fresh(notebook.path, started_at=started)
            try:
                return notebook_report_html(notebook.path), ".html"
            except ImportError:  # nbconvert is not installed: finish without a report
                logger.warning(
                    "no report for Run('%s'): rendering a notebook needs nbconvert "
                    "(pip install nbconvert)",
                    run.uid,
                )
                return None
        if not self._capturing:
            return None
        self._capturing = False
        return capture.stop_capture(), ".txt"


def _check_cell_order(path: Any, strict: bool) -> None:
    jumps = out_of_order_cells(path)
    if not jumps:
        return
    what = f"the cells of {path.name} did not run in order (execution counts {jumps})"
    if strict:
        raise InvalidArgument(
            f"{what}, and ln.finish(ignore_non_consecutive=False) asks for that: re-run the notebook from "
            "the top (Restart Kernel and Run All), save it, and call ln.finish() again; or call "
            "ln.finish(ignore_non_consecutive=True) to finish it as it is."
        )
    logger.warning("%s: the report shows them as they ran", what)


def _finish_at_exit(context: Context) -> None:
    # atexit: a script ended without ln.finish(). An uncaught exception has been
    # printed (and captured) by now and left in sys.last_value.
    run = context.run
    if run is None or run.finished_at is not None:
        return
    errored = getattr(sys, "last_value", None) is not None
    try:
        context.finish(_status_code=1 if errored else 0)
    except Exception as error:  # the interpreter is exiting: report, do not raise
        print(f"lamin_lab: could not finish Run('{run.uid}') at exit: {error}", file=sys.__stderr__)


context = Context()


def track(
    transform: Any = None,
    *,
    params: dict[str, Any] | None = None,
    path: Any = None,
    project: Any = None,
    features: dict[str, Any] | None = None,
    new_run: bool | None = None,
    initiated_by_run: Any = None,
    branch: Any = None,
) -> Run:
    """Track the running notebook or script: its transform and a new run.

    The transform is found by the file's key (its path in the git project, else its
    name): the same source reuses it, changed source makes a new version (or updates
    a transform none of whose runs finished yet), a new key a new transform: a
    renamed file too. Pass a uid to pin it: a 12-character stem pins the family
    (renames keep the history), a 16-character uid that exact version.

    Parameters
    ----------
    transform
        A transform uid (12-character stem or 16-character version) or an
        ``ln.Transform``; None to identify the file by its key.
    params
        Parameters of this run (JSON-serialisable dict), stored as ``run.params``.
    path
        The notebook or script, when it cannot be detected (or in tests).
    project
        An ``ln.Project`` or a project name, linked to the run and the transform.
    features
        Values of registered features to annotate the run with, e.g.
        ``{"learning_rate": 0.01}`` (``run.features.get_values()`` reads them back).
    new_run
        False: continue the latest run of this transform by the current user (its
        status becomes "restarted"; a new run when there is none). True or None
        (default): start a new run.
    initiated_by_run
        The run (or its uid) that started this one, e.g. a pipeline's run; stored as
        ``run.initiated_by_run``. Default: ``$LAMIN_INITIATED_BY_RUN_UID`` when set.
    branch
        A branch (or its name or uid): the transform, the run and the records made
        until ``ln.finish()`` go onto it; queries keep seeing the current branch.

    With an ``ln.Transform``, nothing is detected (unless ``path=`` is given): the
    run has no source or report of its own, only parameters, inputs and outputs.

    Raises
    ------
    NotebookNotFound
        When the running file cannot be found, or a notebook is still ``Untitled``.
    InvalidArgument
        For a malformed uid, a pinned version whose source changed, or an unknown
        ``initiated_by_run``.
    ValidationError
        For a feature in ``features=`` that is not registered (nothing is saved).

    Examples
    --------
    >>> ln.track()  # doctest: +SKIP
    >>> ln.track("a1B2c3D4e5F6", params={"lr": 0.01}, project="atlas")  # doctest: +SKIP
    >>> ln.track(features={"learning_rate": 0.01}, initiated_by_run=parent_run)  # doctest: +SKIP
    """
    return context.track(
        transform,
        params=params,
        path=path,
        project=project,
        features=features,
        new_run=new_run,
        initiated_by_run=initiated_by_run,
        branch=branch,
    )


def finish(ignore_non_consecutive: bool | None = None) -> Run:
    """Finish the run ``ln.track()`` started: source, report, environment, ``finished_at``.

    In a notebook, save it first: the report is made from the saved file, and a
    stale file raises :class:`~lamin_lab.errors.NotebookNotSaved` (save, then call
    again). Scripts are also finished automatically when they exit.

    Parameters
    ----------
    ignore_non_consecutive
        Notebooks: whether cells that ran out of order (execution counts that do
        not go 1, 2, 3, ...) may be finished. None (default): finish, with a
        warning that names the jumps; True: finish without checking; False: refuse
        (re-run the notebook from the top, save, and finish again). Scripts are
        not checked.

    Raises
    ------
    TrackNotCalled
        When no run was started in this process.

    Examples
    --------
    >>> ln.finish()  # doctest: +SKIP
    >>> ln.finish(ignore_non_consecutive=True)  # doctest: +SKIP
    """
    return context.finish(ignore_non_consecutive=ignore_non_consecutive)
