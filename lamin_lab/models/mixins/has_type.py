"""``HasType``: records grouped under type records of the same registry."""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from ...orm import SQLRecord, fields


class HasType(SQLRecord):
    """Records with ``is_type`` and a ``type`` pointing to a type record.

    Examples
    --------
    >>> experiment = ln.Record(name="Experiment", is_type=True).save()  # doctest: +SKIP
    >>> ln.Record(name="Experiment 1", type=experiment).save().query_types()  # doctest: +SKIP
    [Record(name='Experiment', is_type=True, ...)]
    """

    is_type = fields.BooleanField(default=False, index=True)

    class Meta:
        abstract = True

    def _check_new(self, passed: dict[str, Any]) -> None:
        super()._check_new(passed)
        kind = passed.get("type")
        if (
            isinstance(kind, HasType) and not kind.is_type
        ):  # LaminDB refuses it here, before any save
            raise InvalidArgument(
                f"{kind._short_repr()} is not a type, so it cannot be the type= of a {type(self).__name__}: "
                f"pass a record made with is_type=True, e.g. ln.{type(self).__name__}(name=..., is_type=True)."
            )

    def _check_type(self) -> None:
        type_id = self.__data__.get("type")
        if type_id is None:
            return
        if self._pk is not None and type_id == self._pk:
            raise InvalidArgument(f"A {type(self).__name__} cannot be its own type.")
        # the type record passed to the constructor is at hand: no query per record of a bulk save
        parent = getattr(self, "__rel__", {}).get("type")
        if parent is None or parent._pk != type_id:
            parent = type(self).get(type_id)
        if not parent.is_type:
            raise InvalidArgument(
                f"{parent._short_repr()} is not a type: create it with is_type=True to group records under it."
            )

    def subtype_ids(self, depth: int | None = None) -> list[int]:
        """Ids of this type record and the type records under it, ``depth`` levels down at most.

        One query per level.

        Examples
        --------
        >>> project_type.subtype_ids()  # doctest: +SKIP
        [3, 7]
        """
        model = type(self)
        ids, level = [self._pk], [self._pk]
        while level and (depth is None or depth > 0):
            found = model.filter(type_id__in=level, is_type=True).to_list("id")
            level = [i for i in found if i not in ids]
            ids += level
            depth = None if depth is None else depth - 1
        return ids

    def query_types(self) -> list[Any]:
        """The type of this record, its type's type, and so on up to the root.

        Examples
        --------
        >>> record.query_types()  # doctest: +SKIP
        """
        out: list[Any] = []
        seen: set[int] = set()
        current = self.__data__.get("type")
        while current is not None and current not in seen:
            seen.add(current)
            record = type(self).filter(id=current, branch=None).one()
            out.append(record)
            current = record.__data__.get("type")
        return out
