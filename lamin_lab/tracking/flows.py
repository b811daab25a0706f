"""``@ln.flow()`` and ``@ln.step()``: each call of a decorated function is a run.

A decorated function belongs to a transform and each call is a
:class:`~lamin_lab.models.Run` of it, with the call's arguments as ``run.params``
(rules in :mod:`lamin_lab.tracking.params`) and the function's qualified name as
``run.entrypoint``. While the function runs, its run is the active run: artifacts
it loads are the run's inputs, those it saves its outputs, as under ``ln.track()``.

Which transform (as LaminDB 2.12.1 derives it):

- a function defined in a file is a run of that file: the transform is the file's
  (kind "script", the key ``ln.track()`` gives the file, its source); a function of
  a package module ``a.b`` has the key ``pypackages/a/b.py``;
- a function without a file (a notebook cell, ``exec``) is a transform of kind
  "function" whose source is the function's own code, keyed by the initiating
  run's transform (a step in a tracked notebook), else by the detected notebook,
  else by the function's name. The same code reuses the transform.

Flows and steps:

- **flow**: an entry point. It starts a top-level run and, by default
  (``global_run="clear"``), is ``ln.context.run`` while it runs. A flow called
  while ``ln.track()`` or another flow is active is refused (decorate it with
  ``@ln.step()``).
- **step**: a part of a flow or a tracked notebook/script. It needs an active run,
  which becomes its run's ``initiated_by_run``: the flow's, the enclosing step's,
  or ``ln.track()``'s. ``ln.context.run`` stays that of the flow or ``ln.track()``.

On success the run is finished ("completed"). An exception marks the run
"errored" (finished, ``status_code`` 1) and propagates unchanged; steps' errors
also error the enclosing flow when they propagate. ``KeyboardInterrupt`` marks it
"aborted" (2). The return value passes through.
"""

from __future__ import annotations

import functools
import inspect
import logging
import shlex
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from collections.abc import Callable

from lamin_lab.errors import InvalidArgument, NotebookNotFound, RunAlreadyActive, TrackNotCalled
from lamin_lab.models import Run, Transform
from lamin_lab.orm.database import atomic, ensure_connected, state
from lamin_lab.orm.fields import utcnow
from lamin_lab.storage.hashing import hash_bytes

from .context import _project, context, initiating_run, source_spec
from .detect import detect_running
from .identity import SourceSpec, check_uid, resolve_transform
from .params import annotations_of, params_to_json

logger = logging.getLogger("lamin_lab")

F = TypeVar("F", bound=Callable[..., Any])
GlobalRun = Literal["memorize", "clear", "none"]

#: status codes LaminDB gives a run that ended with an exception / was interrupted
ERRORED, ABORTED = 1, 2

#: the run of the flow or step being executed in this thread / task
_current: ContextVar[Any] = ContextVar("lamin_lab_current_flow_run", default=None)

#: arguments of a flow that are also ``ln.track()`` options (kept in params as well)
_ALIASES = ("project", "initiated_by_run")


def _active_global_run() -> Any:
    run = context.run
    return run if run is not None and run.finished_at is None and state.run_id is not None else None


def current_run() -> Any:
    """The run a step called now would be initiated by: the innermost flow or step, else ``ln.track()``'s.

    Examples
    --------
    >>> current_run() is None  # nothing tracked
    True
    """
    return _current.get() or _active_global_run()


@dataclass(frozen=True)
class _Decorated:
    func: Any
    uid: str | None
    is_flow: bool
    global_run: GlobalRun
    aliases: bool


