"""Describe trees of branches, and the notes and comments attached to any record.

LaminDB shows a branch's status, its notes (the latest readme block) and, with
``include="comments"``, its comments; the same sections serve every registry with
attached blocks (``artifact.describe(include="comments")``).

Examples
--------
>>> print(branch_tree(ln.Branch.get(name="main")).to_text())  # doctest: +ELLIPSIS
Branch  main
└── General
    ├── uid          ...
    ├── name         main
    ├── status       standalone
    ...
"""

from __future__ import annotations

from typing import Any

from lamin_lab.describe.tree import DescribeTree, Row, Section, format_datetime
from lamin_lab.errors import InvalidArgument
from lamin_lab.models import Branch, User
from lamin_lab.models.branch import BranchUser

#: what ``describe(include=...)`` can add
INCLUDES = ("comments",)


def check_include(include: str | None) -> None:
    """Refuse an ``include=`` value that describe does not know.

    Examples
    --------
    >>> check_include("comments")
    >>> check_include("everything")
    Traceback (most recent call last):
    ...
    lamin_lab.errors.InvalidArgument: include='everything' is not known: pass include='comments' or leave it out.
    """
    if include is not None and include not in INCLUDES:
        raise InvalidArgument(
            f"include={include!r} is not known: pass include='comments' or leave it out."
        )


def _handles(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(User.select(User.id, User.handle).where(User.id.in_(list(ids))).tuples())


def block_sections(record: Any, include: str | None = None) -> list[Section]:
    """ "Notes" (the latest readme) and, with ``include="comments"``, one "Comments" section.

    Two queries at most (the blocks, their authors); none for a record without blocks.

    Examples
    --------
    >>> block_sections(ln.Branch.get(name="main"))
    []
    """
    relation = getattr(type(record), "blocks", None)
    if relation is None or record._pk is None:
        return []
    blocks = list(record.blocks.order_by("created_at", "id"))
    readmes = [b for b in blocks if b.kind == "readme" and b.is_latest]
    comments = [b for b in blocks if b.kind == "comment"] if include == "comments" else []
    sections = []
    if readmes:
        sections.append(Section("Notes", [Row("readme", (readmes[-1].content or "").rstrip())]))
    if comments:
        handles = _handles({b.__data__.get("created_by") for b in comments} - {None})
        rows = [
            Row(
                f"{handles.get(b.__data__.get('created_by'), '?')} · {format_datetime(b.created_at)}",
                b.content or "",
            )
            for b in comments
        ]
        sections.append(Section("Comments", rows, note=f"{len(rows)}"))
    return sections


def _users_section(branch: Any) -> Section:
    rows = (
        BranchUser.select(BranchUser.role, User.handle)
        .join(User, on=BranchUser.user == User.id)
        .where(BranchUser.branch == branch._pk)
        .order_by(BranchUser.role, User.handle)
        .tuples()
    )
    by_role: dict[str, list[str]] = {}
    for role, handle in rows:
        by_role.setdefault(role, []).append(handle)
    return Section("Users", [Row(role, handles, "list") for role, handles in by_role.items()])


def branch_tree(branch: Branch, include: str | None = None) -> DescribeTree:
    """Describe tree of a branch: uid, name, status, who made it; notes, users, comments.

    Examples
    --------
    >>> tree = branch_tree(ln.Branch.get(name="main"), include="comments")
    >>> [s.name for s in tree.sections]
    ['General']
    """
    check_include(include)
    creator = _handles({branch.__data__.get("created_by")} - {None})
    general = [
        Row("uid", branch.uid, "code"),
        Row("name", branch.name),
        Row("status", branch.status),
        Row("description", branch.description),
        Row("created_at", branch.created_at, "datetime"),
        Row("created_by", creator.get(branch.__data__.get("created_by"))),
    ]
    sections = [Section("General", [r for r in general if r.value not in (None, "")])]
    users = _users_section(branch)
    if users.rows:
        sections.append(users)
    sections += block_sections(branch, include)
    return DescribeTree("Branch", branch.name or "", sections)
