"""Artifact keys (other key for a file in storage, leading slashes), suffixes, run status (issue #11)."""


def _in_root(ln, rel, text="a,b\n1,2\n"):
    path = ln.settings.storage.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _file(ctx, name, text=None):
    path = ctx.tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name if text is None else text)
    return path


def _folder(ctx, name):
    path = ctx.tmp / name
    path.mkdir(parents=True)
    (path / "part").write_text(name)
    return path


def _content_files(ln):
    """Paths of the files below the storage root, relative to it (the database left out)."""
    root = ln.settings.storage.root
    names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    keep = [n for n in names if ".db" not in n and ".lndb" not in n and "storage_uid" not in n]
    return sorted(n for n in keep if not n.rsplit("/", 1)[-1].startswith("."))


def _refusal(e):
    """A refusal: lamindb raises ValueError or its InvalidArgument (no ValueError), lamin_lab InvalidArgument."""
    return {"refused": isinstance(e, ValueError) or type(e).__name__ == "InvalidArgument"}


# ------------------------------------------------------------ a file in storage, another key
def scenario_other_key_for_file_in_storage_keeps_it_in_place(ln, ctx):
    """key= other than a file's place in the root: the key is kept, _real_key records the place."""
    path = _in_root(ln, "sub/x.txt", "hello")
    a = ln.Artifact(path, key="other/y.txt")
    unsaved = {"key": a.key, "real_key": a._real_key, "virtual": a._key_is_virtual}
    a.save()
    return {
        "unsaved": unsaved,
        "key": a.key,
        "real_key": a._real_key,
        "virtual": a._key_is_virtual,
        "path_is_the_file": str(a.path) == str(path),
        "cache_is_the_file": str(a.cache()) == str(path),
        "load": a.load().read_text() if hasattr(a.load(), "read_text") else a.load(),
        "files": _content_files(ln),
    }


def scenario_other_key_for_file_in_storage_found_by_key(ln, ctx):
    """The artifact is found again by its key and by its real key."""
    path = _in_root(ln, "sub/q.csv", "a,b\n5,6\n")
    ln.Artifact(path, key="tables/q.csv").save()
    got = ln.Artifact.get(key="tables/q.csv")
    return {
        "real_key": got._real_key,
        "by_real_key_as_key": ln.Artifact.filter(key="sub/q.csv").count(),
        "loaded": got.load().to_dict(),
    }


def scenario_own_key_for_file_in_storage_has_no_real_key(ln, ctx):
    """key= equal to the file's place (or no key): a real key, no _real_key."""
    a = ln.Artifact(_in_root(ln, "sub/w.txt", "w"), key="sub/w.txt").save()
    b = ln.Artifact(_in_root(ln, "sub/v.txt", "v"), description="v").save()
    return [(x.key, x._real_key, x._key_is_virtual) for x in (a, b)]


def scenario_file_outside_storage_has_no_real_key(ln, ctx):
    """A copied file has no _real_key."""
    a = ln.Artifact(_file(ctx, "o.txt"), key="o.txt").save()
    return {"real_key": a._real_key, "virtual": a._key_is_virtual, "files": _content_files(ln)}


def scenario_other_key_for_file_in_storage_new_version(ln, ctx):
    """Two files in storage registered under one other key: versions of one family, each in place."""
    a = ln.Artifact(_in_root(ln, "sub/v1.txt", "one"), key="family/v.txt").save()
    b = ln.Artifact(_in_root(ln, "sub/v2.txt", "two"), key="family/v.txt").save()
    a = ln.Artifact.get(a.uid)
    return {
        "same_family": a.uid[:16] == b.uid[:16],
        "latest": [a.is_latest, b.is_latest],
        "real_keys": [a._real_key, b._real_key],
        "texts": [a.cache().read_text(), b.cache().read_text()],
        "files": _content_files(ln),
    }


