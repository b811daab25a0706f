"""Artifacts and paths inside a storage root, replace() details, setup.delete, UPath.view_tree (issue #11)."""

import os
import re
import subprocess
import sys
import tempfile


def _in_root(ln, rel, text="a,b\n1,2\n"):
    path = ln.settings.storage.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _file(ctx, name, text="a,b\n1,2\n"):
    path = ctx.tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _managed_files(ln):
    """Names of the content files in the root's .lamindb/ (the database and marks left out)."""
    folder = ln.settings.storage.root / ".lamindb"
    if not folder.exists():
        return 0
    names = [p.name for p in folder.iterdir() if p.is_file()]
    return len(
        [n for n in names if not n.endswith((".db", ".txt", ".lndb")) and not n.startswith(".")]
    )


# ------------------------------------------------------------------ files inside a storage root
def scenario_file_in_subfolder_of_root_keeps_its_path_as_key(ln, ctx):
    """A file below the root is registered in place: its path relative to the root is its key."""
    path = _in_root(ln, "sub/x.csv")
    a = ln.Artifact(path).save()
    return {
        "key": a.key,
        "virtual": a._key_is_virtual,
        "path_is_the_file": str(a.path) == str(path),
        "copies": _managed_files(ln),
        "text": a.cache().read_text(),
    }


def scenario_file_in_root_given_as_string(ln, ctx):
    """The same for the path given as a string and with a description only."""
    path = _in_root(ln, "sub2/deeper/w.csv")
    a = ln.Artifact(str(path), description="w").save()
    return {"key": a.key, "virtual": a._key_is_virtual, "description": a.description}


def scenario_file_in_root_with_its_own_key(ln, ctx):
    """key= equal to the file's place is accepted: registered in place."""
    path = _in_root(ln, "sub/y.csv")
    a = ln.Artifact(path, key="sub/y.csv").save()
    return {"key": a.key, "virtual": a._key_is_virtual, "copies": _managed_files(ln)}


def scenario_folder_in_root_keeps_its_path_as_key(ln, ctx):
    """A folder below the root is registered in place too."""
    _in_root(ln, "runs/r1/a.txt", "a")
    _in_root(ln, "runs/r1/b.txt", "b")
    a = ln.Artifact(ln.settings.storage.root / "runs" / "r1").save()
    return {
        "key": a.key,
        "virtual": a._key_is_virtual,
        "n_files": a.n_files,
        "copies": _managed_files(ln),
    }


def scenario_file_in_root_with_other_key(ln, ctx):
    """Another key= for a file inside the root: accepted, the key is virtual, the content loads."""
    path = _in_root(ln, "sub/z.csv", "a,b\n3,4\n")
    a = ln.Artifact(path, key="other/z.csv")
    unsaved = {"key": a.key, "virtual": a._key_is_virtual}
    a.save()
    again = ln.Artifact.get(key="other/z.csv")
    return {
        "unsaved": unsaved,
        "key": again.key,
        "virtual": again._key_is_virtual,
        "text": again.cache().read_text(),
        "original_kept": path.read_text(),
        "n": ln.Artifact.filter().count(),
    }


def scenario_file_in_root_with_other_key_where_the_content_is(ln, ctx):
    """Where that artifact's content lives: lamindb keeps the file in place (_real_key)."""
    path = _in_root(ln, "sub/q.csv", "a,b\n5,6\n")
    a = ln.Artifact(path, key="other/q.csv").save()
    return {"path_is_the_file": str(a.path) == str(path), "copies": _managed_files(ln)}


# ------------------------------------------------------------------ replace()
def _error(e):
    """How a refusal looks: a ValueError (InvalidArgument in lamin_lab) and its lower-cased words."""
    return {"value_error": isinstance(e, ValueError), "text": str(e).lower()}


