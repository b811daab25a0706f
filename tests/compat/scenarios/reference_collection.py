"""Scenarios from the lamindb.Collection reference page."""


def _artifact(ln, ctx, name, text, key=None):
    path = ctx.tmp / name
    path.write_text(text)
    return ln.Artifact(path, key=key or name).save()


def _two(ln, ctx):
    return _artifact(ln, ctx, "a.csv", "a,b\n1,x\n"), _artifact(ln, ctx, "b.csv", "a,b\n2,y\n")


def scenario_from_two_artifacts(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="My collection").save()
    return {
        "key": c.key,
        "n": c.artifacts.count(),
        "ordered": [a.key for a in c.ordered_artifacts.all()],
        "is_latest": c.is_latest,
        "count": ln.Collection.filter().count(),
    }


def scenario_name_keyword_old(ln, ctx):
    """The page's `name=` keyword (renamed `key` in lamindb 1.x)."""
    a1, a2 = _two(ln, ctx)
    ln.Collection([a1, a2], name="My collection")
    return "accepted"


def scenario_single_artifact(ln, ctx):
    a1, _ = _two(ln, ctx)
    c = ln.Collection(a1, key="one").save()
    return {"n": c.artifacts.count()}


def scenario_with_meta(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection(a1, key="with meta", meta=a2).save()
    return {"n": c.artifacts.count(), "meta_key": c.meta_artifact.key if c.meta_artifact else None}


def scenario_description(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c", description="my collection").save()
    return ln.Collection.get(description="my collection").key


def scenario_unsaved_artifact_rejected(ln, ctx):
    path = ctx.tmp / "u.csv"
    path.write_text("a\n1\n")
    ln.Collection([ln.Artifact(path, key="u.csv")], key="c")
    return "accepted"


def scenario_same_artifacts_returns_existing(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c1 = ln.Collection([a1, a2], key="c").save()
    c2 = ln.Collection([a1, a2], key="c").save()
    return {"same": c1.id == c2.id, "count": ln.Collection.filter().count()}


def scenario_revises(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c1 = ln.Collection([a1], key="c").save()
    c2 = ln.Collection([a1, a2], revises=c1).save()
    return {
        "stem": c1.stem_uid == c2.stem_uid,
        "c1_latest": ln.Collection.get(id=c1.id).is_latest,
        "c2_latest": c2.is_latest,
        "key": c2.key,
        "versions": c2.versions.count(),
    }


def scenario_new_version_by_key(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c1 = ln.Collection([a1], key="c").save()
    c2 = ln.Collection([a1, a2], key="c").save()
    return {
        "stem": c1.stem_uid == c2.stem_uid,
        "n": ln.Collection.filter(key="c").count(),
        "c2_latest": c2.is_latest,
    }


def scenario_load_concatenates_dataframes(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    df = c.load()
    return {"columns": list(df.columns), "n": len(df), "a": sorted(df["a"].tolist())}


def scenario_delete_to_trash_and_restore(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    c.delete()
    trashed = ln.Collection.filter().count()
    c.restore()
    return {
        "trashed_visible": trashed,
        "restored_visible": ln.Collection.filter().count(),
        "artifacts": ln.Artifact.filter().count(),
    }


def scenario_delete_permanent_keeps_artifacts(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    c.delete(permanent=True)
    return {
        "collections": ln.Collection.filter().count(),
        "artifacts": ln.Artifact.filter().count(),
    }


def scenario_artifacts_filter(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    return [a.key for a in c.artifacts.filter(key="a.csv")]


def scenario_describe_returns_none(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    return c.describe() is None


def scenario_get_by_key_prefers_latest(ln, ctx):
    a1, a2 = _two(ln, ctx)
    ln.Collection([a1], key="c").save()
    c2 = ln.Collection([a1, a2], key="c").save()
    return ln.Collection.get(key="c").id == c2.id


def scenario_cache_paths(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    return sorted(p.name.endswith(".csv") for p in c.cache())


def scenario_collection_ulabels(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    c.ulabels.add(ln.ULabel(name="batch1").save())
    return {
        "labels": [u.name for u in c.ulabels.all()],
        "hits": ln.Collection.filter(ulabels__name="batch1").count(),
    }


def scenario_to_dataframe_columns(ln, ctx):
    a1, a2 = _two(ln, ctx)
    ln.Collection([a1, a2], key="c").save()
    df = ln.Collection.to_dataframe()
    return {"columns": list(df.columns), "index_name": df.index.name}


def scenario_reference_fields(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c", reference="GSE1", reference_type="GEO").save()
    return {"reference": c.reference, "type": c.reference_type}


def scenario_run_parameter_links(ln, ctx):
    ln.track()
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c").save()
    same = c.run == ln.context.run
    ln.finish()
    return same


def scenario_version_string(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c = ln.Collection([a1, a2], key="c", version="1").save()
    return c.version


def scenario_empty_list(ln, ctx):
    ln.Collection([], key="empty")
    return "accepted"


def scenario_duplicate_artifacts_in_list(ln, ctx):
    a1, _ = _two(ln, ctx)
    c = ln.Collection([a1, a1], key="dup").save()
    return c.artifacts.count()


def scenario_collection_hash_same_for_same_members(ln, ctx):
    a1, a2 = _two(ln, ctx)
    c1 = ln.Collection([a1, a2], key="c1").save()
    c2 = ln.Collection([a1, a2], key="c2")
    return {"hash_equal": c1.hash == c2.hash}
