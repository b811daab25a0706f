"""The base record every registry derives from.

Sub-classing :class:`SQLRecord` creates a registry (a SQL table, created on first use);
instantiating it creates a record. Class-level ``filter``/``get``/``search``/``lookup``
and ``to_dataframe`` start a :class:`~lamin_lab.orm.queryset.QuerySet`.

Examples
--------
>>> from lamin_lab import SQLRecord, fields
>>> class Experiment(SQLRecord):
...     name: str = fields.CharField()
>>> Experiment(name="my experiment").save()  # doctest: +SKIP
>>> Experiment.filter(name__startswith="my ").to_dataframe()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import functools
import logging
import operator
from typing import Any

import peewee

from ..errors import FieldValidationError, InvalidArgument
from . import fields
from .fields import check_key
from .branches import TRASH, branch_id_of, creation_branch_id
from .database import database, ensure_connected, ensure_table, state
from .describable import Describable
from .identity import become_existing
from .inserts import insert_new
from .instances import instance_of, mark
from .other_instances import ReadsOtherInstances
from .queryset import BasicQuerySet, QuerySet, queryset_class
from .registry_class import Registry, _FromRegistry, _Metadata
from .relations import ROLES, ManyToMany, relations
from .uid import base62

logger = logging.getLogger("lamin_lab")


_DEFAULT_PLANS: dict[type, tuple[bool, bool, tuple[str, ...]]] = {}


def _default_plan(model: type) -> tuple[bool, bool, tuple[str, ...]]:
    """What ``_fill_defaults`` fills for a registry (worked out once per class, not per record):
    whether it has ``created_by`` and ``run``, and its ``auto_now`` timestamp fields."""
    plan = _DEFAULT_PLANS.get(model)
    if plan is None:
        fs = model._meta.fields
        auto_now = tuple(
            name for name, f in fs.items() if isinstance(f, fields.DateTimeField) and f.auto_now
        )
        plan = _DEFAULT_PLANS[model] = ("created_by" in fs, "run" in fs, auto_now)
    return plan


_LENGTH_LIMITS: dict[type, list[tuple[str, int]]] = {}


def _length_limits(model: type) -> list[tuple[str, int]]:
    """``(field name, max_length)`` of the model's bounded text fields (computed once per class)."""
    found = _LENGTH_LIMITS.get(model)
    if found is None:
        found = [
            (name, f.max_length)
            for name, f in model._meta.fields.items()
            if isinstance(f, peewee.CharField) and f.max_length
        ]
        _LENGTH_LIMITS[model] = found
    return found


class _HybridDelete:
    """``Model.delete()`` is peewee's DELETE query; ``record.delete()`` is ours."""

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return lambda: peewee.ModelDelete(owner)
        if instance_of(instance) is not None:  # read from another instance: refused when called
            return lambda *args, **kwargs: instance._refuse_other_instance("deleted")
        return instance._delete_record


def _table_name(model: type) -> str:
    return model.__name__.lower()


def _current_user_id() -> int | None:
    return state.user_id


def _current_run_id() -> int | None:
    return state.run_id