def scenario_replace_with_new_suffix_updates_the_key(ln, ctx):
    """A .txt replacing a .csv: the key's suffix follows, the old content goes."""
    a = ln.Artifact(_file(ctx, "a.csv"), key="r/a.csv").save()
    a.replace(_file(ctx, "b.txt", "hello"))
    staged = {"key": a.key, "suffix": a.suffix}
    a.save()
    again = ln.Artifact.get(a.uid)
    return {
        "staged": staged,
        "key": again.key,
        "suffix": again.suffix,
        "text": again.cache().read_text(),
        "copies": _managed_files(ln),
        "n": ln.Artifact.filter().count(),
        "virtual": again._key_is_virtual,
    }


def scenario_replace_csv_with_dataframe_updates_the_key(ln, ctx):
    """An in-memory DataFrame replacing a .csv is written as parquet: the key becomes .parquet."""
    import pandas as pd

    a = ln.Artifact(_file(ctx, "c.csv"), key="r/c.csv").save()
    a.replace(pd.DataFrame({"x": [1, 2]}))
    a.save()
    again = ln.Artifact.get(a.uid)
    return {
        "key": again.key,
        "suffix": again.suffix,
        "rows": len(again.load()),
        "copies": _managed_files(ln),
    }


def scenario_replace_without_key_changes_the_suffix_only(ln, ctx):
    """An artifact with a description only: the suffix changes, the key stays None."""
    a = ln.Artifact(_file(ctx, "d.csv"), description="d").save()
    a.replace(_file(ctx, "d.txt", "ddd"))
    a.save()
    again = ln.Artifact.get(a.uid)
    return {
        "key": again.key,
        "suffix": again.suffix,
        "text": again.cache().read_text(),
        "copies": _managed_files(ln),
    }


def scenario_replace_with_same_suffix_keeps_the_key(ln, ctx):
    """Same suffix: key unchanged, new content."""
    a = ln.Artifact(_file(ctx, "e.csv"), key="r/e.csv").save()
    a.replace(_file(ctx, "e2.csv", "a,b\n9,9\n"))
    a.save()
    again = ln.Artifact.get(a.uid)
    return {"key": again.key, "text": again.cache().read_text(), "copies": _managed_files(ln)}


def scenario_replace_folder_with_file_is_refused(ln, ctx):
    """A folder cannot be replaced by a file; the artifact is unchanged."""
    _file(ctx, "fold/1.txt", "1")
    _file(ctx, "fold/2.txt", "2")
    f = ln.Artifact(ctx.tmp / "fold", key="folder1").save()
    before = f.hash
    try:
        f.replace(_file(ctx, "x.csv"))
        return "accepted"
    except Exception as e:
        err = _error(e)
    again = ln.Artifact.get(f.uid)
    return {
        "value_error": err["value_error"],
        "says_folder_and_file": "folder" in err["text"] and "file" in err["text"],
        "unchanged": (again.hash, again.n_files, again.key) == (before, 2, "folder1"),
    }


def scenario_replace_file_with_folder_is_refused(ln, ctx):
    """A file cannot be replaced by a folder; the artifact is unchanged."""
    a = ln.Artifact(_file(ctx, "g.txt", "g"), key="g/g.txt").save()
    _file(ctx, "fold2/3.txt", "3")
    try:
        a.replace(ctx.tmp / "fold2")
        return "accepted"
    except Exception as e:
        err = _error(e)
    again = ln.Artifact.get(a.uid)
    return {
        "value_error": err["value_error"],
        "says_folder_and_file": "folder" in err["text"] and "file" in err["text"],
        "unchanged": (again.key, again.suffix, again.n_files) == ("g/g.txt", ".txt", None),
    }


def scenario_replace_with_source_inside_storage_is_refused(ln, ctx):
    """Content already inside a storage root cannot be the replacement."""
    a = ln.Artifact(_file(ctx, "h.csv"), key="r/h.csv").save()
    src = _in_root(ln, "sub/new.csv", "a,b\n5,5\n")
    try:
        a.replace(src)
        return "accepted"
    except Exception as e:
        err = _error(e)
    again = ln.Artifact.get(a.uid)
    return {
        "value_error": err["value_error"],
        "says_storage": "storage" in err["text"],
        "unchanged_text": again.cache().read_text(),
        "source_kept": src.exists(),
    }


