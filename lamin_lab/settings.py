"""Settings: where lamin_lab keeps its configuration, the current instance and user.

Everything is stored as small JSON files below ``LAMIN_LAB_HOME`` (default
``~/.config/lamin_lab``): ``user.json`` (the local user), ``current.json`` (the
instance last ``init``-ed or ``connect``-ed), ``instances/<name>.json`` (one per
instance) and ``branches/<name>.json`` (the branch last switched to in an instance). Nothing here touches the database.

Examples
--------
>>> import lamin_lab as ln
>>> ln.settings.verbosity = "warning"
>>> ln.setup.settings.user.handle  # doctest: +SKIP
'alice'
"""

from __future__ import annotations

import json
import logging
import os
import string
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._services import service
from .errors import InstanceNotSetupError, InvalidArgument

logger = logging.getLogger("lamin_lab")

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
# LaminDB's six levels, in order; an int 0-5 picks one by position. "success" and "hint"
# sit between warning/info and info/debug.
_VERBOSITY = {"error": 40, "warning": 30, "success": 25, "info": 20, "hint": 15, "debug": 10}
_VERBOSITY_ORDER = list(_VERBOSITY)
logging.addLevelName(25, "SUCCESS")
logging.addLevelName(15, "HINT")


def _random_uid(n_char: int) -> str:
    # Uniform over the 62 symbols: bytes >= 248 are dropped (248 = 4 * 62).
    return "".join(_BASE62[b % 62] for b in os.urandom(4 * n_char) if b < 248)[:n_char]


def home_dir() -> Path:
    """Return the folder that holds every settings file (``LAMIN_LAB_HOME``).

    Examples
    --------
    >>> home_dir().name  # doctest: +SKIP
    'lamin_lab'
    """
    env = os.environ.get("LAMIN_LAB_HOME")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "lamin_lab"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise InvalidArgument(
            f"Cannot read settings file {path}: {e}. Fix or delete the file."
        ) from e


def _write_json(path: Path, data: dict[str, Any]) -> None:
    # Write to a temporary sibling and rename, so a crash never leaves half a file. The
    # sibling's name is the process's own: processes connecting at once each write theirs.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
    os.replace(tmp, path)


@dataclass
class UserSettings:
    """The local user: a stable random ``uid`` and a ``handle`` from the OS user name."""

    uid: str
    handle: str
    name: str | None = None

    @classmethod
    def load_or_create(cls) -> UserSettings:
        """Read ``user.json`` or create it once with a fresh uid.

        Examples
        --------
        >>> UserSettings.load_or_create().uid  # doctest: +SKIP
        'a1B2c3D4'
        """
        path = home_dir() / "user.json"
        data = _read_json(path)
        if data is None:
            import getpass  # only when the user file is first created

            try:
                handle = getpass.getuser()
            except Exception:  # no user name in some containers
                handle = "local"
            data = {"uid": _random_uid(8), "handle": handle, "name": None}
            _write_json(path, data)
        return cls(**data)


@dataclass
class InstanceSettings:
    """One instance: its name, metadata database and default storage root."""

    name: str
    db: str
    storage_root: str
    uid: str = ""
    storage_roots: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "postgresql" if self.db.startswith(("postgresql://", "postgres://")) else "sqlite"

    def save(self) -> None:
        """Persist this instance's settings file."""
        _write_json(home_dir() / "instances" / f"{self.name}.json", asdict(self))

    @classmethod
    def load(cls, name: str) -> InstanceSettings | None:
        """Read an instance's settings file, or None when there is none."""
        data = _read_json(home_dir() / "instances" / f"{name}.json")
        return None if data is None else cls(**data)


def read_current_instance_name() -> str | None:
    """Name of the instance last ``init``-ed or ``connect``-ed, if any."""
    data = _read_json(home_dir() / "current.json")
    return None if data is None else data.get("name")


def write_current_instance_name(name: str) -> None:
    """Make ``name`` the current instance for every new process."""
    _write_json(home_dir() / "current.json", {"name": name})