def scenario_other_key_for_folder_in_storage(ln, ctx):
    """The same for a folder inside the root."""
    _in_root(ln, "runs/r1/a.txt", "a")
    _in_root(ln, "runs/r1/b.txt", "b")
    a = ln.Artifact(ln.settings.storage.root / "runs" / "r1", key="experiments/r1").save()
    return {
        "key": a.key,
        "real_key": a._real_key,
        "virtual": a._key_is_virtual,
        "n_files": a.n_files,
        "path_name": a.path.name,
        "files": _content_files(ln),
    }


def scenario_from_dir_in_storage_with_key(ln, ctx):
    """from_dir() of a folder inside the root with key=: the files keep their place as _real_key."""
    _in_root(ln, "imgs/a.txt", "a")
    _in_root(ln, "imgs/sub/b.txt", "b")
    arts = ln.Artifact.from_dir(ln.settings.storage.root / "imgs", key="pics")
    ln.save(arts)
    found = ln.Artifact.filter(key__startswith="pics/").order_by("key")
    return {
        "keys": [(a.key, a._real_key, a._key_is_virtual) for a in found],
        "texts": [a.cache().read_text() for a in found],
        "files": _content_files(ln),
    }


def scenario_other_key_for_file_in_storage_delete_keeps_the_file(ln, ctx):
    """Deleting it permanently with storage=False keeps the file."""
    path = _in_root(ln, "sub/d.txt", "d")
    a = ln.Artifact(path, key="other/d.txt").save()
    a.delete(permanent=True, storage=False)
    return {"exists": path.exists(), "n": ln.Artifact.filter().count()}


def scenario_other_key_for_file_in_storage_delete_with_storage(ln, ctx):
    """storage=True deletes the file at its real key."""
    path = _in_root(ln, "sub/e.txt", "e")
    a = ln.Artifact(path, key="other/e.txt").save()
    a.delete(permanent=True, storage=True)
    return {"exists": path.exists(), "n": ln.Artifact.filter().count()}


def scenario_other_key_for_file_in_storage_key_is_virtual_true(ln, ctx):
    """key_is_virtual=True with another key is what happens anyway: accepted."""
    a = ln.Artifact(_in_root(ln, "sub/t.txt", "t"), key="other/t.txt", key_is_virtual=True)
    return {"real_key": a._real_key, "virtual": a._key_is_virtual}


# ------------------------------------------------------------ leading slashes
def scenario_leading_slash_key_is_kept(ln, ctx):
    """key='/raw/x.txt' is kept as it is; the content goes under the uid."""
    a = ln.Artifact(_file(ctx, "x.txt", "v1"), key="/raw/x.txt").save()
    return {
        "key": a.key,
        "virtual": a._key_is_virtual,
        "under_uid": a.path.name == f"{a.uid}.txt",
        "text": a.cache().read_text(),
    }


def scenario_leading_slash_key_get_and_filter(ln, ctx):
    """get(key=) needs the slash; a prefix filter with the slash finds it."""
    a = ln.Artifact(_file(ctx, "x.txt", "v1"), key="/raw/x.txt").save()
    return {
        "get": ln.Artifact.get(key="/raw/x.txt") == a,
        "without_slash": ln.Artifact.filter(key="raw/x.txt").count(),
        "prefix": ln.Artifact.filter(key__startswith="/raw/").count(),
    }


def scenario_leading_slash_key_new_version(ln, ctx):
    """New content under the same slashed key is a new version."""
    path = _file(ctx, "x.txt", "v1")
    a = ln.Artifact(path, key="/raw/x.txt").save()
    path.write_text("v2")
    b = ln.Artifact(path, key="/raw/x.txt").save()
    return {
        "same_family": a.uid[:16] == b.uid[:16],
        "n": ln.Artifact.filter(key="/raw/x.txt").count(),
        "latest": ln.Artifact.get(key="/raw/x.txt", is_latest=True).cache().read_text(),
    }


def scenario_leading_slash_key_dataframe(ln, ctx):
    """The same for a DataFrame."""
    import pandas as pd

    a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="/tables/t.parquet").save()
    return {"key": a.key, "shape": list(a.load().shape)}


