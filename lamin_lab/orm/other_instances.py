"""What every registry can do with other instances: ``Registry.connect(...)``, ``record._state``.

The mechanism (binding the proxy to another database for a while) is in
:mod:`lamin_lab.orm.instances`; opening an instance by ``owner/name`` is the setup layer's
(the ``open_instance`` service); copying a record read from another instance into the
current one is the models layer's (the ``transfer_record`` service).

Examples
--------
>>> ln.Artifact.connect("me/other").filter(suffix=".csv").to_dataframe()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from .._services import service
from ..errors import NoWriteAccess
from .instances import OtherInstance, RecordState, instance_of, record_state
from .queryset import QuerySet, queryset_class


class ReadsOtherInstances:
    """Mixed into the base record: query another instance, know where a record was read from.

    Examples
    --------
    >>> ln.ULabel(name="x")._state.db is None  # doctest: +SKIP
    True
    """

    @classmethod
    def connect(cls, instance: str | OtherInstance) -> QuerySet:
        """A QuerySet of this registry on another local instance, read without switching.

        Parameters
        ----------
        instance
            ``"owner/name"`` or the name of an instance set up on this machine.

        Examples
        --------
        >>> ln.Artifact.connect("me/other").filter(suffix=".csv").count()  # doctest: +SKIP
        2
        """
        other = (
            instance if isinstance(instance, OtherInstance) else service("open_instance")(instance)
        )
        return queryset_class(cls)(cls, db=other)

    @classmethod
    def using(cls, instance: str | OtherInstance) -> QuerySet:
        """LaminDB's older name of :meth:`connect`.

        Examples
        --------
        >>> ln.Artifact.using("me/other").count()  # doctest: +SKIP
        2
        """
        return cls.connect(instance)

    @property
    def _state(self) -> RecordState:
        """Where the record lives, as LaminDB's ``_state``: ``db`` None, ``"default"`` or ``"owner/name"``."""
        return record_state(self)

    def _refuse_other_instance(self, action: str) -> None:
        """Raise when the record was read from another instance (those are read only)."""
        other = instance_of(self)
        if other is not None:
            raise NoWriteAccess(
                f"This {type(self).__name__} was read from instance {other.slug!r}, which is open for "
                f"reading only: it cannot be {action} from here. Connect to it with "
                f"ln.setup.connect({other.slug!r}) to change it."
            )

    def _transfer_if_other(self, kwargs: dict[str, Any]) -> Any:
        """Saving a record of another instance copies it into the current one; None otherwise."""
        if instance_of(self) is None:
            return None
        return service("transfer_record")(self, transfer=kwargs.pop("transfer", None))