def scenario_replace_in_place_artifact_same_suffix(ln, ctx):
    """An artifact registered in place: the file at its real key gets the new content."""
    path = _in_root(ln, "inpl/x.csv", "a,b\n0,0\n")
    a = ln.Artifact(path).save()
    a.replace(_file(ctx, "x2.csv", "a,b\n7,7\n"))
    a.save()
    again = ln.Artifact.get(a.uid)
    return {
        "key": again.key,
        "virtual": again._key_is_virtual,
        "text": path.read_text(),
        "path_is_the_file": str(again.path) == str(path),
        "copies": _managed_files(ln),
    }


def scenario_replace_in_place_artifact_new_suffix(ln, ctx):
    """In place with a new suffix: the real key is renamed, the new file written, the old removed."""
    path = _in_root(ln, "inpl/y.csv", "a,b\n0,0\n")
    a = ln.Artifact(path).save()
    a.replace(_file(ctx, "y.txt", "text"))
    a.save()
    again = ln.Artifact.get(a.uid)
    new = ln.settings.storage.root / "inpl" / "y.txt"
    return {
        "key": again.key,
        "virtual": again._key_is_virtual,
        "old_exists": path.exists(),
        "new_text": new.read_text() if new.exists() else None,
        "copies": _managed_files(ln),
    }


def scenario_replace_otype_after_new_suffix(ln, ctx):
    """The object type after a .csv (DataFrame) is replaced by a .txt."""
    a = ln.Artifact(_file(ctx, "o.csv"), key="r/o.csv").save()
    a.replace(_file(ctx, "o.txt", "plain"))
    a.save()
    return ln.Artifact.get(a.uid).otype


# ------------------------------------------------------------------ UPath.view_tree()
def _printed(func):
    """What the call printed to stdout and stderr (file descriptors, so loggers are heard too)."""
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            func()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        sink.seek(0)
        text = sink.read().decode()
    # lamindb lists the suffixes from a set (no fixed order): compare them sorted
    return re.sub(
        r"with suffixes (.*)$",
        lambda m: "with suffixes " + ", ".join(sorted(m.group(1).split(", "))),
        text,
        count=1,
        flags=re.M,
    ).splitlines()


def _tree(ctx):
    """A folder with files at three levels, an empty folder and a compound suffix."""
    d = ctx.tmp / "tree"
    for rel in ("a.csv", "b.csv", "sub/c.txt", "sub/deep/e.parquet", "sub/deep/f.tar.gz"):
        _file(ctx, f"tree/{rel}", "x")
    (d / "empty").mkdir()
    return d


def scenario_view_tree_default_shows_two_levels(ln, ctx):
    d = _tree(ctx)
    return _printed(lambda: ln.UPath(d).view_tree())


def scenario_view_tree_one_level(ln, ctx):
    d = _tree(ctx)
    return _printed(lambda: ln.UPath(str(d)).view_tree(level=1))


def scenario_view_tree_all_levels(ln, ctx):
    d = _tree(ctx)
    return _printed(lambda: ln.UPath(d).view_tree(level=-1))


def scenario_view_tree_only_dirs(ln, ctx):
    d = _tree(ctx)
    return _printed(lambda: ln.UPath(d).view_tree(level=-1, only_dirs=True))


def scenario_view_tree_limit_of_lines(ln, ctx):
    """n_max_files cuts the listing and says so (the counts are those walked so far)."""
    d = _tree(ctx)
    return _printed(lambda: ln.UPath(d).view_tree(level=-1, n_max_files=2))


def scenario_view_tree_limit_per_folder_and_suffix(ln, ctx):
    """Past n_max_files_per_dir_and_type files of one suffix in a folder, one '...' line."""
    for i in range(5):
        _file(ctx, f"many/f{i}.csv", "x")
    _file(ctx, "many/z.txt", "x")
    return _printed(lambda: ln.UPath(ctx.tmp / "many").view_tree(n_max_files_per_dir_and_type=2))


