"""Detect the notebook or script that is running, for ``ln.track()``.

The order of the checks, first match wins:

1. an explicit ``path=``;
2. inside a Jupyter kernel:

   a. VS Code's ``__vsc_ipynb_file__`` in the user namespace;
   b. the running Jupyter servers' sessions, matched by this kernel's id (follows
      renames, unlike ``JPY_SESSION_NAME`` below);
   c. the command line of a headless runner that started the kernel
      (``jupyter nbconvert --execute``, ``papermill``, ``jupyter execute``);
   d. ``JPY_SESSION_NAME``, set by jupyter_server when it starts a kernel (only
      in a kernel a server started: child processes inherit the variable);

   outside a kernel, the script: ``__main__.__file__`` (or ``__file__`` in an
   IPython namespace, as ``ipython script.py`` and ``%run`` set it);
3. the environment variable ``LAMIN_LAB_NOTEBOOK_PATH``, for what nothing above
   detects (a kernel started by ``nbclient`` or ``papermill`` from Python, or
   ``python -c``). It is a fallback, not an override, so that a value inherited
   by child processes cannot mislabel a script they run.

Anything else (``python -c``, a REPL) raises
:class:`~lamin_lab.errors.NotebookNotFound` with what to do instead.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lamin_lab.errors import NotebookNotFound

from .runners import notebooks_from_runner, process_argv_and_cwd, runner_of
from .servers import iter_kernel_notebooks, kernel_id_from_connection_file

ENV_NOTEBOOK_PATH = "LAMIN_LAB_NOTEBOOK_PATH"

_WHAT_TO_DO = (
    "Pass the path explicitly, `ln.track(path='my_analysis.ipynb')`, or set the "
    f"environment variable {ENV_NOTEBOOK_PATH} to the notebook's path before the "
    "kernel starts (with nbclient: `client.execute(env={**os.environ, "
    f"'{ENV_NOTEBOOK_PATH}': path}})`)."
)

#: How each detection found the file; the headless ones ran a saved file as is.
HEADLESS_HOWS = frozenset({"nbconvert", "papermill", "jupyter-execute"})


@dataclass(frozen=True)
class RunningFile:
    """The notebook or script that is running.

    Attributes
    ----------
    path
        Absolute path of the file.
    kind
        ``"notebook"`` or ``"script"``.
    how
        Which detection found it: ``"path"``, ``"env"``, ``"vscode"``,
        ``"jupyter-server"``, ``"jupyter-session-env"``, ``"nbconvert"``,
        ``"papermill"``, ``"jupyter-execute"`` or ``"script"``.

    Examples
    --------
    >>> RunningFile(Path("/w/a.py"), "script", "script").name
    'a.py'
    """

    path: Path
    kind: Literal["notebook", "script"]
    how: str

    @property
    def name(self) -> str:
        """The file name."""
        return self.path.name

    @property
    def headless(self) -> bool:
        """True when a runner executed the saved file (nothing left to save)."""
        return self.how in HEADLESS_HOWS


def kind_of(path: Path) -> Literal["notebook", "script"]:
    """Return ``"notebook"`` for ``.ipynb`` files, else ``"script"``.

    Examples
    --------
    >>> kind_of(Path("a.ipynb")), kind_of(Path("a.py"))
    ('notebook', 'script')
    """
    return "notebook" if path.suffix.lower() == ".ipynb" else "script"


def _checked(path: str | os.PathLike, how: str) -> RunningFile:
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise NotebookNotFound(
            f"The file to track, {str(path)!r} (found via {how}), does not exist. "
            "Save it first, or pass the right path: `ln.track(path=...)`."
        )
    kind = kind_of(resolved)
    if kind == "notebook" and resolved.name.lower().startswith("untitled"):
        raise NotebookNotFound(
            f"The notebook is still called {resolved.name!r}. Rename it to say what "
            "it does (File > Rename Notebook...), save it, then call `ln.track()` "
            "again: its name becomes the transform's key."
        )
    return RunningFile(resolved, kind, how)


def _ipython_shell() -> Any | None:
    # Only look if IPython is already loaded: importing it here would cost ~0.3 s.
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        return ipython.get_ipython()
    except Exception:  # a half-initialised IPython counts as "none"
        return None


def _connection_file() -> Path | None:
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    if kernelapp is None or not kernelapp.IPKernelApp.initialized():
        return None
    from ipykernel.connect import get_connection_file

    try:
        return Path(get_connection_file()).resolve()
    except (OSError, RuntimeError):
        return None


def _from_servers(connection_file: Path | None) -> Path | None:
    kernel_id = connection_file and kernel_id_from_connection_file(connection_file)
    if not kernel_id:
        return None
    from jupyter_core.paths import jupyter_runtime_dir

    # The kernel's connection file sits in its server's runtime dir, which may not
    # be this process's default one.
    dirs = [connection_file.parent, Path(jupyter_runtime_dir())]
    for path, _info in iter_kernel_notebooks(kernel_id, dirs):
        return path
    return None


def _from_runner() -> tuple[Path, str] | None:
    parent = os.environ.get("JPY_PARENT_PID") or str(os.getppid())
    found = process_argv_and_cwd(int(parent)) if parent.isdigit() else None
    runner = found and runner_of(found[0])
    if not runner:
        return None
    name, args = runner
    # papermill also runs notebooks from URLs: those are not files to track.
    candidates = [
        path for path in notebooks_from_runner(name, args, found[1], Path.cwd()) if path.is_file()
    ]
    if len(candidates) > 1:
        listed = ", ".join(str(c) for c in candidates)
        raise NotebookNotFound(
            f"{name} runs several notebooks ({listed}) and this kernel cannot tell "
            f"which one it is. {_WHAT_TO_DO}"
        )
    return (candidates[0], name) if candidates else None


def _from_session_variable(server_started: bool) -> Path | None:
    session_name = os.environ.get("JPY_SESSION_NAME")
    # Any process started from a notebook inherits the variable, kernels of
    # nbclient included: only trust it in a kernel a server started.
    if not server_started or not session_name or Path(session_name).suffix != ".ipynb":
        return None
    session_path = Path(session_name)
    if not session_path.is_absolute():
        # A server-relative API path: the server started the kernel in the
        # notebook's folder.
        session_path = Path.cwd() / session_path.name
    return session_path


def _detect_in_kernel(shell: Any) -> RunningFile | None:
    vscode_file = shell.user_ns.get("__vsc_ipynb_file__")
    if vscode_file:
        return _checked(vscode_file, "vscode")
    connection_file = _connection_file()
    from_server = _from_servers(connection_file)
    if from_server is not None:
        return _checked(from_server, "jupyter-server")
    from_runner = _from_runner()
    if from_runner is not None:
        return _checked(*from_runner)
    server_started = bool(connection_file and kernel_id_from_connection_file(connection_file))
    from_variable = _from_session_variable(server_started)
    if from_variable is not None:
        return _checked(from_variable, "jupyter-session-env")
    return None


def _detect_script(shell: Any | None) -> RunningFile | None:
    main = sys.modules.get("__main__")
    file = getattr(main, "__file__", None)
    if file is None and shell is not None:
        file = shell.user_ns.get("__file__")  # `ipython script.py`, `%run`
    if file and Path(file).is_file():
        return _checked(file, "script")
    return None


def detect_running(path: str | os.PathLike | None = None) -> RunningFile:
    """Find the notebook or script that is running.

    Parameters
    ----------
    path
        The file to track; skips detection when given.

    Raises
    ------
    NotebookNotFound
        When nothing can be detected, the file does not exist, or the notebook is
        still called ``Untitled*.ipynb``; the message says what to do.

    Examples
    --------
    >>> import tempfile
    >>> script = Path(tempfile.mkdtemp()) / "clean.py"
    >>> _ = script.write_text("print(1)")
    >>> detect_running(script).kind
    'script'
    """
    if path is not None:
        return _checked(path, "path")
    shell = _ipython_shell()
    in_kernel = shell is not None and getattr(shell, "kernel", None) is not None
    found = _detect_in_kernel(shell) if in_kernel else _detect_script(shell)
    if found is not None:
        return found
    from_env = os.environ.get(ENV_NOTEBOOK_PATH)
    if from_env:
        return _checked(from_env, "env")
    if in_kernel:
        raise NotebookNotFound(
            "Cannot find the path of this notebook: no Jupyter server lists this "
            f"kernel and no known runner started it. {_WHAT_TO_DO}"
        )
    raise NotebookNotFound(
        "Nothing to track: this is an interactive session or `python -c`, not a "
        "script or a notebook. Run a script file (`python my_script.py`), or pass "
        "the file this code belongs to: `ln.track(path='my_script.py')`, or set "
        f"{ENV_NOTEBOOK_PATH}."
    )
