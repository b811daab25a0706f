"""``Project`` and ``Reference``: what work belongs to, and where it was published."""

from __future__ import annotations

import re
from typing import Any

from ..errors import FieldValidationError
from ..orm import fields
from .mixins import CanCurate, HasType, TracksRun, TracksUpdates


# LaminDB's (Django's) rules: a DOI is "10.<digits>/...", optionally as a doi.org link or
# with a "doi:" prefix; a URL has a scheme (http, https, ftp, ftps) and a host.
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:|DOI:)?10\.\d+/.*$")
_URL = re.compile(r"^(?:https?|ftps?)://[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


class Project(CanCurate, HasType, TracksRun, TracksUpdates):
    """A project that groups artifacts, transforms, records ...

    Examples
    --------
    >>> ln.Project(name="atlas").save()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "abbr",
        "url",
        "start_date",
        "end_date",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "type_id",
    )
    _returns_existing_name = True  # as in LaminDB: a new record whose name exists is that record
    _required_fields = ("name",)

    _uid_length = 12
    _search_fields = ("name", "description", "abbr")

    uid = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=255, index=True, null=False)
    description = fields.TextField(null=True)
    abbr = fields.CharField(max_length=32, null=True, index=True)
    url = fields.CharField(max_length=255, null=True)
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="projects")


class Reference(CanCurate, HasType, TracksRun, TracksUpdates):
    """A reference: a paper, a dataset DOI, a URL.

    Examples
    --------
    >>> ln.Reference(name="Atlas paper", doi="10.1000/xyz").save()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "abbr",
        "url",
        "pubmed_id",
        "doi",
        "text",
        "date",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "type_id",
    )
    _returns_existing_name = True  # as in LaminDB: a new record whose name exists is that record
    _required_fields = ("name",)

    _uid_length = 12
    _search_fields = ("name", "description", "abbr", "doi", "text")

    uid = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=255, index=True, null=False)
    description = fields.TextField(null=True)
    abbr = fields.CharField(max_length=32, null=True, index=True)
    url = fields.CharField(max_length=255, null=True)
    pubmed_id = fields.BigIntegerField(null=True)
    doi = fields.CharField(max_length=255, null=True, index=True)
    text = fields.TextField(null=True)
    date = fields.DateField(null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="references")

    def _check_new(self, passed: dict[str, Any]) -> None:
        super()._check_new(passed)
        problems = []
        doi, url = passed.get("doi"), passed.get("url")
        if doi is not None and not _DOI.match(str(doi)):
            problems.append(
                f"doi {doi!r} is not a DOI (write it as '10.1000/xyz123' or 'https://doi.org/10.1000/xyz123')"
            )
        if url is not None and not _URL.match(str(url)):
            problems.append(
                f"url {url!r} is not a URL (write it with its scheme, e.g. 'https://{url}')"
            )
        if problems:
            raise FieldValidationError(f"Reference: {'; '.join(problems)}.")
