"""The exception tree of lamin_lab.

Every error lamin_lab raises on purpose derives from :class:`LaminLabError`, so a
caller can catch everything of ours with one ``except``. Names follow LaminDB's
(``ValidationError``, ``DoesNotExist``, ...) so code written against LaminDB keeps
working. Driver exceptions (peewee, sqlite3, psycopg2) never escape the public API:
they are translated into :class:`IntegrityError` or :class:`DatabaseError`.

Every message says what went wrong *and what to do next*.

The tree (a builtin in brackets is a second base, so ``except ValueError`` works too)::

    LaminLabError
    ├── InvalidArgument [ValueError]        wrong type or value of an argument
    │   ├── FieldValidationError            unknown field passed to a registry (also a ValidationError)
    │   ├── FieldError                      a query names an unknown field or lookup (Django's name)
    │   ├── InvalidArgumentType [TypeError] an argument of the wrong kind (where LaminDB raises TypeError)
    │   ├── PathDoesNotExist [FileNotFoundError]  a path given as data does not exist
    │   └── PathIsNotAFolder [NotADirectoryError]  a file where a folder is needed (``view_tree()``)
    ├── ValidationError [ValueError]        data does not fit features, labels or a schema
    │   └── FieldValidationError
    ├── NoWriteAccess [PermissionError]     the instance may not write here
    ├── DoesNotExist [LookupError]          no record matches (alias ObjectDoesNotExist)
    ├── MultipleResultsFound [LookupError]  more than one matches (alias MultipleObjectsReturned)
    ├── DatabaseError                       the database refused or failed an operation
    │   ├── IntegrityError                  a unique or foreign-key constraint was violated
    │   ├── QueryTimeout                    a query ran out of its time budget (regex on SQLite)
    │   └── SchemaVersionError              the schema is newer than this lamin_lab
    ├── InstanceNotSetupError               no instance, or it cannot be reached
    │   └── InstanceNotFoundError           no instance of that name is set up here
    ├── UnknownStorageLocation [ValueError] a path outside every registered storage
    │   └── NoStorageLocationForSpace       no storage is registered for the record's space (LaminDB's name; not raised)
    ├── StorageNotEmpty [AssertionError]    a storage location still holds artifacts
    ├── StorageInUse [AssertionError]       the instance's current storage location cannot be deleted
    ├── StorageError [OSError]              reading or writing data failed
    │   └── HashMismatch                    content does not match its recorded hash
    ├── MissingDependency [ImportError]     an optional package is needed
    ├── TrackNotCalled [RuntimeError]       an operation needs ``ln.track()`` (or a flow) first
    ├── RunAlreadyActive [RuntimeError]     a flow was called while another run is active
    ├── NotebookNotSaved                    save the notebook, then call again
    ├── NotebookNotFound                    the running notebook's path is unknown
    ├── BranchAlreadyExists [ValueError]    a branch of that name exists already
    │   LaminDB's names, defined so that code catching them runs (lamin_lab raises none yet):
    ├── FileNotInDevDir [ValueError]        a file outside ``ln.setup.settings.dev_dir``
    ├── BlobHashNotFound [LookupError]      a source file's hash is neither in git nor in storage
    ├── MissingContextUID                   a tracked transform needs a uid
    ├── UpdateContext                       a tracked transform's settings need an update
    └── InconsistentKey                     a key disagrees with the recorded one

Examples
--------
>>> import lamin_lab as ln
>>> try:
...     ln.ULabel(nme="T cell")
... except ln.errors.FieldValidationError as e:
...     print(type(e).__name__, isinstance(e, ln.errors.InvalidArgument))
FieldValidationError True
>>> issubclass(ln.errors.IntegrityError, ln.errors.LaminLabError)
True
"""

from __future__ import annotations


class LaminLabError(Exception):
    """Root of every error raised by lamin_lab."""


# ---------------------------------------------------------------- user input
class InvalidArgument(LaminLabError, ValueError):
    """An argument has the wrong type or value (unknown field, bad key, ...)."""


class ValidationError(LaminLabError, ValueError):
    """Data or values did not validate against features, labels or a schema."""


class FieldValidationError(InvalidArgument, ValidationError):
    """A registry got a keyword that is not one of its fields (LaminDB raises the same).

    An :class:`InvalidArgument` too, so ``except InvalidArgument`` keeps catching it.
    """


class FieldError(InvalidArgument):
    """A query (``filter``, ``order_by``, ``values``) names a field or lookup the registry lacks.

    Django's name, which LaminDB raises for ``ln.ULabel.filter(colour="red")``; an
    :class:`InvalidArgument` too, so ``except InvalidArgument`` keeps catching it.
    """


class InvalidArgumentType(InvalidArgument, TypeError):
    """An argument of the wrong kind, where LaminDB raises a ``TypeError`` (``except TypeError`` works).

    Examples: a feature expression used as a bool, ``feature.is_null("yes")``.
    """


class PathDoesNotExist(InvalidArgument, FileNotFoundError):
    """A path given as an artifact's data does not exist (a ``FileNotFoundError`` too, as in LaminDB)."""