def scenario_view_tree_skip_suffixes(ln, ctx):
    """Folders ending with a skipped suffix are listed, not walked."""
    _file(ctx, "z/store.zarr/.zattrs", "{}")
    _file(ctx, "z/store.zarr/0/0", "x")
    _file(ctx, "z/n.csv", "x")
    return _printed(lambda: ln.UPath(ctx.tmp / "z").view_tree(level=-1, skip_suffixes=[".zarr"]))


def scenario_view_tree_of_the_storage_root(ln, ctx):
    """ln.settings.storage.root is a UPath with view_tree() (a folder below it: the roots differ,
    lamin_lab keeps its SQLite file beside .lamindb/)."""
    _in_root(ln, "raw/r1.csv")
    _in_root(ln, "raw/r2.csv")
    _in_root(ln, "raw/more/r3.csv")
    root = ln.settings.storage.root
    return _printed(
        lambda: (root / "raw").view_tree(include_paths={root / "raw" / "more" / "r3.csv"})
    )


def scenario_view_tree_of_a_file(ln, ctx):
    path = _file(ctx, "single.csv")
    try:
        ln.UPath(path).view_tree()
        return "printed"
    except Exception as e:
        return {"not_a_directory": isinstance(e, NotADirectoryError)}


def scenario_view_tree_of_a_missing_folder(ln, ctx):
    try:
        ln.UPath(ctx.tmp / "nope").view_tree()
        return "printed"
    except Exception as e:
        return {"file_not_found": isinstance(e, FileNotFoundError)}