def scenario_dot_segments_in_key_refused(ln, ctx):
    """'.' and '..' segments and backslashes are refused (ValueError) on both."""
    out = {}
    for key in ("./x.txt", "raw/../x.txt", "raw\\x.txt"):
        try:
            ln.Artifact(_file(ctx, "x.txt"), key=key)
            out[key] = "accepted"
        except Exception as e:
            out[key] = _refusal(e)
    return out


def scenario_leading_slash_key_with_real_key_refused(ln, ctx):
    """key_is_virtual=False with a slashed key: lamindb writes to the file system root."""
    try:
        a = ln.Artifact(_file(ctx, "r.txt"), key="/lamin_keys_probe/r.txt", key_is_virtual=False)
        return {"accepted": a.key}
    except Exception as e:
        return _refusal(e)


def scenario_odd_keys(ln, ctx):
    """Keys lamindb takes as they are (virtual keys): empty segments, trailing slash, a drive."""
    out = {}
    for i, key in enumerate(("raw//x.txt", "raw/x.txt/", "C:/x.txt", " raw/x.txt")):
        try:
            out[key] = ln.Artifact(_file(ctx, f"o{i}.txt"), key=key).key
        except Exception as e:
            out[key] = _refusal(e)
    return out


# ------------------------------------------------------------ suffixes
def _suffix_of(ln, ctx, name):
    path = _folder(ctx, name) if name.lower().endswith(".zarr") else _file(ctx, name)
    a = ln.Artifact(path, description=name).save()
    stored = a.path.name
    return {"suffix": a.suffix, "stored_ends": stored[stored.find(".") :] if "." in stored else ""}


def scenario_suffix_upper_case_is_lowered(ln, ctx):
    """Upper-case suffixes of known formats are stored lower-cased."""
    return {n: _suffix_of(ln, ctx, n) for n in ("a.TXT", "g.PNG", "p.Csv", "q.OME.ZARR")}


def scenario_suffix_compound(ln, ctx):
    """Compressed and compound suffixes."""
    names = (
        "b.tar.gz",
        "c.fastq.gz",
        "h.csv.gz",
        "i.h5ad.tar.gz",
        "j.random.gz",
        "s.json.bz2",
        "o.gz",
    )
    return {n: _suffix_of(ln, ctx, n) for n in names}


def scenario_suffix_composite_stores(ln, ctx):
    """Composite suffixes of stores and the last part otherwise."""
    names = (
        "d.ome.zarr",
        "l.anndata.zarr",
        "k.spatialdata.zarr",
        "v.vitessce.json",
        "m.my.data.csv",
    )
    return {n: _suffix_of(ln, ctx, n) for n in names}


def scenario_suffix_unknown_or_none(ln, ctx):
    """Unknown suffixes, numbers and no suffix at all store no suffix."""
    names = ("e", "x.v1.2", "f.abcdef", "n.123", "t.R", "u.tsv.gz.backup")
    return {n: _suffix_of(ln, ctx, n) for n in names}


def _key_check(ln, ctx, name, key):
    try:
        a = ln.Artifact(_file(ctx, name, name + key), key=key)
        return {"suffix": a.suffix, "key": a.key}
    except Exception as e:
        return {"raises": type(e).__name__}


def scenario_key_suffix_check_ignores_case(ln, ctx):
    """The key's suffix is compared lower-cased with the file's."""
    cases = (
        ("a.TXT", "k/a.txt"),
        ("g.PNG", "k/g.png"),
        ("p.Csv", "k/p.CSV"),
        ("a.TXT", "k/a.TXT2"),
    )
    return [_key_check(ln, ctx, n, k) for n, k in cases]


def scenario_key_suffix_check_unknown_suffixes(ln, ctx):
    """Unknown suffixes must match as written; numbers too."""
    cases = (
        ("f.abcdef", "k/f.abcdef"),
        ("f.abcdef", "k/f"),
        ("e", "k/e.txt"),
        ("x.v1.2", "k/x.v1.2"),
        ("x.v1.2", "k/x.3"),
        ("x.v1.2", "k/x"),
        ("b.tar.gz", "k/b.tgz"),
    )
    return [_key_check(ln, ctx, n, k) for n, k in cases]