class PathIsNotAFolder(InvalidArgument, NotADirectoryError):
    """A file was given where a folder is needed (a ``NotADirectoryError`` too, as in LaminDB)."""


class NoWriteAccess(LaminLabError, PermissionError):
    """The current instance may not write to this location or record."""


# ---------------------------------------------------------------- queries
class DoesNotExist(LaminLabError, LookupError):
    """No record matches the query."""


class MultipleResultsFound(LaminLabError, LookupError):
    """More than one record matches a query that expects exactly one."""


# Django's names, kept so that code written for LaminDB keeps working.
ObjectDoesNotExist = DoesNotExist
MultipleObjectsReturned = MultipleResultsFound


# ---------------------------------------------------------------- database
class DatabaseError(LaminLabError):
    """The database refused or failed an operation.

    Where the database names them, ``registry`` (the table), ``field`` (the column) and
    ``value`` (the refused value, PostgreSQL only) say what was refused; otherwise None.

    Examples
    --------
    >>> DatabaseError("refused", registry="ulabel", field="name").field
    'name'
    """

    def __init__(
        self,
        message: str = "",
        *,
        registry: str | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        super().__init__(message)
        self.registry, self.field, self.value = registry, field, value


class IntegrityError(DatabaseError):
    """A uniqueness or foreign-key constraint was violated."""


class QueryTimeout(DatabaseError):
    """A query ran out of its time budget (a regular expression on SQLite) and was stopped."""


class SchemaVersionError(DatabaseError):
    """The database schema was written by a newer lamin_lab than the one running."""


class InstanceNotSetupError(LaminLabError):
    """No instance is set up or the configured one cannot be reached."""


class InstanceNotFoundError(InstanceNotSetupError):
    """No instance of that name is set up on this machine (LaminDB's name)."""


# ---------------------------------------------------------------- storage
class UnknownStorageLocation(LaminLabError, ValueError):
    """A path is not inside any registered storage location."""


class StorageNotEmpty(LaminLabError, AssertionError):
    """A storage location still holds artifacts and cannot be deleted.

    Also an ``AssertionError``: what LaminDB raises here, so code catching that keeps working.
    """


class StorageInUse(LaminLabError, AssertionError):
    """The current storage location (``ln.settings.storage``) cannot be deleted; switch first.

    Also an ``AssertionError``, as in LaminDB.
    """


class StorageError(LaminLabError, OSError):
    """Reading or writing data in a storage location failed."""


class HashMismatch(StorageError):
    """Downloaded or cached content does not match the recorded hash."""


class MissingDependency(LaminLabError, ImportError):
    """An optional package is needed for this operation; the message names the install."""


# ---------------------------------------------------------------- tracking
class TrackNotCalled(LaminLabError, RuntimeError):
    """An operation needs an active run: call ``ln.track()`` first."""


class RunAlreadyActive(LaminLabError, RuntimeError):
    """A flow was called while a run is active (``ln.track()`` or another flow): use a step, or finish."""


class NotebookNotSaved(LaminLabError):
    """The notebook on disk is older than what ran: save it, then call again."""


class NotebookNotFound(LaminLabError):
    """The running notebook's path could not be detected."""


class InconsistentKey(LaminLabError):
    """A transform or artifact key does not agree with the one already recorded.

    LaminDB's name, defined so that code catching it runs; lamin_lab does not raise it yet.
    """


class MissingContextUID(LaminLabError):
    """The transform of a tracked script or notebook needs a uid that was not given."""


class UpdateContext(LaminLabError):
    """The transform settings of a tracked script or notebook need an update."""


class FileNotInDevDir(LaminLabError, ValueError):
    """A file path is not inside the configured development folder (``ln.setup.settings.dev_dir``)."""


class BlobHashNotFound(LaminLabError, LookupError):
    """A source file's hash was found neither in git nor in storage."""


# ---------------------------------------------------------------- branches and spaces
class BranchAlreadyExists(LaminLabError, ValueError):
    """A branch of this name exists already: pick another name or switch to it."""


class NoStorageLocationForSpace(UnknownStorageLocation):
    """No storage location is registered for the space the record lives in."""


__all__ = [
    "BlobHashNotFound",
    "BranchAlreadyExists",
    "DatabaseError",
    "DoesNotExist",
    "FieldError",
    "FieldValidationError",
    "FileNotInDevDir",
    "HashMismatch",
    "InconsistentKey",
    "InstanceNotFoundError",
    "InstanceNotSetupError",
    "IntegrityError",
    "InvalidArgument",
    "InvalidArgumentType",
    "LaminLabError",
    "MissingContextUID",
    "MissingDependency",
    "MultipleObjectsReturned",
    "MultipleResultsFound",
    "NoStorageLocationForSpace",
    "NoWriteAccess",
    "NotebookNotFound",
    "NotebookNotSaved",
    "ObjectDoesNotExist",
    "PathDoesNotExist",
    "PathIsNotAFolder",
    "QueryTimeout",
    "RunAlreadyActive",
    "SchemaVersionError",
    "StorageError",
    "StorageInUse",
    "StorageNotEmpty",
    "TrackNotCalled",
    "UnknownStorageLocation",
    "UpdateContext",
    "ValidationError",
]