class BaseSQLRecord(ReadsOtherInstances, Describable, peewee.Model, metaclass=Registry):
    """Base of every registry: query class methods and record behaviour.

    Examples
    --------
    >>> ln.ULabel(name="T cell").save()  # doctest: +SKIP
    """

    _uid_length: int = 0  # 0: the registry has no uid
    _name_field: str = "name"
    _versioned_stem_length: int = 0
    _returns_existing_name: bool = (
        False  # True: a new record whose name exists is that record (orm/identity.py)
    )
    _required_fields: tuple[
        str, ...
    ] = ()  # fields a constructor must get (LaminDB: FieldValidationError)

    class Meta:
        database = database
        table_function = _table_name
        model_metadata_class = _Metadata
        abstract = True

    # peewee would give each registry a deep copy of an ``AutoField`` made for the base
    id = fields.AutoField()
    delete = _HybridDelete()
    DoesNotExist = _FromRegistry("DoesNotExist")
    MultipleObjectsReturned = _FromRegistry("MultipleObjectsReturned")

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" in kwargs:  # rows read from the database: the fast path
            super().__init__(**kwargs)
            mark(self)  # read from another instance: it knows which (orm/instances.py)
            return
        if (
            args
        ):  # as in LaminDB: fields are passed by name (a registry that takes one says so itself)
            raise FieldValidationError(
                f"{type(self).__name__}() takes keyword arguments, not positional ones: "
                f"write {type(self).__name__}({self._name_field}=...)."
            )
        self._check_kwargs(kwargs)
        super().__init__(**kwargs)
        self._check_new(kwargs)
        if self._returns_existing_name and become_existing(self, kwargs):
            return
        if self._uid_length and not self._versioned_stem_length and not self.__data__.get("uid"):
            self.uid = base62(self._uid_length)

    @classmethod
    def _check_kwargs(cls, kwargs: dict[str, Any]) -> None:
        valid = set(cls._meta.fields) | set(cls._meta.columns)
        extra = getattr(cls, "_init_aliases", {})
        for key in list(kwargs):
            if key in extra:
                kwargs[extra[key]] = kwargs.pop(key)
            elif key not in valid:
                names = sorted(n for n in valid if not n.startswith("_") and n != "id")
                raise FieldValidationError(
                    f"{cls.__name__} has no field {key!r}. Valid fields: {', '.join(names)}."
                )
        uid = kwargs.get("uid")
        if uid is not None and not isinstance(
            uid, str
        ):  # the uid is cut and compared as text later
            raise InvalidArgument(
                f"uid= takes a string of {cls._uid_length} characters, not {type(uid).__name__}."
            )
        missing = [name for name in cls._required_fields if kwargs.get(name) is None]
        if missing:
            raise FieldValidationError(
                f"{cls.__name__} needs {', '.join(missing)}: pass {', '.join(f'{m}=...' for m in missing)}."
            )
        key = kwargs.get("key")
        if isinstance(key, str):
            check_key(key)

    def _check_new(self, passed: dict[str, Any]) -> None:
        """Hook for registries: refuse a just-constructed record before it is looked up or saved."""

    # ------------------------------------------------------------ class-level queries
    @classmethod
    def _queryset(cls) -> QuerySet:
        return queryset_class(cls)(cls)

    @classmethod
    def filter(cls, *queries: Any, **expressions: Any) -> QuerySet:
        """Query records with ``Q`` objects and ``field__lookup=value`` expressions.

        Examples
        --------
        >>> ln.ULabel.filter(name__startswith="T").to_dataframe()  # doctest: +SKIP
        """
        return cls._queryset().filter(*queries, **expressions)

    @classmethod
    def exclude(cls, *queries: Any, **expressions: Any) -> QuerySet:
        """Query records that do not match the condition."""
        return cls._queryset().exclude(*queries, **expressions)

    @classmethod
    def get(cls, idlike: Any = None, *args: Any, **expressions: Any) -> Any:
        """Get one record by integer id, uid, uid prefix or expressions.

        Raises ``DoesNotExist`` when none matches.

        Examples
        --------
        >>> ln.ULabel.get("a1B2")  # doctest: +SKIP
        >>> ln.ULabel.get(name="T cell")  # doctest: +SKIP
        """
        if args:  # peewee passes several expressions at times
            idlike = functools.reduce(operator.and_, (idlike, *args))
        return cls._queryset().get(idlike, **expressions)

    @classmethod
    def to_dataframe(
        cls,
        include: Any = None,
        features: Any = False,
        limit: int | None = 20,  # LaminDB's overview: 20 rows; None for all
        order_by: str | None = "-id",
    ) -> Any:
        """All records as a DataFrame (see ``QuerySet.to_dataframe``).

        Examples
        --------
        >>> ln.ULabel.to_dataframe(limit=None)  # doctest: +SKIP
        """
        return cls._queryset().to_dataframe(
            include=include, features=features, limit=limit, order_by=order_by
        )

    @classmethod
    def df(cls, *args: Any, **kwargs: Any) -> Any:
        """Alias of :meth:`to_dataframe`."""
        return cls.to_dataframe(*args, **kwargs)

    @classmethod
    def search(
        cls, string: str, *, field: Any = None, limit: int | None = 20, case_sensitive: bool = False
    ) -> BasicQuerySet:
        """Ranked, typo-tolerant search over the text fields.

        Examples
        --------
        >>> ln.ULabel.search("t cel").first()
        """
        # LaminDB: a search of the registry is a BasicQuerySet, a search of a query keeps its class
        start = BasicQuerySet(cls) if queryset_class(cls) is QuerySet else cls._queryset()
        return start.search(string, field=field, limit=limit, case_sensitive=case_sensitive)

    @classmethod
    def lookup(
        cls, field: str | None = None, return_field: str | None = None, keep: Any = "first"
    ) -> Any:
        """Auto-complete object over a field's values.

        Examples
        --------
        >>> ln.ULabel.lookup().t_cell  # doctest: +SKIP
        """
        return cls._queryset().lookup(field=field, return_field=return_field, keep=keep)

    @classmethod
    def _text_fields(cls, field: Any = None) -> list[str]:
        if field is not None:
            names = [field] if isinstance(field, str) else [getattr(f, "name", f) for f in field]
            for n in names:
                if n not in cls._meta.fields:
                    raise InvalidArgument(
                        f"{cls.__name__} has no field {n!r} to search or look up."
                    )
            return names
        preferred = getattr(cls, "_search_fields", None)
        if preferred:
            return list(preferred)
        out = [
            n
            for n, f in cls._meta.fields.items()
            if isinstance(f, (peewee.CharField, peewee.TextField))
            and not n.startswith("_")
            and n not in ("uid", "hash")
        ]
        if not out:
            raise InvalidArgument(f"{cls.__name__} has no text field to search; pass field=.")
        return out

    @classmethod
    def _uid_expressions(cls, uid: str) -> dict[str, Any]:
        if not cls._uid_length:
            raise InvalidArgument(f"{cls.__name__} has no uid; get records by id or field=value.")
        if len(uid) > cls._uid_length:
            raise InvalidArgument(
                f"{uid!r} is longer than a {cls.__name__} uid ({cls._uid_length} characters)."
            )
        if len(uid) == cls._uid_length:
            return {"uid": uid}
        if cls._versioned_stem_length and len(uid) == cls._versioned_stem_length:
            return {"uid__startswith": uid, "is_latest": True}
        return {"uid__startswith": uid}

    # ------------------------------------------------------------ saving
    def _before_save(self) -> None:
        """Hook for registries: fill derived fields before the row is written."""

    def _after_save(self, created: bool) -> None:
        """Hook for registries: work that needs the row id."""

    def _fill_defaults(self) -> None:
        has_created_by, has_run, auto_now = _default_plan(type(self))
        data = self.__data__
        if has_created_by and data.get("created_by") is None:
            data["created_by"] = _current_user_id()
        if has_run and data.get("run") is None and state.run_id is not None and self._pk is None:
            data["run"] = _current_run_id()
        if auto_now and self._pk is not None:
            now = fields.utcnow()
            for name in auto_now:
                data[name] = now

    def save(self, *args: Any, **kwargs: Any) -> Any:
        """Write the record to the database and return it.

        Examples
        --------
        >>> label = ln.ULabel(name="T cell").save()
        """
        transferred = self._transfer_if_other(kwargs)  # read from another instance: copy it here
        if transferred is not None:
            return transferred
        ensure_connected()
        ensure_table(type(self))
        created = self._pk is None
        self._before_save()
        self._fill_defaults()
        self._check_lengths()
        alone = state.project_id is None  # under ln.track(project=...) a link row follows
        if created and alone and not args and not kwargs and not self._has_after_save():
            # one INSERT is atomic by itself: no BEGIN/COMMIT round trips around it
            insert_new(type(self), [self])
            return self
        with self._meta.database.atomic():  # the row, what follows it and the project link
            super().save(*args, **kwargs)
            self._after_save(created)
            self._link_tracked_project()
        return self

    #: whether a save under ``ln.track(project=...)`` links the record to that project
    #: (LaminDB's: every registry with projects but Record, and no run report artifact)
    _links_tracked_project = True

    def _link_tracked_project(self) -> None:
        """Link this saved record to the project of ``ln.track(project=...)``, if any."""
        if state.project_id is None or not type(self)._links_tracked_project:
            return
        rel = relations(type(self)).get("projects")
        if rel is None or rel.kind != "m2m" or self.__data__.get("kind") == "__lamindb_run__":
            return
        self.projects.add(rel.target.get_by_id(state.project_id))

    @classmethod
    def _has_after_save(cls) -> bool:
        return cls._after_save is not BaseSQLRecord._after_save

    def _check_lengths(self) -> None:
        """Refuse text longer than its field's ``max_length`` before the driver sees it.

        PostgreSQL refuses such text and SQLite stores it: checking here gives one answer.
        """
        for name, limit in _length_limits(type(self)):
            value = self.__data__.get(name)
            if isinstance(value, str) and len(value) > limit:
                raise FieldValidationError(
                    f"{type(self).__name__}.{name} takes at most {limit} characters, got {len(value)}: "
                    "shorten it (long text belongs in a description)."
                )

    def _write_row(self) -> None:
        """INSERT or UPDATE this row only: no hooks, no defaults (callers run those)."""
        if self._pk is None:  # the INSERT text is built once per registry (orm/inserts.py)
            insert_new(type(self), [self])
            return
        self._check_lengths()
        peewee.Model.save(self)

    # ------------------------------------------------------------ deleting
    def _delete_record(self, permanent: bool | None = None) -> Any:
        if self._pk is None:  # as in LaminDB: nothing was written, so there is nothing to remove
            logger.warning("this %s is not saved: delete() has no effect", type(self).__name__)
            return None
        self._refuse_other_instance("deleted")
        self._check_delete()
        in_trash = "branch_id" in self._meta.fields and self.__data__.get("branch_id") == TRASH
        if permanent is False and "branch_id" not in self._meta.fields:
            raise InvalidArgument(
                f"{type(self).__name__} has no trash: delete(permanent=True) or delete()."
            )
        if "branch_id" in self._meta.fields and not permanent and not in_trash:
            self._move_to_trash()
            return None
        return self._delete_permanently()

    def _move_to_trash(self) -> None:
        self.branch_id = TRASH
        type(self).update(branch_id=TRASH).where(type(self)._meta.primary_key == self._pk).execute()
        logger.info(
            "moved %s to the trash; restore() brings it back, delete() again removes it",
            self._short_repr(),
        )

    def _delete_permanently(self) -> tuple[int, dict[str, int]]:
        with self._meta.database.atomic():
            self._before_delete()
            n = peewee.Model.delete_instance(self)
        return n, {type(self).__name__: n}

    def _check_delete(self) -> None:
        """Hook for registries: raise when this record must not be deleted (nothing written yet).

        Both ``record.delete()`` and ``QuerySet.delete()`` call it for every record before
        they change anything, so the two forms refuse the same things.
        """

    def _before_delete(self) -> None:
        """Hook for registries: clean up links or files inside the delete transaction."""
        for rel in relations(type(self)).values():
            if rel.kind == "m2m":  # link rows go with the record on every backend
                rel.link.delete().where(rel.link_source == self._pk).execute()

    def restore(self) -> None:
        """Bring a record back from the trash onto the main branch.

        Examples
        --------
        >>> label.delete(); label.restore()  # doctest: +SKIP
        """
        if "branch_id" not in self._meta.fields:
            raise InvalidArgument(f"{type(self).__name__} has no trash to restore from.")
        self._refuse_other_instance("restored")
        self.branch_id = 1
        type(self).update(branch_id=1).where(type(self)._meta.primary_key == self._pk).execute()

    @classmethod
    def _bulk_delete(cls, qs: QuerySet, permanent: bool | None) -> None:
        records = list(qs)
        if getattr(cls, "_delete_one_by_one", False):
            for r in records:
                r.delete(permanent=permanent)
            return
        for r in records:  # the record form's rules, all checked before anything is written
            r._check_delete()
        if cls._delete_record is not BaseSQLRecord._delete_record:
            # The registry adds steps of its own to a delete: run them, all or nothing.
            with cls._meta.database.atomic():
                for r in records:
                    r._delete_record(permanent=permanent)
            return
        ids = [r._pk for r in records]
        if not ids:
            return
        with cls._meta.database.atomic():
            trashable = "branch_id" in cls._meta.fields
            to_trash = [
                r._pk for r in records if trashable and not permanent and r.branch_id != TRASH
            ]
            gone = [pk for pk in ids if pk not in set(to_trash)]
            if to_trash:
                cls.update(branch_id=TRASH).where(cls._meta.primary_key.in_(to_trash)).execute()
            for rel in relations(cls).values():
                if rel.kind == "m2m" and gone:
                    rel.link.delete().where(rel.link_source.in_(gone)).execute()
            if gone:
                peewee.ModelDelete(cls).where(cls._meta.primary_key.in_(gone)).execute()

    # ------------------------------------------------------------ display
    def _short_repr(self) -> str:
        ident = self.__data__.get("uid") or self._pk
        label = self.__data__.get("key") or self.__data__.get(self._name_field) or ""
        return f"{type(self).__name__}({ident!r}{', ' + repr(label) if label else ''})"

    def __repr__(self) -> str:
        parts = []
        for name, field in self._meta.fields.items():
            if name.startswith("_") or name == "id":
                continue
            value = self.__data__.get(name)
            if value is None or value == "":
                continue
            key = field.column_name if isinstance(field, peewee.ForeignKeyField) else name
            text = (
                f"{value:%Y-%m-%d %H:%M:%S} UTC"
                if isinstance(value, datetime.datetime)
                else repr(value)
            )
            parts.append(f"{key}={text[:60] + '...' if len(text) > 60 else text}")
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__


