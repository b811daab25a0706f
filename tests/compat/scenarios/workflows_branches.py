"""Branches as LaminDB's manage-changes guide uses them: switch, work, merge; status; track(branch=).

Scenarios that switch go back to main at the end: lamindb keeps the current branch in the
process (and in the working folder), which the harness's restore does not reset.
"""


def _names(qs):
    return sorted(r.name for r in qs)


def _raised(fn):
    try:
        fn()
    except Exception as e:  # the class name is what both sides must agree on
        return type(e).__name__
    return None


def _value_error(fn):
    try:
        fn()
    except ValueError:  # lamindb: Django's ValueError; lamin_lab: InvalidArgument, a ValueError
        return "ValueError"
    return None


# ------------------------------------------------------------------ Branch records
def scenario_branch_new_is_standalone(ln, ctx):
    """A new Branch gets the next id and the status 'standalone'."""
    b = ln.Branch(name="my_branch").save()
    return {"id": b.id, "status": b.status, "code": b._status_code, "description": b.description}


def scenario_branch_builtin_descriptions(ln, ctx):
    """main, archive and trash carry LaminDB's descriptions."""
    return sorted((b.id, b.name, b.description) for b in ln.Branch.filter())


def scenario_branch_name_unique_ignoring_case(ln, ctx):
    """A second branch whose name differs only in case is refused."""
    ln.Branch(name="Feature").save()
    try:
        ln.Branch(name="feature").save()
    except Exception as e:
        return {"raises": type(e).__name__, "branches": ln.Branch.filter().count()}
    return "saved"


def scenario_branch_status_set_and_filter(ln, ctx):
    """status is set by name, stored as a code, and filter(status=) reads names."""
    b = ln.Branch(name="b").save()
    b.status = "review"
    b.save()
    return {
        "status": ln.Branch.get(name="b").status,
        "code": ln.Branch.get(name="b")._status_code,
        "review": [x.name for x in ln.Branch.filter(status="review")],
        "standalone": ln.Branch.filter(status="standalone").count(),
    }


def scenario_branch_status_unknown(ln, ctx):
    """An unknown status is refused with the list of statuses."""
    b = ln.Branch(name="b").save()
    try:
        b.status = "done"
    except ValueError as e:
        return {"raises": "ValueError", "lists": "'standalone', 'draft'" in str(e)}
    return "accepted"


# ------------------------------------------------------------------ switch
def scenario_switch_create_and_settings_branch(ln, ctx):
    """switch(create=True) makes the branch current; settings.branch follows switches."""
    try:
        ln.setup.switch("my_branch", create=True)
        on = ln.setup.settings.branch.name
        ln.setup.switch("main")
        return {
            "on": on,
            "back": ln.setup.settings.branch.name,
            "branches": ln.Branch.filter().count(),
        }
    finally:
        ln.setup.switch("main")


def scenario_switch_create_existing(ln, ctx):
    """switch(create=True) refuses a branch that exists (as git switch -c)."""
    ln.Branch(name="my_branch").save()
    try:
        ln.setup.switch("my_branch", create=True)
    except ln.errors.BranchAlreadyExists as e:
        return {"raises": "BranchAlreadyExists", "hint": "Omit -c/--create" in str(e)}
    finally:
        ln.setup.switch("main")
    return "switched"


def scenario_switch_missing(ln, ctx):
    """switch(name) of a branch that does not exist raises DoesNotExist."""
    try:
        ln.setup.switch("nowhere")
    except ln.errors.DoesNotExist:
        return {"raises": "DoesNotExist", "branch": ln.setup.settings.branch.name}
    return "switched"


def scenario_switch_by_uid_and_record(ln, ctx):
    """switch takes a uid or a Branch record too."""
    b = ln.Branch(name="b").save()
    try:
        ln.setup.switch(b.uid)
        by_uid = ln.setup.settings.branch.name
        ln.setup.switch(ln.Branch.get(name="main"))
        return {"by_uid": by_uid, "by_record": ln.setup.settings.branch.name}
    finally:
        ln.setup.switch("main")


