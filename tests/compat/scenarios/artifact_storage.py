"""Artifact and Storage semantics (issue #10, group B): versions, keys, messages, storage settings."""

import os
import tempfile


def _csv(ctx, name="cells.csv", text="a,b\n1,x\n2,y\n"):
    path = ctx.tmp / name
    path.write_text(text)
    return path


def _df(values=(1, 2, 3)):
    import pandas as pd

    return pd.DataFrame({"a": list(values), "b": ["x", "y", "z"][: len(values)]})


def _printed(func):
    """(result, what the call printed to stdout and stderr, lower-cased): the notices a user reads."""
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            result = func()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        sink.seek(0)
        text = sink.read().decode(errors="replace").lower()
    return result, text


# ------------------------------------------------------------------ versions
def scenario_overwrite_versions_default_file(ln, ctx):
    """A file artifact does not overwrite versions by default."""
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    return a._overwrite_versions


def scenario_overwrite_versions_true(ln, ctx):
    """`overwrite_versions=True` is accepted and recorded."""
    a = ln.Artifact(_csv(ctx), key="c.csv", overwrite_versions=True).save()
    return a._overwrite_versions


def scenario_overwrite_versions_new_version(ln, ctx):
    """A second version of a key saved with overwrite_versions=True: both versions remain listed."""
    ln.Artifact(_csv(ctx), key="c.csv", overwrite_versions=True).save()
    b = ln.Artifact(_csv(ctx, text="a,b\n9,q\n"), key="c.csv", overwrite_versions=True).save()
    return {"n_versions": b.versions.count(), "latest": b.is_latest, "flag": b._overwrite_versions}


def scenario_overwrite_versions_folder_default(ln, ctx):
    """A folder artifact overwrites versions by default."""
    folder = ctx.tmp / "imgs"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    a = ln.Artifact(folder, key="imgs").save()
    return a._overwrite_versions


def scenario_message_new_version(ln, ctx):
    """Saving new content under an existing key says that a new version is made."""
    ln.settings.verbosity = "info"
    ln.Artifact(_csv(ctx), key="c.csv").save()
    b, text = _printed(lambda: ln.Artifact(_csv(ctx, text="a,b\n9,q\n"), key="c.csv"))
    return {"says_version": "version" in text, "is_new": b.id is None}


def scenario_message_same_content_returns_existing(ln, ctx):
    """Constructing an artifact of content that exists says the existing one is returned."""
    ln.settings.verbosity = "info"
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    b, text = _printed(lambda: ln.Artifact(_csv(ctx, name="copy.csv"), key="other.csv"))
    return {
        "same": a.id == b.id,
        "says_returning": "returning" in text,
        "says_existing": "exist" in text,
    }


def scenario_revises_inherits_key_and_kind(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="t.parquet", description="first").save()
    b = ln.Artifact.from_dataframe(_df((4, 5, 6)), revises=a).save()
    return {"key": b.key, "kind": b.kind, "description": b.description, "otype": b.otype}


def scenario_revises_given_description_wins(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), description="first").save()
    b = ln.Artifact.from_dataframe(_df((4, 5, 6)), revises=a, description="second").save()
    return {"description": b.description, "a_description": ln.Artifact.get(id=a.id).description}


def scenario_version_string_accepted(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="v.csv", version="1").save()
    return a.version


# ------------------------------------------------------------------ keys and descriptions
def scenario_key_suffix_differs_from_file(ln, ctx):
    ln.Artifact(_csv(ctx), key="cells.parquet")
    return "accepted"


def scenario_key_without_suffix_for_file(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="cells").save()
    return {"key": a.key, "suffix": a.suffix}


def scenario_folder_no_key_no_description(ln, ctx):
    folder = ctx.tmp / "imgs"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    ln.Artifact(folder)
    return "accepted"


def scenario_folder_with_description_only(ln, ctx):
    folder = ctx.tmp / "imgs"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    a = ln.Artifact(folder, description="images").save()
    return {"key": a.key, "description": a.description, "n_files": a.n_files, "otype": a.otype}


def scenario_file_description_only_key_none(ln, ctx):
    a = ln.Artifact(_csv(ctx), description="cells").save()
    return {"key": a.key, "suffix": a.suffix}


def scenario_parquet_file_otype(ln, ctx):
    import pandas as pd

    path = ctx.tmp / "t.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(path)
    a = ln.Artifact(path, key="t.parquet").save()
    return a.otype


def scenario_txt_file_otype(ln, ctx):
    path = ctx.tmp / "t.txt"
    path.write_text("hello")
    a = ln.Artifact(path, key="t.txt").save()
    return a.otype


def scenario_h5ad_file_otype(ln, ctx):
    import anndata as ad
    import numpy as np

    path = ctx.tmp / "x.h5ad"
    ad.AnnData(np.ones((2, 2), dtype="float32")).write_h5ad(path)
    a = ln.Artifact(path, key="x.h5ad").save()
    return a.otype


def scenario_nonexistent_path_is_file_not_found(ln, ctx):
    try:
        ln.Artifact(ctx.tmp / "missing.csv", key="missing.csv")
    except FileNotFoundError:
        return "FileNotFoundError"
    return "accepted"


