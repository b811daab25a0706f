"""``Run``: one execution of a transform, with its parameters, inputs and outputs."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..orm import ManyToMany, Q, fields
from ..orm.q import compile_condition
from .mixins import HasLineage, current_user_id
from .mixins.has_features import HasFeatures
from .transform import Transform
from .user import User

#: LaminDB's run statuses and the codes its ``_status_code`` column stores
STATUS_CODES = {
    "scheduled": -3,
    "restarted": -2,
    "started": -1,
    "completed": 0,
    "errored": 1,
    "aborted": 2,
}
STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


class _StatusCodeAlias:
    """``status_code``: the older name of ``_status_code`` (on the class, the field itself)."""

    def __get__(self, run: Any, owner: type) -> Any:
        return owner._status_code if run is None else run._status_code

    def __set__(self, run: Any, value: int) -> None:
        run._status_code = value


class Run(HasLineage, HasFeatures):
    """An execution of a :class:`Transform`.

    Examples
    --------
    >>> run = ln.Run(transform, params={"lr": 0.01}).save()  # doctest: +SKIP
    >>> run.input_artifacts.to_list("key")  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "entrypoint",
        "started_at",
        "finished_at",
        "params",
        "extra_data",
        "reference",
        "reference_type",
        "cli_args",
        "is_locked",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "transform_id",
        "report_id",
        "environment_id",
        "plan_id",
        "created_by_id",
        "initiated_by_run_id",
    )
    _uid_length = 16
    _search_fields = ("name",)
    _field_aliases = {"status_code": "_status_code"}

    uid = fields.CharField(max_length=16, unique=True)
    name = fields.CharField(max_length=150, null=True, index=True)
    transform = fields.ForeignKey(Transform, on_delete="CASCADE", related_name="runs", index=True)
    entrypoint = fields.CharField(max_length=255, null=True)
    started_at = fields.DateTimeField(auto_now_add=True, index=True)
    finished_at = fields.DateTimeField(null=True, index=True)
    params = fields.JSONField(null=True)
    report = fields.ForeignKey(
        "Artifact", on_delete="SET_NULL", null=True, related_name="_report_of"
    )
    environment = fields.ForeignKey(
        "Artifact", on_delete="SET_NULL", null=True, related_name="_environment_of"
    )
    cli_args = fields.TextField(null=True)
    initiated_by_run = fields.ForeignKey(
        "self", on_delete="SET_NULL", null=True, related_name="initiated_runs"
    )
    # -3 scheduled, -2 restarted, -1 started, 0 completed, 1 errored, 2 aborted (LaminDB's codes)
    _status_code = fields.SmallIntegerField(default=-3, index=True)
    status_code = _StatusCodeAlias()
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    created_at = fields.DateTimeField(auto_now_add=True, index=True)
    created_by = fields.ForeignKey(
        User, on_delete="PROTECT", null=True, default=current_user_id, related_name="created_runs"
    )

    ulabels = ManyToMany("ULabel", through="RunULabel", related_name="runs")
    records = ManyToMany("Record", through="RunRecord", related_name="runs")
    projects = ManyToMany("Project", through="RunProject", related_name="runs")
    json_values = ManyToMany("JsonValue", through="RunJsonValue", related_name="runs")

    def __init__(self, *args: Any, **kwargs: Any):
        # LaminDB's signature: Run(transform, name=None, ..., status="scheduled")
        if "__no_default__" in kwargs:  # a row read from the database
            super().__init__(*args, **kwargs)
            return
        if args:
            if len(args) > 1 or "transform" in kwargs:
                raise InvalidArgument(
                    "Run() takes the transform as its only positional argument: Run(transform, name=...)."
                )
            kwargs["transform"] = args[0]
            args = ()
        status = kwargs.pop("status", "scheduled")
        if status not in ("scheduled", "started"):
            raise InvalidArgument(
                f"status must be 'scheduled' or 'started', not {status!r}: a run starts as one of them "
                "(ln.finish() or the flow marks it completed or errored)."
            )
        kwargs.setdefault("_status_code", STATUS_CODES[status])
        super().__init__(*args, **kwargs)

    @property
    def status(self) -> str:
        """``scheduled``, ``restarted``, ``started``, ``completed``, ``errored`` or ``aborted``.

        ``ln.Run(transform).save()`` is scheduled; ``ln.track()`` and flows start their runs.

        Examples
        --------
        >>> t = ln.Transform(key="status_demo.py").save()
        >>> ln.Run(t).save().status, ln.Run(t, status="started").status
        ('scheduled', 'started')
        """
        return STATUS_NAMES.get(self._status_code, "started")

    @classmethod
    def _filter_fallback(cls, model: type, key: str, value: Any) -> Any:
        # filter(status="completed") reads the status names, as LaminDB's does
        head, _, lookup = key.partition("__")
        if head != "status":
            return super()._filter_fallback(model, key, value)
        values = value if lookup == "in" else [value]
        unknown = [v for v in values if isinstance(v, str) and v not in STATUS_CODES]
        if unknown:
            raise InvalidArgument(
                f"Invalid Run status {unknown[0]!r}. Expected one of: {', '.join(map(repr, STATUS_CODES))}."
            )
        codes = [STATUS_CODES.get(v, v) for v in values]
        return compile_condition(
            model,
            "_status_code" + (f"__{lookup}" if lookup else ""),
            codes if lookup == "in" else codes[0],
        )

    def query_output_artifacts(self, include_recreated: bool = True) -> Any:
        """The artifacts this run made, and (by default) the existing ones it made again.

        ``include_recreated=False`` gives :attr:`output_artifacts` only; the recreated ones
        alone are :attr:`recreated_artifacts`.

        Examples
        --------
        >>> run.query_output_artifacts().to_list("key")  # doctest: +SKIP
        ['x.parquet']
        """
        made = self.output_artifacts
        if not include_recreated:
            return made.all()
        return made.model.filter(Q(run=self) | Q(recreating_runs=self)).distinct()

    def _short_label(self) -> Any:
        return self.name or self.started_at
