"""Branch notes, comments and users: what ``lamin annotate/describe branch`` build on.

LaminDB 2.12.1 models a branch's readme and comments as ``BranchBlock`` rows (readmes are
versioned, comments are not), ``branch.notes`` as the latest readme's content, and
reviewers as ``branch.users`` through a link with a ``role``.
"""

from __future__ import annotations


def _block(ln, branch, content, kind):
    return ln.models.BranchBlock(branch=branch, content=content, kind=kind).save()


def scenario_branch_notes_without_readme(ln, ctx):
    """A branch without a readme block has no notes."""
    branch = ln.Branch(name="my_branch").save()
    return {"notes": branch.notes, "blocks": branch.ablocks.count()}


def scenario_branch_readme_is_its_notes(ln, ctx):
    """The content of a readme block is the branch's notes."""
    branch = ln.Branch(name="my_branch").save()
    _block(ln, branch, "# My branch\n\nWhy.\n", "readme")
    return {"notes": branch.notes, "kinds": branch.ablocks.to_list("kind")}


def scenario_branch_readme_new_version(ln, ctx):
    """A second readme is the next version of the first and the only latest one."""
    branch = ln.Branch(name="my_branch").save()
    first = _block(ln, branch, "# v1", "readme")
    second = _block(ln, branch, "# v2", "readme")
    rows = ln.models.BranchBlock.filter(branch=branch).order_by("id")
    return {
        "notes": branch.notes,
        "same_stem": first.uid[:16] == second.uid[:16],
        "suffixes": [uid[16:] for uid in rows.to_list("uid")],
        "is_latest": rows.to_list("is_latest"),
    }


def scenario_branch_readme_same_content_returns_existing(ln, ctx):
    """A readme with the latest readme's content is that block, not a new one."""
    branch = ln.Branch(name="my_branch").save()
    first = _block(ln, branch, "# same", "readme")
    again = ln.models.BranchBlock(branch=branch, content="# same", kind="readme")
    return {
        "same_id": again.id == first.id,
        "count": ln.models.BranchBlock.filter(branch=branch).count(),
    }


def scenario_branch_comments_are_not_versioned(ln, ctx):
    """Comments are separate blocks with their own uid stem; notes stay the readme."""
    branch = ln.Branch(name="my_branch").save()
    _block(ln, branch, "# readme", "readme")
    a = _block(ln, branch, "first", "comment")
    b = _block(ln, branch, "second", "comment")
    comments = branch.ablocks.filter(kind="comment").order_by("id")
    return {
        "contents": comments.to_list("content"),
        "all_latest": comments.to_list("is_latest"),
        "other_stems": a.uid[:16] != b.uid[:16],
        "suffix": a.uid[16:],
        "notes": branch.notes,
    }


def scenario_branch_block_needs_a_kind(ln, ctx):
    """A branch block without a kind is refused."""
    branch = ln.Branch(name="my_branch").save()
    ln.models.BranchBlock(branch=branch, content="x")


def scenario_branch_block_unknown_kind(ln, ctx):
    """A branch block of another kind than readme or comment is refused."""
    branch = ln.Branch(name="my_branch").save()
    try:
        ln.models.BranchBlock(branch=branch, content="x", kind="issue")
    except ValueError as error:
        return {"raises": True, "names_kinds": "'readme' or 'comment'" in str(error)}
    return {"raises": False}


def scenario_branch_reviewer(ln, ctx):
    """A user linked with the role reviewer is among the branch's users."""
    branch = ln.Branch(name="my_branch").save()
    user = ln.User.filter().first()
    branch.users.add(user, through_defaults={"role": "reviewer"})
    return {
        "users": branch.users.count(),
        "is_the_user": branch.users.first() == user,
        "branches_of_user": user.branches.to_list("name"),
    }


def scenario_branch_user_added_twice(ln, ctx):
    """Adding a linked user again, in another role, leaves the one link."""
    branch = ln.Branch(name="my_branch").save()
    user = ln.User.filter().first()
    branch.users.add(user, through_defaults={"role": "reviewer"})
    branch.users.add(user, through_defaults={"role": "author"})
    return {"users": branch.users.count()}


def scenario_branch_describe_shows_comments_when_included(ln, ctx):
    """describe() shows a branch's status and notes; its comments only with include='comments'."""
    branch = ln.Branch(name="my_branch").save()
    branch.status = "review"
    branch.save()
    _block(ln, branch, "# The plan", "readme")
    _block(ln, branch, "WDYT?", "comment")
    plain = branch.describe(return_str=True)
    full = branch.describe(return_str=True, include="comments")
    return {
        "status": "review" in plain,
        "notes": "# The plan" in plain,
        "comment_plain": "WDYT?" in plain,
        "comment_included": "WDYT?" in full,
    }