# ------------------------------------------------------------------ trash
def scenario_trash_then_same_content_restored(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    a.delete()
    b = ln.Artifact(_csv(ctx), key="c.csv").save()
    return {
        "same": a.id == b.id,
        "in_trash": ln.Artifact.filter(branch_id=-1).count(),
        "visible": ln.Artifact.filter().count(),
    }


# ------------------------------------------------------------------ storage settings
def scenario_settings_storage_assign_new_root(ln, ctx):
    root = ctx.tmp / "fresh"
    ln.settings.storage = str(root)
    path = _csv(ctx)
    a = ln.Artifact(path, key="c.csv").save()
    return {
        "exists": root.exists(),
        "in_fresh": str(a.path).startswith(str(root)),
        "n_storages": ln.Storage.filter().count(),
        "record_root_is_fresh": ln.settings.storage.record.root == str(root),
    }


def scenario_settings_storage_record_is_storage(ln, ctx):
    return type(ln.settings.storage.record).__name__


def scenario_settings_storage_record_after_switch(ln, ctx):
    root = ctx.tmp / "second"
    ln.Storage(root=str(root)).save()
    ln.settings.storage = str(root)
    return ln.settings.storage.record.root == str(root)


def scenario_settings_storage_root_is_dir(ln, ctx):
    return ln.settings.storage.root.is_dir()


# ------------------------------------------------------------------ opening
def scenario_open_h5ad_in_with_block(ln, ctx):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(ad.AnnData(np.ones((3, 2), dtype="float32")), key="x.h5ad").save()
    with a.open() as backed:
        shape = list(backed.shape)
    return shape


def scenario_open_h5ad_to_memory(ln, ctx):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(ad.AnnData(np.ones((3, 2), dtype="float32")), key="x.h5ad").save()
    return type(a.open().to_memory()).__name__


def scenario_overwrite_versions_previous_version_load(ln, ctx):
    """With overwrite_versions=True lamindb writes every version to one store: the older one is gone."""
    a = ln.Artifact.from_dataframe(_df(), key="t.parquet", overwrite_versions=True).save()
    ln.Artifact.from_dataframe(_df((4, 5, 6)), key="t.parquet", overwrite_versions=True).save()
    return list(ln.Artifact.get(id=a.id).load()["a"])


def scenario_settings_storage_tuple_with_host(ln, ctx):
    root = ctx.tmp / "second"
    ln.Storage(root=str(root)).save()
    ln.settings.storage = (str(root), "my-host")
    return ln.settings.storage.record.root == str(root)


def scenario_delete_current_storage_refused(ln, ctx):
    try:
        ln.settings.storage.record.delete()
    except Exception:  # lamindb: StorageNotEmpty (its database file is there) or AssertionError
        return {"refused": True, "n": ln.Storage.filter().count()}
    return {"refused": False, "n": ln.Storage.filter().count()}


def scenario_delete_other_empty_storage(ln, ctx):
    s = ln.Storage(root=str(ctx.tmp / "other")).save()
    s.delete()
    return ln.Storage.filter().count()


def scenario_missing_key_and_description_with_key_from_revises(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    b = ln.Artifact(_csv(ctx, text="a,b\n7,7\n"), revises=a).save()
    return {"key": b.key, "n_versions": b.versions.count()}


def scenario_message_restored_from_trash(ln, ctx):
    ln.settings.verbosity = "info"
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    a.delete()
    b, text = _printed(lambda: ln.Artifact(_csv(ctx), key="c.csv").save())
    return {
        "same": a.id == b.id,
        "says_trash": "trash" in text,
        "says_returning": "returning" in text,
    }


def scenario_key_is_virtual_true_inside_storage(ln, ctx):
    root = ln.settings.storage.root
    path = root / "inplace" / "c.csv"
    path.parent.mkdir(parents=True)
    path.write_text("a,b\n1,2\n")
    ln.Artifact(path, key_is_virtual=True)
    return "accepted"


def scenario_file_inside_storage_keeps_real_key(ln, ctx):
    root = ln.settings.storage.root
    path = root / "inplace" / "c.csv"
    path.parent.mkdir(parents=True)
    path.write_text("a,b\n1,2\n")
    a = ln.Artifact(path).save()
    return {"key": a.key, "virtual": a._key_is_virtual, "otype": a.otype}


def scenario_dataframe_key_without_suffix(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="table")
    return "accepted"


def scenario_revises_not_saved_version_count(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="t.parquet").save()
    b = ln.Artifact.from_dataframe(_df((4, 5, 6)), key="t.parquet").save()
    c = ln.Artifact.from_dataframe(_df((7, 8, 9)), revises=b).save()
    return {
        "n": c.versions.count(),
        "latest": [v.is_latest for v in c.versions.order_by("id")],
        "key": c.key,
        "a_is_first": c.versions.order_by("id").first().id == a.id,
    }


def scenario_storage_ongoing_flag_and_recovery(ln, ctx):
    """LaminDB's acid guide: a flagged, interrupted upload is stored again by the next save."""
    path = ctx.tmp / "acid.fasta"
    path.write_text(">seq1\nACGT\n")
    artifact = ln.Artifact(path, key="acid.fasta").save()
    before = (artifact._storage_ongoing, artifact._aux)
    artifact._storage_ongoing = True
    artifact.save()
    flagged = ln.Artifact.get(key="acid.fasta")._aux
    artifact.path.unlink()
    again = ln.Artifact(path, key="acid.fasta").save()
    return {
        "before": before,
        "flagged": flagged,
        "same_record": again.uid == artifact.uid,
        "after": (again._storage_ongoing, again._aux),
        "stored_again": again.path.read_text(),
        "count": ln.Artifact.filter(key="acid.fasta").count(),
    }
