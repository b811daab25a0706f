"""Artifacts and paths inside a storage root, replace() details, setup.delete, UPath.view_tree (issue #11)."""


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