def _function_spec(func: Any, parent: Any) -> SourceSpec:
    """A function without a file: kind "function", its own source."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        source = f"# source of {func.__qualname__} is not available\n"
    key = parent.transform.key if parent is not None else None
    if key is None:
        try:
            key = source_spec(detect_running()).key
        except NotebookNotFound:
            key = func.__qualname__
    return SourceSpec(key, "function", source, hash_bytes(source.encode("utf-8"))[0], None)


def _spec(func: Any, parent: Any) -> SourceSpec:
    try:
        raw = inspect.getsourcefile(func)
    except TypeError:
        raw = None
    if raw is None or not Path(raw).is_file():
        return _function_spec(func, parent)
    spec = source_spec(detect_running(raw))
    module = getattr(func, "__module__", "") or ""
    if "." in module:  # a module of a package: keyed by its import path, as LaminDB does
        spec = SourceSpec(
            f"pypackages/{module.replace('.', '/')}.py",
            spec.kind,
            spec.source,
            spec.hash,
            spec.description,
        )
    return spec


def _transform_for(spec: SourceSpec, uid: str | None) -> Any:
    if spec.kind != "function" or uid is not None:
        return resolve_transform(spec, uid).transform
    same = Transform.filter(key=spec.key, kind="function", hash=spec.hash).order_by("-id").first()
    if same is not None:
        return same
    return Transform(key=spec.key, kind="function", source_code=spec.source, hash=spec.hash).save()


def _refuse_or_parent(d: _Decorated) -> Any:
    if d.is_flow:
        active = current_run()
        if active is not None:
            raise RunAlreadyActive(
                f"@ln.flow() {d.func.__qualname__}() was called while Run('{active.uid}') is active "
                "(ln.track() or another flow): decorate it with @ln.step() to record it as part of "
                "that run, or call ln.finish() first."
            )
        return None
    parent = current_run()
    if parent is None:
        raise TrackNotCalled(
            f"@ln.step() {d.func.__qualname__}() needs a run to belong to: call it inside a function "
            "decorated with @ln.flow(), or call ln.track() first."
        )
    return parent


def _start(d: _Decorated, args: tuple, kwargs: dict) -> Any:
    ensure_connected()
    bound = inspect.signature(d.func).bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    parent = _refuse_or_parent(d)
    project = None
    if d.aliases:
        if arguments.get("initiated_by_run") is not None:
            parent = initiating_run(arguments["initiated_by_run"])
        if arguments.get("project") is not None:
            project = _project(arguments["project"])
    if d.uid is not None:
        check_uid(d.uid)
    params = params_to_json(arguments, annotations_of(d.func))
    spec = _spec(d.func, parent)
    main = getattr(d.func, "__module__", None) == "__main__"
    cli_args = shlex.join(sys.argv[1:]) if d.is_flow and main and len(sys.argv) > 1 else None
    with atomic():  # the transform and the run, or neither
        transform = _transform_for(spec, d.uid)
        run = Run(
            transform=transform,
            status="started",
            entrypoint=d.func.__qualname__,
            params=params or None,
            initiated_by_run=parent,
            cli_args=cli_args,
        ).save()
        if project is not None:
            run.projects.add(project)
            transform.projects.add(project)
    logger.info(
        "%s Transform('%s', key=%r), started Run('%s', entrypoint=%r)",
        "flow" if d.is_flow else "step",
        transform.uid,
        transform.key,
        run.uid,
        run.entrypoint,
    )
    return run


def _end(run: Any, status_code: int) -> None:
    run.finished_at, run._status_code = utcnow(), status_code
    try:
        run.save()
    except Exception as error:  # never hide the user's exception behind ours
        if status_code == 0:
            raise
        logger.error("could not store Run('%s') as errored: %s", run.uid, error)


def _call(d: _Decorated, args: tuple, kwargs: dict) -> Any:
    run = _start(d, args, kwargs)
    token = _current.set(run)
    saved_run_id, saved_context_run = state.run_id, context.run
    state.run_id = run.id
    if d.is_flow and d.global_run != "none":
        context.run = run
    try:
        result = d.func(*args, **kwargs)
    except Exception:
        _end(run, ERRORED)
        raise
    except BaseException:  # KeyboardInterrupt, SystemExit
        _end(run, ABORTED)
        raise
    finally:
        _current.reset(token)
        state.run_id = saved_run_id
        if d.is_flow and d.global_run == "clear" and context.run is run:
            context.run = saved_context_run  # None, or the finished run of an earlier ln.track()
    _end(run, 0)
    return result


def _decorator(d_args: dict[str, Any]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        if not callable(func):
            kind = "flow" if d_args["is_flow"] else "step"
            raise InvalidArgument(
                f"@ln.{kind}() decorates a function, not {type(func).__name__}: "
                f"write @ln.{kind}() on the line above `def`."
            )
        d = _Decorated(func=func, **d_args)

        @functools.wraps(func)
        def tracked(*args: Any, **kwargs: Any) -> Any:
            return _call(d, args, kwargs)

        return tracked  # type: ignore[return-value]

    return decorate


def _checked_options(uid: Any, global_run: Any = "clear") -> None:
    if uid is not None and not isinstance(uid, str):
        raise InvalidArgument(
            f"uid= takes a transform uid (str), not {type(uid).__name__}: e.g. uid='a1B2c3D4e5F6'."
        )
    if uid is not None:
        check_uid(uid)
    if global_run not in ("memorize", "clear", "none"):
        raise InvalidArgument(
            f"global_run= takes 'clear', 'memorize' or 'none', not {global_run!r}."
        )


def flow(
    uid: str | None = None, global_run: GlobalRun = "clear", track_arg_aliases: bool = True
) -> Callable[[F], F]:
    """Track each call of a function as a run of a workflow: ``@ln.flow()``.

    Parameters
    ----------
    uid
        A transform uid (12-character stem or 16-character version) that keeps the
        transform's history across renames of the file.
    global_run
        ``"clear"`` (default): the run is ``ln.context.run`` during the call and is
        cleared afterwards; ``"memorize"``: it stays ``ln.context.run`` after the call;
        ``"none"``: ``ln.context.run`` is left alone (several flows at once in one process).
    track_arg_aliases
        Arguments named ``project`` or ``initiated_by_run`` also act as the
        ``ln.track()`` options of the same name (and stay in ``run.params``).

    Raises
    ------
    InvalidArgument
        At the call, when a run is active already (use ``@ln.step()`` inside runs).

    Examples
    --------
    >>> @ln.flow()  # doctest: +SKIP
    ... def ingest(path: str, min_count: int = 3):
    ...     return ln.Artifact(path, key="raw/counts.csv").save()
    >>> ingest("counts.csv").run.params  # doctest: +SKIP
    {'path': 'counts.csv', 'min_count': 3}
    """
    _checked_options(uid, global_run)
    return _decorator(
        {"uid": uid, "is_flow": True, "global_run": global_run, "aliases": bool(track_arg_aliases)}
    )


def step(uid: str | None = None) -> Callable[[F], F]:
    """Track each call of a function as a run that is part of a flow or tracked run: ``@ln.step()``.

    Parameters
    ----------
    uid
        A transform uid, as for :func:`flow`.

    Raises
    ------
    TrackNotCalled
        At the call, when no run is active: call it from a flow or after ``ln.track()``.

    Examples
    --------
    >>> @ln.step()  # doctest: +SKIP
    ... def normalise(df):
    ...     return df / df.sum()
    >>> ln.track(); normalise(df); ln.finish()  # doctest: +SKIP
    """
    _checked_options(uid)
    return _decorator({"uid": uid, "is_flow": False, "global_run": "none", "aliases": False})


__all__ = ["current_run", "flow", "step"]