# ------------------------------------------------------------------ visibility
def scenario_records_on_branch_seen_there_and_not_on_main(ln, ctx):
    """A branch sees its records and main's; main sees only its own."""
    ln.ULabel(name="on main").save()
    try:
        ln.setup.switch("b", create=True)
        made = ln.ULabel(name="on b").save()
        on_b = _names(ln.ULabel.filter())
        ln.setup.switch("main")
        return {
            "branch_id": made.branch_id,
            "created_on_id": made.created_on_id,
            "on_b": on_b,
            "on_main": _names(ln.ULabel.filter()),
            "get_on_main": _raised(lambda: ln.ULabel.get(name="on b")),
        }
    finally:
        ln.setup.switch("main")


def scenario_filter_branch_reaches_other_branch(ln, ctx):
    """filter(branch=...) and branch__name= reach a branch that is not current."""
    try:
        ln.setup.switch("b", create=True)
        ln.ULabel(name="on b").save()
        ln.setup.switch("main")
        b = ln.Branch.get(name="b")
        return {
            "branch": _names(ln.ULabel.filter(branch=b)),
            "branch_name": _names(ln.ULabel.filter(branch__name="b")),
            "all": _names(ln.ULabel.filter(branch=None)),
        }
    finally:
        ln.setup.switch("main")


def scenario_archive_hidden_by_default(ln, ctx):
    """A record moved to the archive (branch_id=0) leaves default queries."""
    ln.ULabel(name="kept").save()
    old = ln.ULabel(name="old").save()
    old.branch_id = 0
    old.save()
    return {
        "default": _names(ln.ULabel.filter()),
        "archive": _names(ln.ULabel.filter(branch_id=0)),
        "all": _names(ln.ULabel.filter(branch_id=None)),
    }


def scenario_archive_hidden_on_a_branch(ln, ctx):
    """On a user branch too, the archive and the trash stay out of default queries."""
    old = ln.ULabel(name="old").save()
    old.branch_id = 0
    old.save()
    ln.ULabel(name="gone").save().delete()
    try:
        ln.setup.switch("b", create=True)
        return _names(ln.ULabel.filter())
    finally:
        ln.setup.switch("main")


def scenario_trash_and_restore_on_a_branch(ln, ctx):
    """Deleting on a branch moves to the trash; restore() brings it back onto main."""
    try:
        ln.setup.switch("b", create=True)
        label = ln.ULabel(name="x").save()
        label.delete()
        trashed = {"branch_id": label.branch_id, "visible": ln.ULabel.filter().count()}
        label.restore()
        return {"trashed": trashed, "restored": ln.ULabel.get(name="x").branch_id}
    finally:
        ln.setup.switch("main")


def scenario_record_branch_assignment(ln, ctx):
    """record.branch = <Branch> moves a record; created_on stays."""
    other = ln.Branch(name="other").save()
    label = ln.ULabel(name="mover").save()
    label.branch = other
    label.save()
    moved = ln.ULabel.get(name="mover", branch=other)
    return {
        "branch_id": moved.branch_id,
        "created_on_id": moved.created_on_id,
        "visible": ln.ULabel.filter(name="mover").count(),
    }


def scenario_record_branch_assignment_of_a_name(ln, ctx):
    """record.branch takes a Branch record, not its name."""
    label = ln.ULabel(name="x").save()
    try:
        label.branch = "main"
    except ValueError:
        return {"raises": "ValueError"}
    return "assigned"


# ------------------------------------------------------------------ merge
def scenario_merge_moves_records_onto_main(ln, ctx):
    """After merge the branch's records are on main, and the branch is 'merged'."""
    try:
        ln.setup.switch("b", create=True)
        ln.ULabel(name="on b").save()
        ln.setup.switch("main")
        ln.setup.merge("b")
        label = ln.ULabel.get(name="on b")
        return {
            "on_main": _names(ln.ULabel.filter()),
            "branch_id": label.branch_id,
            "created_on_id": label.created_on_id,
            "status": ln.Branch.get(name="b").status,
            "merged": [b.name for b in ln.Branch.filter(status="merged")],
        }
    finally:
        ln.setup.switch("main")