def _branch_file(instance: str) -> Path:
    return home_dir() / "branches" / f"{instance}.json"


def read_current_branch(instance: str) -> dict[str, str] | None:
    """The branch last switched to in ``instance`` (``{"uid": ..., "name": ...}``), if any.

    Examples
    --------
    >>> read_current_branch("an-instance-never-switched") is None
    True
    """
    return _read_json(_branch_file(instance))


def write_current_branch(instance: str, uid: str, name: str) -> None:
    """Remember the current branch of ``instance`` for every new process (``ln.setup.switch``).

    Examples
    --------
    >>> write_current_branch("scratch", "mmmmmmmmmmmm", "main")  # doctest: +SKIP
    """
    _write_json(_branch_file(instance), {"uid": uid, "name": name})


class StorageSettings:
    """The default storage location of the current instance (``ln.settings.storage``).

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.settings.storage.record.root == ln.settings.storage.root_as_str  # doctest: +SKIP
    True
    """

    def __init__(self, root: str):
        self.root_as_str = root

    @property
    def root(self) -> Any:
        """The storage root as a ``UPath`` (a ``PosixUPath`` for a local folder), as in LaminDB."""
        # the storage layer answers (lamin_lab/_services.py); fsspec is loaded there, on first use
        return service("upath_class")()(self.root_as_str)

    @property
    def record(self) -> Any:
        """The ``Storage`` record of this location (registered on first use when missing).

        Examples
        --------
        >>> import lamin_lab as ln
        >>> ln.settings.storage.record.type  # doctest: +SKIP
        'local'
        """
        # settings sit below the registries: the models layer answers (lamin_lab/_services.py)
        return service("storage_of_root")(self.root_as_str)

    @property
    def type(self) -> str:
        """``local``, ``s3``, ``gs``, ... as detected from the root."""
        return self.root_as_str.split("://", 1)[0] if "://" in self.root_as_str else "local"

    def __repr__(self) -> str:
        return f"StorageSettings(root={self.root_as_str!r})"


class _NoticeHandler(logging.StreamHandler):
    """Notices go to stderr, except INFO and below inside a Jupyter kernel: there they go to
    stdout, as LaminDB's do, so the notebook does not show them in red stderr boxes."""

    def __init__(self) -> None:
        super().__init__()
        # stderr as it was at import: a script's captured output (its report) keeps notices out.
        self._stderr = self.stream

    def emit(self, record: logging.LogRecord) -> None:
        # sys.stdout is looked up at each message: the kernel installs its stream after import.
        in_kernel = type(sys.stdout).__module__.startswith("ipykernel")
        self.stream = sys.stdout if in_kernel and record.levelno < logging.WARNING else self._stderr
        super().emit(record)


class CreationSettings:
    """How records are created: ``ln.settings.creation``.

    Attributes
    ----------
    search_names : bool
        Constructing a record whose name exists returns the existing record (default True).
    artifact_silence_missing_run_warning : bool
        Do not warn when an artifact is created outside a tracked run (default False).
    artifact_skip_size_hash : bool
        Skip computing size and hash of new artifacts (default False).
    _artifact_use_virtual_keys : bool
        LaminDB's private switch (default True): False stores a new artifact's copy under its key
        (``<root>/<key>``) unless ``key_is_virtual=`` says otherwise.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.settings.creation.search_names
    True
    """

    def __init__(self) -> None:
        self.search_names = True
        self.artifact_silence_missing_run_warning = False
        self.artifact_skip_size_hash = False
        self._artifact_use_virtual_keys = True

    def __repr__(self) -> str:
        return (
            f"CreationSettings(search_names={self.search_names}, artifact_silence_missing_run_warning="
            f"{self.artifact_silence_missing_run_warning}, artifact_skip_size_hash={self.artifact_skip_size_hash})"
        )


