"""``Curate``: validate a DataFrame or AnnData against a schema, fix it and save it, by clicking.

Imports the curation layer (and with it pandas when a dataset is curated); ``ln.widgets``
is itself loaded lazily, so ``import lamin_lab`` stays light.
"""

from __future__ import annotations

from typing import Any

import traitlets

from ..errors import InvalidArgument, ValidationError
from ._base import Panel, panel_module, page_bounds
from ._curate_state import (
    blocking_message, cat_column, column_states, create_label, describe_dataset, make_curator, replace_value,
    slot_curator, value_page,
)  # fmt: skip
from ._records import record_ref


class Curate(Panel):
    """Curate a dataset against a schema: column states, invalid values with suggestions, save.

    Click a column that is not validated to page through its invalid values; accept a
    suggestion (the value is replaced in the dataset), or create a label for one value or
    for all of them; then type a key and click Save. The saved artifact is ``.value``.

    Parameters
    ----------
    dataset
        A pandas DataFrame or an AnnData (changed in place when values are replaced),
        or a curator (``ln.curators.DataFrameCurator(df, schema)``); None for an empty panel.
    schema
        The saved :class:`~lamin_lab.Schema` to validate against (not needed with a curator).
    page_size
        Invalid values shown per page.

    Examples
    --------
    >>> panel = ln.widgets.Curate(df, schema)  # doctest: +SKIP
    >>> panel  # accept "IFNG" for "IFNJ", type a key, click Save  # doctest: +SKIP
    >>> panel.value.key  # doctest: +SKIP
    'examples/perturbations.parquet'
    """

    _esm = panel_module("curate")  # live with ANYWIDGET_HMR=1
    #: whether a dataset is loaded (the browser shows how to load one otherwise)
    loaded = traitlets.Bool(False).tag(sync=True)
    #: bumped whenever Python loads or changes the dataset: every view asks for the status again
    revision = traitlets.Int(0).tag(sync=True)
    page_size = traitlets.Int(20).tag(sync=True)
    #: the saved artifact (not synced)
    value = traitlets.Any(None)

    def __init__(
        self, dataset: Any = None, schema: Any = None, *, page_size: int = 20, **kwargs: Any
    ) -> None:
        super().__init__(page_size=page_size, **kwargs)
        self._curator: Any = None
        if dataset is not None:
            self.load(dataset, schema)

    @property
    def curator(self) -> Any:
        """The underlying curator (``DataFrameCurator`` or ``AnnDataCurator``), None before :meth:`load`.

        Examples
        --------
        >>> panel.curator.cat.non_validated  # doctest: +SKIP
        {'perturbation': ['IFNJ']}
        """
        return self._curator

    @property
    def dataset(self) -> Any:
        """The dataset being curated (the curator's, changed in place by accepted suggestions)."""
        return None if self._curator is None else self._curator.dataset

    def load(self, dataset: Any, schema: Any = None) -> Curate:
        """Curate ``dataset`` against ``schema`` (or a ready curator); forgets a previously saved artifact.

        Examples
        --------
        >>> wb.curate.load(df, schema)  # doctest: +SKIP
        """
        self._curator = make_curator(dataset, schema)
        self.value = None
        self._set_selected(None)
        self.loaded = True
        self.revision += 1
        return self

    def refresh(self) -> None:
        """Show the curator's current state in every view (after changing the data or labels in code).

        Examples
        --------
        >>> panel.curator.cat.add_new_from("perturbation"); panel.refresh()  # doctest: +SKIP
        """
        self.revision += 1

    def status(self) -> dict[str, Any]:
        """The state of every column (what the panel shows), read afresh from the curator.

        Examples
        --------
        >>> [(c["key"], c["state"]) for c in panel.status()["columns"]]  # doctest: +SKIP
        [('perturbation', 'invalid'), ('temperature', 'valid')]
        """
        if self._curator is None:
            return {"loaded": False, "columns": [], "valid": False}
        rows = column_states(self._curator)
        return {
            "loaded": True,
            "dataset": describe_dataset(self._curator),
            "columns": rows,
            "valid": not any(r["blocking"] for r in rows),
            "saved": record_ref(self.value) if self.value is not None else None,
        }

    # ------------------------------------------------------------ requests
    def _need_curator(self) -> Any:
        if self._curator is None:
            raise InvalidArgument(
                "Nothing to curate yet: load a dataset with panel.load(df, schema)."
            )
        return self._curator

    def _target(self, msg: dict[str, Any]) -> tuple[Any, str]:
        sub = slot_curator(self._need_curator(), msg.get("slot"))
        key = str(msg.get("key") or "")
        cat_column(sub, key)  # raises InvalidArgument for a column without categorical values
        return sub, key

    def _value(self, msg: dict[str, Any]) -> str:
        value = msg.get("value")
        if not isinstance(value, str) or value == "":
            raise InvalidArgument("Say which value to fix: a request needs a non-empty 'value'.")
        return value

    def _update(self, note: str, **extra: Any) -> dict[str, Any]:
        return {"type": "status", "note": note, **self.status(), **extra}

    def _cmd_status(self, msg: dict[str, Any]) -> dict[str, Any]:
        return {"type": "status", "note": "", **self.status()}

    def _cmd_values(self, msg: dict[str, Any]) -> dict[str, Any]:
        sub, key = self._target(msg)
        offset, limit = page_bounds(msg, self.page_size)
        return {
            "type": "values",
            "slot": str(msg.get("slot") or ""),
            **value_page(sub, key, offset, limit),
        }

    def _cmd_accept(self, msg: dict[str, Any]) -> dict[str, Any]:
        sub, key = self._target(msg)
        value, replacement = self._value(msg), str(msg.get("suggestion") or "")
        replace_value(sub, key, value, replacement)
        return self._update(f"Replaced {value!r} by {replacement!r} in {key!r}.")

    def _cmd_create(self, msg: dict[str, Any]) -> dict[str, Any]:
        sub, key = self._target(msg)
        if msg.get("all"):
            column = cat_column(sub, key)
            sub.cat._revalidate(key)
            n = len(column.non_validated)
            sub.cat.add_new_from(key)
            name = column.target.model.__name__
            return self._update(f"Created {n} {name} label{'s' if n != 1 else ''} for {key!r}.")
        value = self._value(msg)
        record = create_label(sub, key, value)
        return self._update(f"Created {type(record).__name__} {value!r} for {key!r}.")

    def _cmd_standardize(self, msg: dict[str, Any]) -> dict[str, Any]:
        sub, key = self._target(msg)
        column = cat_column(sub, key)
        n = len(column.synonyms)
        sub.cat.standardize(key)
        return self._update(
            f"Replaced {n} synonym{'s' if n != 1 else ''} in {key!r} by standard names."
        )

    def _cmd_validate(self, msg: dict[str, Any]) -> dict[str, Any]:
        curator = self._need_curator()
        try:
            curator.validate()
        except ValidationError as error:
            return self._update("", problems=str(error))
        return self._update("The dataset validates: type a key and click Save.")

    def _cmd_save(self, msg: dict[str, Any]) -> dict[str, Any]:
        curator = self._need_curator()
        key = str(msg.get("key") or "").strip() or None
        description = str(msg.get("description") or "").strip() or None
        blocking = blocking_message(column_states(curator), curator)
        if blocking:
            raise ValidationError(blocking)
        if key is None and description is None:
            raise InvalidArgument(
                "Type a key (e.g. datasets/my_table.parquet) or a description, then click Save."
            )
        curator.validate()  # also the checks no single column shows (order of columns)
        artifact = curator.save_artifact(key=key, description=description)
        self.value = artifact
        self._set_selected(artifact)
        return self._update(
            f"Saved artifact {artifact.key or artifact.description!r} (uid {artifact.uid})."
        )
