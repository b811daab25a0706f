"""The immutable, generative QuerySet shared by every registry.

Each method that narrows or orders returns a new QuerySet; nothing touches the
database until the set is evaluated (iteration, ``len``, ``count``, ``first`` ...).
A query that does not filter on ``branch``/``branch_id``/``visibility`` itself sees the
current branch and main only (not the archive, 0, nor the trash, -1: see
:mod:`lamin_lab.orm.branches`); ``branch=None`` (or ``branch_id=None``) asks for every branch.

Examples
--------
>>> qs = ln.ULabel.filter(name__startswith="T").order_by("-created_at")  # doctest: +SKIP
>>> qs.count(), qs.first()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee

from ..errors import DoesNotExist, InvalidArgument, MultipleResultsFound
from .branches import every_branch, names_branch, with_default_branches
from .database import ensure_connected, ensure_table
from .q import Q, compile_q, resolve_alias, reversed_order
from .queryset_curating import CuratingMixin
from .queryset_values import ValuesMixin
from .rows import records_from_query
from .queryset_sql import cached_count, cached_records
from .dataframe import queryset_to_dataframe
from .search.api import ensure_search_index, search_scores
from .lookup import build_lookup
from .html import queryset_html
from .q import _unknown_field
from .instances import OtherInstance, RunsWhereItReads


def queryset_class(model: type) -> type:
    """The QuerySet class of a registry (``Artifact`` sets are ``ArtifactSet``)."""
    return getattr(model, "_queryset_class", None) or QuerySet


class BasicQuerySet(RunsWhereItReads, ValuesMixin, CuratingMixin):
    """A lazy set of records of one registry (LaminDB's base query class).

    ``search()`` returns one; ``filter()`` returns its subclass :class:`QuerySet`.

    Examples
    --------
    >>> ln.ULabel.search("T cell").first()  # doctest: +SKIP
    """

    def __init__(
        self,
        model: type,
        *,
        q: Q | None = None,
        order: tuple[str, ...] = (),
        distinct: bool = False,
        limit: int | None = None,
        offset: int = 0,
        scores: dict[int, float] | None = None,
        base: peewee.Node | None = None,
        score_column: str | None = "score",
        values: tuple[str, tuple[str, ...], bool] | None = None,
        db: OtherInstance | None = None,
    ):
        self.model = model
        self._db = db  # another instance this set reads (None: the current one)
        self._q = q or Q()
        self._order = order
        self._distinct = distinct
        self._limit = limit
        self._offset = offset
        self._scores = scores  # id → search score, for sets made by search()
        self._base = base  # fixed condition of related managers
        self._score_column = score_column  # None: scores only fix the order (no column in frames)
        self._values = values  # ("dict" | "list", fields, flat): rows of values() / values_list()
        self._cache: list[Any] | None = None

    # ------------------------------------------------------------ building
    def _clone(self, **changes: Any) -> BasicQuerySet:
        kwargs = dict(
            q=self._q,
            order=self._order,
            distinct=self._distinct,
            limit=self._limit,
            offset=self._offset,
            scores=self._scores,
            base=self._base,
            score_column=self._score_column,
            values=self._values,
            db=self._db,
        )
        kwargs.update(changes)
        return queryset_class(self.model)(self.model, **kwargs)

    def filter(self, *queries: Any, **expressions: Any) -> QuerySet:
        """Narrow the set with ``Q`` objects, feature expressions and ``field__lookup=value`` keywords.

        Examples
        --------
        >>> ln.Artifact.filter(run__transform__key="train.ipynb", suffix=".parquet")  # doctest: +SKIP
        >>> temperature = ln.Feature.get(name="temperature")  # doctest: +SKIP
        >>> ln.Artifact.filter(temperature > 20, temperature.is_null(False))  # doctest: +SKIP
        """
        if not queries and not expressions:
            return self._clone()
        new = Q(*queries, **every_branch(expressions, self.model))
        self._validate(new)
        return self._clone(q=self._q & new)

    def _validate(self, q: Q) -> None:
        # Compile once now so that unknown fields and lookups fail at filter() (as in
        # Django), not later at evaluation; the compiled expression is thrown away.
        compile_q(self.model, q, getattr(self.model, "_filter_fallback", None))

    def exclude(self, *queries: Q, **expressions: Any) -> QuerySet:
        """Leave out records matching the condition.

        Examples
        --------
        >>> ln.ULabel.filter().exclude(name__startswith="tmp")  # doctest: +SKIP
        """
        new = Q(*queries, **expressions)
        self._validate(new)
        return self._clone(q=self._q & ~new)

    def order_by(self, *fields: str) -> QuerySet:
        """Order by fields; prefix ``-`` for descending.

        Examples
        --------
        >>> ln.ULabel.filter().order_by("-created_at", "name")  # doctest: +SKIP
        """
        for f in fields:
            self._order_field(f)  # validate early
        qs = self._clone(order=tuple(fields), scores=None if fields else self._scores)
        having = [f._ordering_condition() for f in fields if hasattr(f, "_ordering_condition")]
        return qs.filter(*having) if having else qs  # as LaminDB: records with a value

    def distinct(self, *fields: str) -> QuerySet:
        """Remove duplicate rows (subquery-based filters never create any, so this is cheap)."""
        return self._clone(distinct=True)

    def all(self) -> QuerySet:
        """A copy of this set."""
        return self._clone()

    # ------------------------------------------------------------ compiling
    def _order_field(self, name: Any) -> peewee.Node:
        if hasattr(
            name, "_as_ordering"
        ):  # a feature: order_by(temperature), order_by(-temperature)
            return name._as_ordering(self.model)
        if not isinstance(name, str):
            raise InvalidArgument(
                f"A field name is a string such as 'name' or '-created_at', not {type(name).__name__} {name!r}."
            )
        desc = name.startswith("-")
        raw = name.lstrip("-")
        raw = resolve_alias(self.model, raw)
        field = self.model._meta.fields.get(raw) or self.model._meta.columns.get(raw)
        if field is None:
            raise _unknown_field(self.model, raw)
        return field.desc() if desc else field.asc()

    def _where(self) -> peewee.Node | None:
        fallback = getattr(self.model, "_filter_fallback", None)
        expr = compile_q(self.model, self._q, fallback)
        if self._base is not None:
            expr = self._base if expr is None else (self._base & expr)
        return with_default_branches(self.model, self._q.keys(), expr)

    def _filters_branch(self) -> bool:
        return names_branch(self._q.keys())

    def _select(self, *fields: Any) -> peewee.ModelSelect:
        ensure_connected()
        ensure_table(self.model)
        if (
            not fields and self._values is not None
        ):  # values(): DISTINCT and count() see the columns only
            fields = tuple(self._value_fields())
        query = self.model.select(*fields)
        where = self._where()
        if where is not None:
            query = query.where(where)
        if self._order:
            query = query.order_by(*[self._order_field(f) for f in self._order])
        elif self._limit is not None or self._offset:
            query = query.order_by(self.model._meta.primary_key)
        if self._distinct:
            query = query.distinct()
        if self._limit is not None:
            query = query.limit(self._limit)
        if self._offset:
            query = query.offset(self._offset)
        return query

    def _ids_subquery(self) -> peewee.ModelSelect:
        return self._select(self.model._meta.primary_key)

    # ------------------------------------------------------------ evaluating
    def _fetch(self) -> list[Any]:
        if self._cache is None and self._values is not None:
            self._cache = self._value_rows()
        if self._cache is None:
            records = self._records()
            if self._scores is not None and not self._order:
                records.sort(key=lambda r: -self._scores.get(r._pk, 0.0))
            self._cache = records
        return self._cache

    def _records(self) -> list[Any]:
        records = cached_records(self)
        return records_from_query(self.model, self._select()) if records is None else records

    def __iter__(self) -> Iterator[Any]:
        return iter(self._fetch())

    def __len__(self) -> int:
        return len(self._fetch())

    def __bool__(self) -> bool:
        return self.exists()

    def __getitem__(self, item: int | slice) -> Any:
        if isinstance(item, slice):
            if (
                item.step not in (None, 1)
                or (item.start or 0) < 0
                or (item.stop is not None and item.stop < 0)
            ):
                raise InvalidArgument("QuerySet slices take non-negative start/stop and no step.")
            if self._scores is not None:
                return list(self._fetch())[item]
            start = self._offset + (item.start or 0)
            limit = None if item.stop is None else max(0, item.stop - (item.start or 0))
            if self._limit is not None:
                limit = min(limit, self._limit) if limit is not None else self._limit
            return self._clone(offset=start, limit=limit)
        if not isinstance(item, int):
            raise InvalidArgument(
                f"QuerySet indices are integers or slices, not {type(item).__name__}."
            )
        records = self._fetch()
        try:
            return records[item]
        except IndexError:
            raise DoesNotExist(
                f"Index {item} is out of range: this {self.model.__name__} set has {len(records)} records."
            ) from None

    def count(self) -> int:
        """Number of records, computed in SQL.

        Examples
        --------
        >>> ln.ULabel.filter(name__startswith="T").count()  # doctest: +SKIP
        3
        """
        if self._cache is not None:
            return len(self._cache)
        count = cached_count(self)
        return self._select().count() if count is None else count

    def exists(self) -> bool:
        """True when at least one record matches."""
        return self._select().exists()

    def first(self) -> Any | None:
        """The first record (by id unless ordered), or None."""
        qs = self if self._order or self._scores is not None else self.order_by("id")
        records = qs._fetch() if qs._scores is not None else list(qs[:1])
        return records[0] if records else None

    def last(self) -> Any | None:
        """The last record (by id unless ordered), or None."""
        if self._scores is not None:
            records = self._fetch()
            return records[-1] if records else None
        order = tuple(reversed_order(o) for o in self._order) or ("-id",)
        records = list(self._clone(order=order)[:1])
        return records[0] if records else None

    def one(self) -> Any:
        """Exactly one record; raises DoesNotExist or MultipleResultsFound otherwise."""
        records = list(self[:2]) if self._scores is None else self._fetch()[:2]
        if not records:
            raise self.model.DoesNotExist(
                f"No {self.model.__name__} matches {self._q!r}. Check the values, or create the record first."
            )
        if len(records) > 1:
            raise self.model.MultipleObjectsReturned(
                f"More than one {self.model.__name__} matches {self._q!r}. Add conditions to "
                "narrow it down, or use .first()."
            )
        return records[0]

    def one_or_none(self) -> Any | None:
        """One record, None when there is none; raises MultipleResultsFound for several."""
        try:
            return self.one()
        except DoesNotExist:
            return None

    def get(self, idlike: Any = None, **expressions: Any) -> Any:
        """The one record matching an id, a uid, a uid prefix or expressions.

        Examples
        --------
        >>> ln.ULabel.get("a1B2")  # doctest: +SKIP
        >>> ln.ULabel.get(name="T cell")  # doctest: +SKIP

        Where several versions of one family match (``Artifact.get(key=...)`` after a new
        version), the latest one is returned, as in LaminDB. Without arguments, the one
        record of the set (``DoesNotExist`` / ``MultipleObjectsReturned`` otherwise).
        """
        qs = self._get_queryset(idlike, expressions)
        try:
            return qs.one()
        except MultipleResultsFound:
            if "is_latest" not in self.model._meta.fields or "is_latest" in expressions:
                raise
            latest = list(qs.filter(is_latest=True)[:2])
            if len(latest) != 1:  # matches in several families (or none latest): ambiguous
                raise
            return latest[0]

    def _get_queryset(self, idlike: Any, expressions: dict[str, Any]) -> QuerySet:
        if isinstance(idlike, peewee.Node):  # peewee's own lazy FK loading calls get(expr)
            return self._clone(
                base=idlike if self._base is None else self._base & idlike, q=self._q
            )
        if idlike is None:  # get() without arguments: the set's only record, as in Django
            return self.filter(**expressions)
        if isinstance(idlike, bool) or not isinstance(idlike, (int, str)):
            raise InvalidArgument(
                f"get() takes an integer id or a uid string, not {type(idlike).__name__}."
            )
        if isinstance(idlike, int):
            return self.filter(id=idlike, **expressions)
        return self.filter(**self.model._uid_expressions(idlike), **expressions)

    # ------------------------------------------------------------ lists & frames
    def to_list(self, field: str | None = None) -> list[Any]:
        """Records as a list, or the values of one field.

        Examples
        --------
        >>> ln.ULabel.filter().to_list("name")  # doctest: +SKIP
        ['B cell', 'T cell']
        """
        if field is None:
            return list(self._fetch())
        f = self._order_field(field)  # validates the name
        column = f.node if isinstance(f, peewee.Ordering) else f
        if self._scores is not None:
            return [getattr(r, column.name) for r in self._fetch()]
        return [row[0] for row in self._select(column).tuples()]

    list = to_list  # LaminDB's older name

    def to_dataframe(
        self,
        include: str | list[str] | None = None,
        features: Any = False,
        limit: int | None = 20,  # LaminDB's overview: 20 rows; None for all
        order_by: str | None = "-id",
    ) -> Any:
        """The records as a pandas DataFrame, indexed by ``id``.

        Parameters
        ----------
        include
            Related values to add as columns, e.g. ``"created_by__handle"``, ``"ulabels__name"``.
        features
            Feature columns (registries with features only).
        limit
            Most rows to return; None for all.
        order_by
            Ordering when the set is not ordered already.

        Examples
        --------
        >>> ln.ULabel.filter().to_dataframe(include="created_by__handle", limit=None)  # doctest: +SKIP
        """

        paths = [include] if isinstance(include, str) else include
        if include is not None and (
            not isinstance(paths, (list, tuple)) or not all(isinstance(p, str) for p in paths)
        ):
            raise InvalidArgument(
                f"include= takes a field path such as 'created_by__handle' or a list of them, not {include!r}."
            )
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise InvalidArgument(f"limit= takes an int or None, not {type(limit).__name__}.")
        return queryset_to_dataframe(
            self, include=include, features=features, limit=limit, order_by=order_by
        )

    def df(self, *args: Any, **kwargs: Any) -> Any:
        """Alias of :meth:`to_dataframe` (LaminDB's older name)."""
        return self.to_dataframe(*args, **kwargs)

    # ------------------------------------------------------------ search & lookup
    def search(
        self,
        string: str,
        *,
        field: str | list[str] | None = None,
        limit: int | None = 20,
        case_sensitive: bool = False,
    ) -> BasicQuerySet:
        """Rank records by how well their text fields match ``string`` (typo tolerant).

        Examples
        --------
        >>> ln.ULabel.search("t cel").first()  # doctest: +SKIP
        ULabel(name='T cell', ...)
        """

        fields = self.model._text_fields(field)
        ensure_connected()
        ensure_table(self.model)
        synonyms = "synonyms" if "synonyms" in self.model._meta.fields else None
        kwargs = dict(fields=fields, case_sensitive=case_sensitive, synonyms_field=synonyms)
        ensure_search_index(self.model, fields)
        scored = (
            self._search_whole_registry(string, limit, kwargs)
            if not self._q.children and self._base is None
            else None
        )
        if scored is None:
            base = self._clone(limit=None, offset=0, order=())._ids_subquery()
            scored = search_scores(self.model, string, limit=limit, base_query=base, **kwargs)
        scores = {pk: score for pk, score in scored}
        ids = [pk for pk, _ in scored]
        q = Q(id__in=ids)
        if self._filters_branch():  # the hits were chosen among trashed records too: keep them
            q = q & Q(branch_id__isnull=False)
        cls = queryset_class(self.model) if isinstance(self, QuerySet) else BasicQuerySet
        return cls(self.model, q=q, scores=scores, db=self._db)

    def scored(self) -> list[tuple[Any, float | None]]:
        """The records with their search scores, best first (``None`` outside a search).

        Scores of every registry's :meth:`search` share one scale, so hits of several
        registries can be merged by score. An ``order_by()`` on the result wins over the ranking.

        Examples
        --------
        >>> _ = ln.ULabel(name="T cell").save()
        >>> _ = ln.ULabel(name="T helper cell").save()
        >>> [r.name for r, score in ln.ULabel.search("T cell").scored()]
        ['T cell', 'T helper cell']
        """
        records = self._fetch()
        if self._scores is None:
            return [(r, None) for r in records]
        pairs = [(r, self._scores.get(r._pk, 0.0)) for r in records]
        if self._order:
            return pairs
        rank = {pk: i for i, pk in enumerate(self._scores)}  # the search's ranking, ties included
        return sorted(pairs, key=lambda pair: rank.get(pair[0]._pk, len(rank)))

    def _search_whole_registry(
        self, string: str, limit: int | None, kwargs: dict[str, Any]
    ) -> list | None:
        """Search the whole table, then drop trashed hits with one query; None when too few remain.

        Restricting the index's candidates with ``id IN (all non-trashed ids)`` costs
        ~100x more than the search itself on 100k rows, and on an unfiltered registry
        almost every hit survives anyway. Over-fetching a little keeps the top ``limit``
        exact; when trashed hits eat into it, the caller falls back to the restricted search.
        """

        want = None if limit is None else 2 * limit + 10
        scored = search_scores(self.model, string, limit=want, **kwargs)
        ids = [pk for pk, _ in scored]
        if not ids:
            return scored
        pk = self.model._meta.primary_key
        kept = {row[0] for row in self._select(pk).where(pk.in_(ids)).tuples()}
        scored = [(i, s) for i, s in scored if i in kept]
        if limit is None:
            return scored
        if len(scored) >= limit or len(ids) < want:  # exact top-limit, or every match seen
            return scored[:limit]
        return None

    def lookup(
        self, field: str | None = None, return_field: str | None = None, keep: Any = "first"
    ) -> Any:
        """An auto-complete object: attribute names made from a field's values.

        Examples
        --------
        >>> labels = ln.ULabel.lookup()  # doctest: +SKIP
        >>> labels.t_cell  # doctest: +SKIP
        """

        name_field = self.model._text_fields(field)[0]
        if self._scores is not None:  # a ranked search result: its records are at hand
            records = self._fetch()
            values = [getattr(r, name_field) for r in records]
            items = records if return_field is None else [getattr(r, return_field) for r in records]
            return build_lookup(values, items, keep=keep, name=self.model.__name__)
        pk = self.model._meta.primary_key
        if return_field is not None:
            column = self._order_field(return_field).node
            rows = list(self._select(getattr(self.model, name_field), column).tuples())
            return build_lookup(
                [r[0] for r in rows], [r[1] for r in rows], keep=keep, name=self.model.__name__
            )
        rows = list(self._select(getattr(self.model, name_field), pk).tuples())
        return build_lookup(
            [r[0] for r in rows],
            [r[1] for r in rows],
            keep=keep,
            name=self.model.__name__,
            resolve=self._records_by_id,
        )

    def _records_by_id(self, ids: list[Any]) -> dict[Any, Any]:
        """``{id: record}`` for ids taken from this set (one query per 5,000 ids)."""
        pk = self.model._meta.primary_key
        out: dict[Any, Any] = {}
        trash_too = {"branch_id__isnull": False} if "branch_id" in self.model._meta.fields else {}
        for start in range(0, len(ids), 5000):
            # The ids came from this set, so any branch goes (a filter on the branch keeps trash).
            q = Q(**{f"{pk.name}__in": ids[start : start + 5000]}, **trash_too)
            chunk = QuerySet(self.model, q=q, db=self._db)
            out.update((r._pk, r) for r in chunk)
        return out

    # ------------------------------------------------------------ deleting
    def delete(self, permanent: bool | None = None) -> None:
        """Move every record to the trash, or delete permanently.

        Examples
        --------
        >>> ln.ULabel.filter(name__startswith="tmp").delete()
        """
        self.model._bulk_delete(self, permanent)

    # ------------------------------------------------------------ display
    def __repr__(self) -> str:
        records = self._fetch()
        head = ", ".join(repr(r) for r in records[:5])
        more = f", ... ({len(records)} in all)" if len(records) > 5 else ""
        return f"<QuerySet [{head}{more}]>"

    def _repr_html_(self) -> str:
        return queryset_html(self)


class QuerySet(BasicQuerySet):
    """The set ``filter()``, ``all()`` and related managers return; every method of :class:`BasicQuerySet`.

    Examples
    --------
    >>> ln.ULabel.filter(name="T cell").one()  # doctest: +SKIP
    """