class SQLRecord(BaseSQLRecord):
    """A registry record with a branch (main, archive or trash) and a space.

    Sub-class it to create a registry of your own; its table is created on first use.

    Examples
    --------
    >>> from lamin_lab import SQLRecord, fields
    >>> class Experiment(SQLRecord):
    ...     name: str = fields.CharField()
    """

    # a new record goes onto the tracked run's or the current branch (see __init__)
    branch_id = fields.IntegerField(default=1, index=True)
    # the branch the record was made on, as LaminDB's ``created_on``: set once from
    # ``branch_id`` when the record is built, then never moved (trash and restore keep it)
    created_on_id = fields.IntegerField(default=1)
    _branch_sensitive = True  # False: new records stay on main whatever the current branch
    space_id = fields.IntegerField(default=1)
    is_locked = fields.BooleanField(default=False)

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any):
        if "branch" in kwargs:  # LaminDB's constructors take branch=<Branch>
            kwargs["branch_id"] = branch_id_of(kwargs.pop("branch"))
        super().__init__(*args, **kwargs)
        made_new = (
            "__no_default__" not in kwargs and self._pk is None
        )  # not a read row, not an existing twin
        if made_new and self._branch_sensitive and not {"branch", "branch_id"} & kwargs.keys():
            self.__data__["branch_id"] = creation_branch_id()
        if (
            made_new
            and "created_on_id" not in kwargs
            and self.__data__.get("branch_id") is not None
        ):
            self.__data__["created_on_id"] = self.__data__["branch_id"]

    @property
    def branch(self) -> Any:
        """The branch this record is on (main = 1, archive = 0, trash = -1); assign a Branch to move it."""
        return ROLES["branch"].get(self.branch_id)

    @branch.setter
    def branch(self, value: Any) -> None:
        self.branch_id = branch_id_of(value)

    @property
    def created_on(self) -> Any:
        """The branch this record was created on; unlike ``branch`` it never changes."""
        return ROLES["branch"].get(self.created_on_id)

    @property
    def space(self) -> Any:
        """The space this record lives in."""
        return ROLES["space"].get(self.space_id)


__all__ = ["BaseSQLRecord", "ManyToMany", "Registry", "SQLRecord", "check_key", "relations"]
