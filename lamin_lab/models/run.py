"""``Run``: one execution of a transform, with its parameters, inputs and outputs."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..orm import ManyToMany, Q, fields
from .mixins import HasLineage, current_user_id
from .mixins.has_features import HasFeatures
from .transform import Transform
from .user import User


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
    status_code = fields.SmallIntegerField(default=0)
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
        # LaminDB's signature: Run(transform, name=None, ...): the positional is the transform.
        if args and "__no_default__" not in kwargs:
            if len(args) > 1 or "transform" in kwargs:
                raise InvalidArgument(
                    "Run() takes the transform as its only positional argument: Run(transform, name=...)."
                )
            kwargs["transform"] = args[0]
            args = ()
        super().__init__(*args, **kwargs)

    @property
    def status(self) -> str:
        """``started``, ``completed``, ``errored``, ``restarted`` (``ln.track(new_run=False)``) or ``aborted``."""
        finished = "started" if self.finished_at is None else "completed"
        return {0: finished, 1: "errored", -2: "restarted", 2: "aborted"}.get(
            self.status_code, "started"
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