class AnnotationSettings:
    """How data is annotated: ``ln.settings.annotation``.

    Attributes
    ----------
    n_max_records : int
        The most category values described per feature (default 1000).

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.settings.annotation.n_max_records
    1000
    """

    def __init__(self) -> None:
        self.n_max_records = 1000

    def __repr__(self) -> str:
        return f"AnnotationSettings(n_max_records={self.n_max_records})"


class Settings:
    """Runtime settings: ``ln.settings``.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.settings.verbosity = "warning"  # "debug", "info" (the default), "warning", "error"
    >>> ln.settings.verbosity
    'warning'
    """

    def __init__(self) -> None:
        self._instance: InstanceSettings | None = None
        self._user: UserSettings | None = None
        self._verbosity = "info"
        self.creation = CreationSettings()
        self.annotation = AnnotationSettings()
        self.track_run_inputs = True  # False: loading/caching in a tracked run links no inputs
        logger.setLevel(_VERBOSITY[self._verbosity])
        if not logger.handlers:
            # One plain handler so notices ("returning the existing artifact") reach the user.
            handler = _NoticeHandler()
            handler.setFormatter(logging.Formatter("%(levelname)s lamin_lab: %(message)s"))
            logger.addHandler(handler)
            logger.propagate = False

    # ------------------------------------------------------------- instance
    @property
    def instance(self) -> InstanceSettings:
        """The current instance, connecting the default one on first use."""
        if self._instance is None:
            service("connect_default")()
        if self._instance is None:
            raise InstanceNotSetupError(
                "No instance is set up: call ln.setup.init(storage='./mydata')."
            )
        return self._instance

    @property
    def user(self) -> UserSettings:
        """The local user."""
        if self._user is None:
            self._user = UserSettings.load_or_create()
        return self._user

    @property
    def storage(self) -> StorageSettings:
        """Where new artifacts are written; assign a path or URL to switch.

        Examples
        --------
        >>> ln.settings.storage = "s3://my-bucket/project"  # doctest: +SKIP
        """
        return StorageSettings(self.instance.storage_root)

    @storage.setter
    def storage(self, root: str | os.PathLike | tuple) -> None:
        if isinstance(
            root, tuple
        ):  # LaminDB's (root, host) or (root, fsspec options): the root decides
            root = root[0]
        root_str = str(root)
        if "://" not in root_str:
            root_str = str(Path(root_str).expanduser().resolve())
            Path(root_str).mkdir(parents=True, exist_ok=True)
        inst = self.instance
        inst.storage_root = root_str.rstrip("/")
        if inst.storage_root not in inst.storage_roots:
            inst.storage_roots.append(inst.storage_root)
        inst.save()

    @property
    def cache_dir(self) -> Path:
        """Local cache for cloud data (``LAMIN_LAB_CACHE_DIR`` or ``<home>/cache``)."""
        env = os.environ.get("LAMIN_LAB_CACHE_DIR")
        path = Path(env) if env else home_dir() / "cache"
        path.mkdir(parents=True, exist_ok=True)
        return path

    # ------------------------------------------------------------- logging
    @property
    def verbosity(self) -> str:
        """Logging level: ``error``, ``warning``, ``success``, ``info`` (default), ``hint``, ``debug``.

        An int 0-5 selects a level by position (0 = ``error`` ... 5 = ``debug``).

        Examples
        --------
        >>> import lamin_lab as ln
        >>> ln.settings.verbosity = 4
        >>> ln.settings.verbosity
        'hint'
        >>> ln.settings.verbosity = "info"
        """
        return self._verbosity

    @verbosity.setter
    def verbosity(self, value: str | int) -> None:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 0 <= value < len(_VERBOSITY_ORDER)
        ):
            value = _VERBOSITY_ORDER[value]
        if value not in _VERBOSITY:
            raise InvalidArgument(
                f"verbosity must be one of {_VERBOSITY_ORDER} or an int 0-5, not {value!r}."
            )
        self._verbosity = value
        logger.setLevel(_VERBOSITY[value])

    def __repr__(self) -> str:
        name = self._instance.name if self._instance else None
        return f"Settings(instance={name!r}, verbosity={self._verbosity!r})"


settings = Settings()