def scenario_unknown_suffix_loads_as_path(ln, ctx):
    """A file of an unknown format loads as its local path and keeps its content."""
    a = ln.Artifact(_file(ctx, "f.abcdef", "raw bytes"), key="k/f.abcdef").save()
    loaded = a.load()
    return {"type": type(loaded).__name__.replace("Posix", ""), "text": a.cache().read_text()}


def scenario_text_files_load_as_text(ln, ctx):
    """load() of a .txt or .fasta file gives its text."""
    a = ln.Artifact(_file(ctx, "notes.txt", "hello"), key="notes.txt").save()
    b = ln.Artifact(_file(ctx, "seq.fasta", ">a\nACGT\n"), key="seq.fasta").save()
    return [a.load(), b.load()]


# ------------------------------------------------------------ run status
def scenario_run_saved_is_scheduled(ln, ctx):
    """ln.Run(transform).save() is scheduled (-3) until something starts it."""
    t = ln.Transform(key="pipeline").save()
    r = ln.Run(t)
    unsaved = (r._status_code, r.status)
    r.save()
    return {
        "unsaved": unsaved,
        "saved": (r._status_code, r.status),
        "reloaded": ln.Run.get(r.uid).status,
        "started_at_set": r.started_at is not None,
        "finished_at": r.finished_at,
    }


def scenario_run_status_started_argument(ln, ctx):
    """Run(transform, status='started') starts it; other statuses are refused."""
    t = ln.Transform(key="pipeline").save()
    r = ln.Run(t, status="started").save()
    try:
        ln.Run(t, status="completed")
        other = "accepted"
    except Exception as e:
        other = _refusal(e)
    return {"code": r._status_code, "status": r.status, "completed": other}


def scenario_run_status_names_of_codes(ln, ctx):
    """The status of each code."""
    t = ln.Transform(key="pipeline").save()
    r = ln.Run(t).save()
    out = {}
    for code in (-3, -2, -1, 0, 1, 2):
        r._status_code = code
        out[str(code)] = r.status
    return out


def scenario_run_filter_by_status(ln, ctx):
    """Run.filter(status=...) reads the names."""
    t = ln.Transform(key="pipeline").save()
    ln.Run(t).save()
    ln.Run(t, status="started").save()
    done = ln.Run(t, name="done").save()
    done._status_code = 0
    done.save()
    return {
        s: ln.Run.filter(status=s).count() for s in ("scheduled", "started", "completed", "errored")
    } | {"in": ln.Run.filter(status__in=["scheduled", "completed"]).count()}


def scenario_run_filter_by_unknown_status(ln, ctx):
    """An unknown status name is refused."""
    try:
        ln.Run.filter(status="running").count()
        return "accepted"
    except Exception as e:
        return {**_refusal(e), "names_them": "scheduled" in str(e)}


def scenario_run_filter_by_private_status_code(ln, ctx):
    """Filtering on the column itself: lamindb refuses it (a private field)."""
    t = ln.Transform(key="pipeline").save()
    ln.Run(t).save()
    try:
        return {"n": ln.Run.filter(_status_code=-3).count()}
    except Exception as e:
        return _refusal(e)


def scenario_track_run_is_started_then_completed(ln, ctx):
    """A run of ln.track() is started; ln.finish() completes it."""
    ln.track()
    started = ln.context.run.status
    ln.finish()
    return {"while": started, "after": ln.Run.filter().one().status}


def scenario_file_in_storage_with_content_of_an_existing_artifact(ln, ctx):
    """A file inside the root whose content another artifact has: registered in place too?"""
    first = ln.Artifact(_file(ctx, "s.txt", "same"), key="copies/s.txt").save()
    second = ln.Artifact(_in_root(ln, "sub/s.txt", "same")).save()
    third = ln.Artifact(_in_root(ln, "sub/t.txt", "same"), key="other/t.txt").save()
    return {
        "second_is_first": second == first,
        "third_is_first": third == first,
        "keys": sorted(a.key for a in ln.Artifact.filter()),
    }