def scenario_merge_into_itself(ln, ctx):
    """Merging the current branch into itself changes nothing."""
    try:
        ln.setup.switch("b", create=True)
        ln.ULabel(name="on b").save()
        ln.setup.merge("b")
        return {
            "branch_id": ln.ULabel.get(name="on b").branch_id,
            "status": ln.Branch.get(name="b").status,
        }
    finally:
        ln.setup.switch("main")


def scenario_merge_missing(ln, ctx):
    """Merging a branch that does not exist raises DoesNotExist."""
    try:
        ln.setup.merge("nowhere")
    except ln.errors.DoesNotExist:
        return "DoesNotExist"
    return "merged"


def scenario_merge_target(ln, ctx):
    """merge(target=) merges into another branch than the current one."""
    ln.Branch(name="a").save()
    try:
        ln.setup.switch("b", create=True)
        ln.ULabel(name="on b").save()
        ln.setup.merge("b", target="a")
        return ln.ULabel.get(name="on b", branch=None).branch.name
    finally:
        ln.setup.switch("main")


def scenario_versions_on_a_branch_and_merge(ln, ctx):
    """A new version on a branch leaves main's latest; merge keeps the newest latest."""
    v1 = ln.Transform(key="v.py").save()
    try:
        ln.setup.switch("b", create=True)
        ln.Transform(key="v.py", revises=v1).save()

        def versions():
            return sorted(
                (t.uid[-4:], t.is_latest, t.branch_id) for t in ln.Transform.filter(key="v.py")
            )

        on_b = versions()
        ln.setup.switch("main")
        on_main = versions()
        ln.setup.merge("b")
        return {"on_b": on_b, "on_main": on_main, "merged": versions()}
    finally:
        ln.setup.switch("main")


# ------------------------------------------------------------------ track(branch=)
def scenario_track_branch_puts_run_and_records_on_it(ln, ctx):
    """ln.track(branch=) puts the transform, the run and new records on the branch."""
    ln.Branch(name="b").save()
    ln.track(branch="b")
    label = ln.ULabel(name="in run").save()
    out = {
        "context": ln.context.branch.name,
        "label": label.branch.name,
        "run": ln.context.run.branch.name,
        "transform": ln.context.transform.branch.name,
        "visible": ln.ULabel.filter(name="in run").count(),
        "settings": ln.setup.settings.branch.name,
    }
    ln.finish()
    return out


def scenario_track_branch_unknown(ln, ctx):
    """ln.track(branch=) of a branch that does not exist raises InvalidArgument."""
    return _raised(lambda: ln.track(branch="nowhere"))


def scenario_track_branch_after_finish(ln, ctx):
    """Records made after ln.finish() of a run on a branch."""
    ln.Branch(name="b").save()
    ln.track(branch="b")
    ln.finish()
    return ln.ULabel(name="after").save().branch_id


# ------------------------------------------------------------------ by identity
def scenario_identity_filters_see_every_branch(ln, ctx):
    """Asking by id, uid or hash finds a record on any branch, the trash and archive included."""
    trashed = ln.ULabel(name="trashed").save()
    trashed.delete()
    old = ln.ULabel(name="old").save()
    old.branch_id = 0
    old.save()
    try:
        ln.setup.switch("b", create=True)
        on_b = ln.ULabel(name="on b").save()
        ln.setup.switch("main")
        return {
            "uid_trash": ln.ULabel.filter(uid=trashed.uid).count(),
            "get_trash": ln.ULabel.get(trashed.uid).name,
            "id_in": ln.ULabel.filter(id__in=[trashed.id, old.id, on_b.id]).count(),
            "uid_and_name": ln.ULabel.filter(uid=old.uid, name="old").count(),
            "uid_other_branch": ln.ULabel.filter(uid=on_b.uid).count(),
            "uid_with_branch": ln.ULabel.filter(uid=trashed.uid, branch_id=1).count(),
            "name_only": ln.ULabel.filter(name="trashed").count(),
        }
    finally:
        ln.setup.switch("main")


