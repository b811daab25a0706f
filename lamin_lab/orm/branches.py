"""Which branch a process works on, which branches its queries see, and merging branches.

LaminDB branches logically: every record has a ``branch_id``; ``main`` is 1, the archive 0
and the trash -1; user branches get ids from 2 on. A query that names no branch sees the
current branch and main (neither the archive nor the trash); a record made without a branch
goes onto the branch of the tracked run (``ln.track(branch=...)``), else the current one.

The current branch is read once per connection from the settings file of the instance
(:func:`lamin_lab.settings.read_current_branch`) and cached in ``connection_cache``.
The branch registry is found through its ORM role, so this module names no registry.

Examples
--------
>>> current_branch_id()
1
>>> default_branch_ids()
[1]
"""

from __future__ import annotations

from typing import Any

import peewee

from ..errors import DoesNotExist, InvalidArgument
from ..settings import read_current_branch, settings, write_current_branch
from .database import connection_cache, ensure_connected, state
from .q import Q
from .relations import REGISTRY, ROLES

MAIN, ARCHIVE, TRASH = 1, 0, -1
BRANCH_KEYS = ("branch", "branch_id", "visibility")
_CACHE_KEY = "current_branch_id"
# keywords that name records by identity: LaminDB then applies no default branch filter
_IDENTITY_KEYS = frozenset({"id", "uid", "hash", "id__in", "uid__in", "hash__in"})


def _branch_model() -> type:
    return ROLES["branch"]


def current_branch_id() -> int:
    """The id of the branch this process works on (main, 1, unless switched).

    Examples
    --------
    >>> current_branch_id()
    1
    """
    cached = connection_cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    ensure_connected()  # a record built before the first query connects the instance here
    instance = settings._instance
    stored = read_current_branch(instance.name) if instance is not None else None
    branch_id = MAIN
    if stored is not None:
        model = _branch_model()
        # A marker left by another instance of the same name, or a branch gone: main.
        row = model.select(model.id).where(model.uid == stored["uid"]).tuples().first()
        branch_id = row[0] if row is not None else MAIN
    connection_cache[_CACHE_KEY] = branch_id
    return branch_id


def creation_branch_id() -> int:
    """The branch a new record goes onto: the tracked run's branch, else the current one.

    Examples
    --------
    >>> creation_branch_id()
    1
    """
    return state.branch_id if state.branch_id is not None else current_branch_id()


def default_branch_ids() -> list[int]:
    """The branches a query that names none sees: the current branch and main.

    Examples
    --------
    >>> default_branch_ids()
    [1]
    """
    current = current_branch_id()
    return [current] if current == MAIN else [current, MAIN]


def default_condition(field: peewee.Field) -> peewee.Node:
    """``branch_id IN (current, main)``, the condition of a query that names no branch.

    Examples
    --------
    >>> ln.ULabel.select().where(default_condition(ln.ULabel.branch_id)).count()
    0
    """
    ids = default_branch_ids()
    # ``+branch_id``: almost every row is on main, so the branch index narrows nothing; the
    # unary plus keeps SQLite from choosing it over the index of the query's own condition
    # (filter(key=...) would otherwise walk every row of main)
    column = peewee.NodeList((peewee.SQL("+"), field), glue="")
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def names_branch(keys: Any) -> bool:
    """Whether condition keys (``field__lookup``) name the branch themselves.

    Examples
    --------
    >>> names_branch(["name", "branch__name"]), names_branch(["name"])
    (True, False)
    """
    return any(k.split("__")[0] in BRANCH_KEYS for k in keys)


def with_default_branches(model: type, keys: list[str], expr: peewee.Node | None) -> Any:
    """``expr`` and the default branch condition, unless the query names the branch (``keys``).

    Examples
    --------
    >>> with_default_branches(ln.ULabel, ["branch_id"], None) is None
    True
    """
    if "branch_id" not in model._meta.fields or names_branch(keys):
        return expr
    default = default_condition(model._meta.fields["branch_id"])
    return default if expr is None else (expr & default)


