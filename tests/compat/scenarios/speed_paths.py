"""The fast paths answer as lamindb does (issue #15: first second, single saves).

Bulk saves through the compiled multi-row INSERT, single saves without a transaction,
constructors whose same-name look-up is compiled once, artifact saves whose dedup runs
in one query under the write lock, and to_dataframe's columns and dtypes.
"""


def scenario_bulk_save_then_count(ln, ctx):
    """1,000 labels saved in bulk are all there, each with an id and its own uid."""
    labels = [ln.ULabel(name=f"bulk {i}") for i in range(1000)]
    ln.save(labels)
    return {
        "count": ln.ULabel.filter(name__startswith="bulk ").count(),
        "all_have_ids": all(label.id is not None for label in labels),
        "distinct_ids": len({label.id for label in labels}),
        "distinct_uids": len({label.uid for label in labels}),
        "get_matches": ln.ULabel.get(name="bulk 999").id == labels[-1].id,
    }


def scenario_bulk_save_twice_adds_nothing(ln, ctx):
    """Constructing the same names again gives the saved records; saving them adds no row."""
    ln.save([ln.ULabel(name=f"twice {i}") for i in range(20)])
    again = [ln.ULabel(name=f"twice {i}") for i in range(20)]
    ln.save(again)
    return {
        "count": ln.ULabel.filter(name__startswith="twice ").count(),
        "all_saved_before": all(label.id is not None for label in again),
    }


def scenario_single_save_then_query(ln, ctx):
    """A single save gives an id, and the record reads back with its fields."""
    label = ln.ULabel(name="single", description="one of a kind").save()
    back = ln.ULabel.get(name="single")
    return {
        "has_id": label.id is not None,
        "same_id": back.id == label.id,
        "description": back.description,
        "uid_length": len(back.uid),
        "is_type": back.is_type,
    }


def scenario_same_name_under_type_is_another_record(ln, ctx):
    """The compiled same-name look-up keeps the type: a name under a type is its own record."""
    kind = ln.ULabel(name="Kind", is_type=True).save()
    plain = ln.ULabel(name="member").save()
    typed = ln.ULabel(name="member", type=kind).save()
    again = ln.ULabel(name="member", type=kind)
    return {
        "typed_is_new": typed.id != plain.id,
        "again_is_typed": again.id == typed.id,
        "count": ln.ULabel.filter(name="member").count(),
    }


def scenario_artifact_save_same_content_returns_existing(ln, ctx):
    """A second artifact of the same content is the saved one (dedup under the write lock)."""
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2, 3]})
    first = ln.Artifact.from_dataframe(df, key="speed/a.parquet").save()
    second = ln.Artifact.from_dataframe(df, key="speed/a.parquet").save()
    return {
        "same": second.id == first.id,
        "count": ln.Artifact.filter(key="speed/a.parquet").count(),
        "version_tag": second.version_tag,
    }


def scenario_artifact_saved_again_after_trash_is_restored(ln, ctx):
    """Saving again the content of a trashed artifact brings that artifact back."""
    import pandas as pd

    df = pd.DataFrame({"a": [4, 5]})
    first = ln.Artifact.from_dataframe(df, key="speed/t.parquet").save()
    first.delete()
    again = ln.Artifact.from_dataframe(df, key="speed/t.parquet").save()
    return {
        "same": again.id == first.id,
        "branch_id": again.branch_id,
        "count_all": ln.Artifact.filter(key="speed/t.parquet").count(),
    }


def scenario_artifact_new_content_same_key_is_a_version(ln, ctx):
    """New content under a saved key makes version two; the first is no longer the latest."""
    import pandas as pd

    first = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="speed/v.parquet").save()
    second = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="speed/v.parquet").save()
    first = ln.Artifact.get(id=first.id)
    return {
        "new": second.id != first.id,
        "same_stem": second.uid[:16] == first.uid[:16],
        "first_is_latest": first.is_latest,
        "second_is_latest": second.is_latest,
    }


def scenario_to_dataframe_columns_and_dtypes(ln, ctx):
    """to_dataframe of a small registry: its columns, their dtypes and the row count."""
    kind = ln.ULabel(name="Kind", is_type=True).save()
    ln.save([ln.ULabel(name=f"row {i}", type=kind, description=f"d{i}") for i in range(5)])
    df = ln.ULabel.to_dataframe()
    return {
        "rows": len(df),
        "index": df.index.name,
        "columns": sorted(df.columns),
        "dtypes": {c: str(t) for c, t in sorted(df.dtypes.items())},
    }


def scenario_to_dataframe_many_rows(ln, ctx):
    """to_dataframe(limit=None) returns every row, limit=N the N newest."""
    ln.save([ln.ULabel(name=f"many {i}") for i in range(250)])
    newest = ln.ULabel.to_dataframe(limit=5)
    return {
        "all": len(ln.ULabel.to_dataframe(limit=None)),
        "five": list(newest["name"]),
    }
