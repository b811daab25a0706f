"""Find the notebook of a kernel started by a headless runner's command line.

``jupyter nbconvert --execute``, ``papermill`` and ``jupyter execute`` start
their kernel as a child process and tell it nothing about the notebook: no
environment variable, no session, a temporary connection file (checked by
running them). What they do leave is their own command line, and
jupyter_client hands the kernel the runner's process id in ``JPY_PARENT_PID``.
So the kernel reads its parent's ``argv`` and working directory (``/proc`` on
Linux, ``psutil`` elsewhere when installed) and picks the notebook out of them.

Runners driven from Python (``nbclient.NotebookClient``,
``papermill.execute_notebook``) leave no such trace: their users set
``LAMIN_LAB_NOTEBOOK_PATH`` in the kernel's environment instead.
"""

from __future__ import annotations

import os
from pathlib import Path

# Options whose next argument(s) are values, not the notebook to run.
_PAPERMILL_VALUE_OPTIONS = {
    "-p": 2, "--parameters": 2, "-r": 2, "--parameters_raw": 2,
    "-f": 1, "--parameters_file": 1, "-y": 1, "--parameters_yaml": 1,
    "-b": 1, "--parameters_base64": 1, "-k": 1, "--kernel": 1,
    "-l": 1, "--language": 1, "--cwd": 1, "--engine": 1, "--log-level": 1,
    "--start-timeout": 1, "--start_timeout": 1, "--execution-timeout": 1,
    "--inject-paths": 0, "--report-mode": 0, "--request-save-on-cell-execute": 0,
}  # fmt: skip
_OUTPUT_OPTIONS = ("--output", "--output-dir", "--to", "--template", "--config")

RUNNERS = {"jupyter-nbconvert": "nbconvert", "papermill": "papermill",
           "jupyter-execute": "jupyter-execute"}  # fmt: skip


def process_argv_and_cwd(pid: int) -> tuple[list[str], Path] | None:
    """Return a process's command line and working directory, if readable.

    Parameters
    ----------
    pid
        Process id.

    Examples
    --------
    >>> argv, cwd = process_argv_and_cwd(os.getpid())
    >>> cwd == Path.cwd()
    True
    """
    proc = Path(f"/proc/{pid}")
    try:
        raw = (proc / "cmdline").read_bytes()
        return [a for a in raw.decode(errors="replace").split("\0") if a], Path(
            os.readlink(proc / "cwd")
        )
    except OSError:
        pass
    try:
        import psutil  # optional: macOS and Windows have no /proc
    except ImportError:
        return None
    try:
        process = psutil.Process(pid)
        return process.cmdline(), Path(process.cwd())
    except Exception:  # psutil.Error and access errors alike mean "unknown"
        return None


def runner_of(argv: list[str]) -> tuple[str, list[str]] | None:
    """Name the runner in a command line and return it with its own arguments.

    Parameters
    ----------
    argv
        A full command line, interpreter included.

    Examples
    --------
    >>> runner_of(["/venv/bin/python3", "/venv/bin/papermill", "a.ipynb", "b.ipynb"])
    ('papermill', ['a.ipynb', 'b.ipynb'])
    >>> runner_of(["python", "-m", "pytest"]) is None
    True
    """
    for i, arg in enumerate(argv[:3]):
        name = Path(arg).name
        if name.endswith(".exe"):
            name = name[:-4]
        if name in RUNNERS:
            return RUNNERS[name], argv[i + 1 :]
        # `jupyter nbconvert ...` when the jupyter launcher did not exec the subcommand
        if name == "jupyter" and i + 1 < len(argv):
            sub = f"jupyter-{argv[i + 1]}"
            if sub in RUNNERS:
                return RUNNERS[sub], argv[i + 2 :]
    return None


def _papermill_input(args: list[str]) -> list[str]:
    positional, i = [], 0
    while i < len(args):
        arg = args[i]
        if arg in _PAPERMILL_VALUE_OPTIONS:
            i += 1 + _PAPERMILL_VALUE_OPTIONS[arg]
            continue
        if not arg.startswith("-"):
            positional.append(arg)
        i += 1
    # papermill INPUT [OUTPUT]: only the input is the notebook being run.
    return positional[:1]


def _nbconvert_inputs(args: list[str], cwd: Path) -> list[str]:
    found, skip_next = [], False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in _OUTPUT_OPTIONS:
            skip_next = True
            continue
        if arg.startswith("-"):
            continue
        # nbconvert expands globs itself, so `'*.ipynb'` may reach it unexpanded.
        import glob

        matches = glob.glob(str(cwd / arg)) if glob.has_magic(arg) else [arg]
        found.extend(m for m in matches if m.endswith(".ipynb"))
    return found


def notebooks_from_runner(
    runner: str, args: list[str], runner_cwd: Path, kernel_cwd: Path
) -> list[Path]:
    """Return the candidate notebooks of a runner's command line.

    When nbconvert runs several notebooks one after the other, each kernel runs in
    its notebook's folder, which narrows the candidates.

    Parameters
    ----------
    runner
        ``"nbconvert"``, ``"papermill"`` or ``"jupyter-execute"``.
    args
        The runner's arguments (after its program name).
    runner_cwd
        The runner's working directory, against which relative paths resolve.
    kernel_cwd
        The kernel's working directory.

    Examples
    --------
    >>> notebooks_from_runner("papermill", ["-p", "n", "1", "in.ipynb", "out.ipynb"],
    ...                       Path("/w"), Path("/w"))
    [PosixPath('/w/in.ipynb')]
    """
    if runner == "papermill":
        raw = _papermill_input(args)
    else:
        raw = _nbconvert_inputs(args, runner_cwd)
    paths = list(dict.fromkeys((runner_cwd / p).resolve() for p in raw))
    if len(paths) > 1:
        same_folder = [p for p in paths if p.parent == kernel_cwd.resolve()]
        paths = same_folder or paths
    return paths