def every_branch(expressions: dict[str, Any], model: type) -> dict[str, Any]:
    """The keywords of one ``filter()`` call, with "every branch" made explicit.

    ``branch=None`` / ``branch_id=None`` ask for every branch; so does a call that names
    records by ``id``, ``uid`` or ``hash`` (LaminDB: a record asked for by identity is
    found on whatever branch it is, the trash included). Both become a condition that
    keeps every record, which also stops the default branch condition.

    Examples
    --------
    >>> every_branch({"branch": None, "name": "x"}, ln.ULabel)
    {'name': 'x', 'branch_id__isnull': False}
    >>> every_branch({"uid": "a1B2c3D4"}, ln.ULabel)
    {'uid': 'a1B2c3D4', 'branch_id__isnull': False}
    """
    if "branch_id" not in model._meta.fields:
        return expressions
    keys = [k for k in BRANCH_KEYS if k in expressions and expressions[k] is None]
    by_identity = not names_branch(expressions) and any(k in _IDENTITY_KEYS for k in expressions)
    if not keys and not by_identity:
        return expressions
    out = {k: v for k, v in expressions.items() if k not in keys}
    out["branch_id__isnull"] = False  # every record has a branch
    return out


def branch_id_of(value: Any) -> int:
    """The id of a saved Branch given as ``record.branch = ...`` or ``ULabel(..., branch=...)``.

    Examples
    --------
    >>> branch_id_of(ln.Branch.get(name="main"))
    1
    """
    if not isinstance(value, _branch_model()) or value._pk is None:
        raise InvalidArgument(
            f"branch= takes a saved Branch, not {value!r}: pass ln.Branch.get(name=...)."
        )
    return value._pk


def resolve_branch(value: Any) -> Any:
    """The saved branch record for a branch record, a name or a uid.

    Examples
    --------
    >>> resolve_branch("main").id
    1
    """
    model = _branch_model()
    if isinstance(value, model):
        if value._pk is None:
            raise DoesNotExist(f"Branch {value.name!r} is not saved yet: call .save() first.")
        return value
    found = model.filter(Q(name=value) | Q(uid=value)).first()
    if found is None:
        raise DoesNotExist(
            f"Branch {value!r} does not exist (no branch has that name or uid); "
            f"ln.setup.switch({value!r}, create=True) or `lamin-lab switch -c {value}` creates it."
        )
    return found


def set_current_branch(branch: Any) -> None:
    """Make ``branch`` (a saved record) current for this instance, in this and later processes.

    Examples
    --------
    >>> set_current_branch(resolve_branch("main"))
    """
    write_current_branch(settings.instance.name, branch.uid, branch.name)
    connection_cache[_CACHE_KEY] = branch.id


def set_run_branch(branch: Any | None) -> None:
    """The branch records made during a tracked run go onto (None: the current branch).

    Examples
    --------
    >>> set_run_branch(None)
    """
    state.branch_id = None if branch is None else branch.id


def merge_rows(source_id: int, target_id: int) -> None:
    """Move every record of branch ``source_id`` onto ``target_id``, in one transaction.

    A registry that keeps per-branch facts (``is_latest`` of versions) reconciles them in
    its ``_after_merge(target_id)`` class method.

    Examples
    --------
    >>> merge_rows(2, 1)  # doctest: +SKIP
    """
    models = [
        m
        for m in REGISTRY.values()
        if not getattr(m, "_abstract", False) and "branch_id" in m._meta.fields
    ]
    db = _branch_model()._meta.database
    existing = set(db.get_tables())
    models = [m for m in models if m._meta.table_name in existing]
    with db.atomic():
        for model in models:
            field = model._meta.fields["branch_id"]
            model.update({field: target_id}).where(field == source_id).execute()
        for model in models:
            hook = getattr(model, "_after_merge", None)
            if hook is not None:
                hook(target_id)