# ------------------------------------------------------------------ search
def scenario_search_on_main_of_other_branches(ln, ctx):
    """What search() on main finds among records on another branch, the archive and the trash."""
    old = ln.ULabel(name="cell archived").save()
    old.branch_id = 0
    old.save()
    ln.ULabel(name="cell trashed").save().delete()
    ln.ULabel(name="cell main").save()
    try:
        ln.setup.switch("b", create=True)
        ln.ULabel(name="cell on b").save()
        ln.setup.switch("main")
        return sorted(r.name for r in ln.ULabel.search("cell"))
    finally:
        ln.setup.switch("main")


# ------------------------------------------------------------------ constructor
def scenario_constructor_branch(ln, ctx):
    """ULabel(..., branch=<Branch>) or branch_id= makes the record on that branch; a name is refused."""
    b = ln.Branch(name="other").save()
    by_record = ln.ULabel(name="by record", branch=b).save()
    by_id = ln.ULabel(name="by id", branch_id=b.id).save()
    return {
        "by_record": [by_record.branch_id, by_record.created_on_id],
        "by_id": [by_id.branch_id, by_id.created_on_id],
        "by_name": _value_error(lambda: ln.ULabel(name="by name", branch="other")),
        "visible_on_main": ln.ULabel.filter().count(),
    }


def scenario_guide_trash_and_archive(ln, ctx):
    """The manage-changes guide's archive & trash cells."""
    (ctx.tmp / "my_file.txt").write_text("v1")
    artifact = ln.Artifact(str(ctx.tmp / "my_file.txt"), key="my_file.txt").save()
    artifact.delete()
    trash = ln.Branch.get(name="trash")
    out = {
        "in_trash": artifact.branch == trash,
        "default": ln.Artifact.filter(key="my_file.txt").count(),
        "with_trash": ln.Artifact.filter(key="my_file.txt", branch=trash).count(),
    }
    artifact.restore()
    archive = ln.Branch.get(name="archive")
    artifact.branch = archive
    artifact.save()
    out["archived_default"] = ln.Artifact.filter(key="my_file.txt").count()
    out["with_archive"] = ln.Artifact.filter(key="my_file.txt", branch=archive).count()
    return out


def scenario_guide_contribution_workflow(ln, ctx):
    """The guide's contribution workflow: settings.branch, a record on it, status, merge(target=)."""
    ln.Branch(name="my_branch").save()
    try:
        ln.setup.settings.branch = "my_branch"
        label = ln.ULabel(name="contribution").save()
        branch = ln.Branch.get(name="my_branch")
        branch.status = "draft"
        branch.save()
        branch.status = "review"
        branch.save()
        ln.setup.settings.branch = "main"
        before = ln.ULabel.filter(name="contribution").count()
        ln.setup.merge("my_branch", target="main")
        return {
            "created_on": label.created_on.name,
            "before": before,
            "after": ln.ULabel.filter(name="contribution").count(),
            "status": ln.Branch.get(name="my_branch").status,
        }
    finally:
        ln.setup.switch("main")


# ------------------------------------------------------------------ artifact versions
def scenario_artifact_new_version_on_a_branch(ln, ctx):
    """Saving new content under a key on a branch: a new version there; get(key=) on each side."""
    path = ctx.tmp / "my_file.txt"
    path.write_text("v1")
    v1 = ln.Artifact(str(path), key="my_file.txt").save()
    try:
        ln.setup.switch("b", create=True)
        path.write_text("v2")
        v2 = ln.Artifact(str(path), key="my_file.txt").save()
        out = {
            "v2": [v2.uid[-4:], v2.branch_id, v2.is_latest, v2.stem_uid == v1.stem_uid],
            "v1_latest": ln.Artifact.get(v1.uid).is_latest,
            "get_on_b": _raised(lambda: ln.Artifact.get(key="my_file.txt")),
            "latest_on_b": ln.Artifact.filter(key="my_file.txt", is_latest=True).count(),
        }
        ln.setup.switch("main")
        out["get_on_main"] = ln.Artifact.get(key="my_file.txt").uid[-4:]
        ln.setup.merge("b")
        out["get_after_merge"] = ln.Artifact.get(key="my_file.txt").uid[-4:]
        out["versions"] = sorted((a.uid[-4:], a.is_latest) for a in v1.versions)
        return out
    finally:
        ln.setup.switch("main")