# ------------------------------------------------------------------ ln.setup.delete()
def _other_instance(ln, ctx, name, code=""):
    """A second local instance, made (and filled by ``code``) in a child process of the same backend.

    The child's init makes it the current instance on disk, as ``lamin init`` does; this
    process stays connected to its own.
    """
    storage = ctx.tmp / name
    script = (
        f"import {ln.__name__} as ln\n"
        f"ln.setup.init(storage={str(storage)!r})\n"
        "ln.setup.settings.instance._is_on_hub = False\n" + code
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ctx.tmp, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    if ln.__name__ == "lamindb":  # offline: lamindb would ask the hub about the other instance
        type(ln.setup.settings.instance).is_on_hub = property(lambda self: False)
    return storage


def scenario_setup_delete_other_empty_instance(ln, ctx):
    """Deleting another, empty instance: its folder goes, this process keeps its own instance."""
    own = ln.setup.settings.instance.name
    storage = _other_instance(ln, ctx, "other1")
    ln.settings.verbosity = "info"
    result = {}
    text = "\n".join(
        _printed(lambda: result.update(returned=ln.setup.delete("other1", force=True)))
    ).lower()
    return {
        **result,
        "says_deleting": "deleting instance" in text and "other1" in text,
        "storage_exists": storage.exists(),
        "own_instance": ln.setup.settings.instance.name == own,
        "own_works": ln.Artifact.filter().count(),
    }


def scenario_setup_delete_other_instance_with_artifacts_is_refused(ln, ctx):
    """An instance whose .lamindb/ holds artifact content is not deleted: StorageNotEmpty, all kept."""
    data = ctx.tmp / "in.csv"
    data.write_text("a\n1\n")
    storage = _other_instance(
        ln, ctx, "other2", f"ln.Artifact({str(data)!r}, key='in.csv').save()\n"
    )
    try:
        ln.setup.delete("other2", force=True)
        return "deleted"
    except Exception as e:
        err = {"raises": type(e).__name__, "lists_the_file": ".lamindb" in str(e)}
    content = [p for p in (storage / ".lamindb").iterdir() if p.suffix == ".csv"]
    return {**err, "content_kept": len(content), "storage_exists": storage.exists()}


def scenario_setup_delete_other_instance_without_force(ln, ctx):
    """Without force=True: lamindb asks on the terminal (input()), lamin_lab refuses; nothing is deleted."""
    storage = _other_instance(ln, ctx, "other3")
    try:
        returned = ln.setup.delete("other3")
        outcome = {"returned": returned}
    except Exception as e:
        outcome = {"raises": type(e).__name__}
    return {**outcome, "storage_exists": storage.exists()}


def scenario_setup_delete_unknown_instance(ln, ctx):
    ln.setup.delete("no-such-instance", force=True)
    return "deleted"


def scenario_setup_delete_other_instance_keeps_files_outside_dot_lamindb(ln, ctx):
    """A file of the user's beside .lamindb/: lamindb crashes on the non-empty folder, lamin_lab keeps it."""
    storage = _other_instance(ln, ctx, "other4")
    (storage / "notes.txt").write_text("mine")
    try:
        ln.setup.delete("other4", force=True)
        outcome = "deleted"
    except Exception as e:
        outcome = type(e).__name__
    return {"outcome": outcome, "notes_kept": (storage / "notes.txt").exists()}


# ------------------------------------------------------------------ more paths inside a root
def scenario_from_dir_inside_root_keeps_real_keys(ln, ctx):
    """from_dir() of a folder below the root: each file registered in place under its real key."""
    _in_root(ln, "plate/a.csv")
    _in_root(ln, "plate/wells/b.csv", "a,b\n3,4\n")
    arts = ln.Artifact.from_dir(ln.settings.storage.root / "plate")
    ln.save(arts)
    return {
        "keys": sorted(a.key for a in arts),
        "virtual": sorted({a._key_is_virtual for a in arts}),
        "copies": _managed_files(ln),
    }


def scenario_file_in_a_second_storage_location(ln, ctx):
    """A file below another registered root of this instance: in place, in that storage."""
    first = ln.settings.storage.root
    second = ctx.tmp / "second"
    second.mkdir()
    ln.Storage(root=str(second)).save()  # registered first: lamindb asks no question then
    ln.settings.storage = second
    try:
        path = second / "s" / "x.csv"
        path.parent.mkdir()
        path.write_text("a,b\n1,2\n")
        a = ln.Artifact(path).save()
        return {
            "key": a.key,
            "virtual": a._key_is_virtual,
            "in_second": a.storage.root.rstrip("/").endswith("second"),
        }
    finally:
        ln.settings.storage = first


# ------------------------------------------------------------------ settings.creation._artifact_use_virtual_keys
def _with_real_keys(ln, func):
    ln.settings.creation._artifact_use_virtual_keys = False
    try:
        return func()
    finally:
        ln.settings.creation._artifact_use_virtual_keys = True


def scenario_use_virtual_keys_false_stores_under_the_key(ln, ctx):
    """LaminDB's key guide: with the switch off, a copy is stored at <root>/<key>."""
    a = _with_real_keys(ln, lambda: ln.Artifact(_file(ctx, "v.csv"), key="raw/v.csv").save())
    root = ln.settings.storage.root
    return {
        "key": a.key,
        "virtual": a._key_is_virtual,
        "at_key": str(a.path) == str(root / "raw" / "v.csv"),
        "copies": _managed_files(ln),
    }


def scenario_use_virtual_keys_false_key_is_virtual_true_wins(ln, ctx):
    """key_is_virtual=True given explicitly still stores under the uid."""
    a = _with_real_keys(
        ln, lambda: ln.Artifact(_file(ctx, "x.csv"), key="raw/x.csv", key_is_virtual=True).save()
    )
    return {"virtual": a._key_is_virtual, "copies": _managed_files(ln)}


def scenario_use_virtual_keys_false_without_key(ln, ctx):
    """Without a key the copy goes under the uid; the flag recorded for it."""
    a = _with_real_keys(ln, lambda: ln.Artifact(_file(ctx, "w.csv"), description="w").save())
    return {"virtual": a._key_is_virtual, "copies": _managed_files(ln)}


def scenario_file_in_root_with_other_key_and_real_key_flag(ln, ctx):
    """Another key= and key_is_virtual=False for a file inside the root: refused."""
    path = _in_root(ln, "sub/k.csv")
    try:
        ln.Artifact(path, key="other/k.csv", key_is_virtual=False)
        return "accepted"
    except Exception as e:
        return {"value_error": isinstance(e, ValueError)}
