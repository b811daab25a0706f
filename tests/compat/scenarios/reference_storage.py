"""Scenarios from the lamindb.Storage reference page."""


def scenario_default_storage_listed(ln, ctx):
    s = ln.Storage.filter().one()
    return {
        "type": s.type,
        "count": ln.Storage.filter().count(),
        "root_is_abs": s.root.startswith("/"),
        "region": s.region,
    }


def scenario_settings_storage_root(ln, ctx):
    return {
        "root_type": type(ln.settings.storage.root).__name__,
        "same_as_record": str(ln.settings.storage.root) == ln.Storage.filter().one().root,
    }


def scenario_settings_storage_record(ln, ctx):
    return ln.settings.storage.record.type


def scenario_new_local_storage(ln, ctx):
    root = ctx.tmp / "shared"
    s = ln.Storage(root=str(root), description="x").save()
    return {
        "type": s.type,
        "description": s.description,
        "exists": root.exists(),
        "count": ln.Storage.filter().count(),
    }


def scenario_new_storage_with_host(ln, ctx):
    s = ln.Storage(root=str(ctx.tmp / "our-shared-dir"), host="our-server-123").save()
    return {"type": s.type, "host": s.host}


def scenario_storage_root_positional(ln, ctx):
    s = ln.Storage(str(ctx.tmp / "pos"))
    return type(s).__name__


def scenario_same_root_returns_existing(ln, ctx):
    root = str(ctx.tmp / "shared")
    a = ln.Storage(root=root).save()
    b = ln.Storage(root=root).save()
    return {"same": a.id == b.id, "count": ln.Storage.filter().count()}


def scenario_switch_settings_storage(ln, ctx):
    root = ctx.tmp / "second"
    ln.Storage(root=str(root)).save()
    ln.settings.storage = str(root)
    path = ctx.tmp / "f.txt"
    path.write_text("x")
    a = ln.Artifact(path, key="f.txt").save()
    return {
        "in_second": str(a.path).startswith(str(root)),
        "storage_root_is_second": a.storage.root == str(root),
    }


def scenario_get_by_root(ln, ctx):
    root = str(ln.settings.storage.root)
    return ln.Storage.get(root=root).type


def scenario_to_dataframe_columns(ln, ctx):
    df = ln.Storage.to_dataframe()
    return {"columns": list(df.columns), "index_name": df.index.name, "n": len(df)}


def scenario_artifact_storage_is_default(ln, ctx):
    path = ctx.tmp / "f.txt"
    path.write_text("x")
    a = ln.Artifact(path, key="f.txt").save()
    return a.storage == ln.settings.storage.record


def scenario_storage_delete_with_artifacts(ln, ctx):
    path = ctx.tmp / "f.txt"
    path.write_text("x")
    ln.Artifact(path, key="f.txt").save()
    ln.settings.storage.record.delete()
    return "deleted"


def scenario_storage_root_file_url(ln, ctx):
    s = ln.Storage(root=f"file://{ctx.tmp}/viaurl").save()
    return s.type


def scenario_storage_space_default(ln, ctx):
    s = ln.Storage.filter().one()
    return s.space.name if s.space is not None else None


def scenario_storage_uid_length(ln, ctx):
    return len(ln.Storage.filter().one().uid)


def scenario_storage_instance_uid_set(ln, ctx):
    return ln.Storage.filter().one().instance_uid is not None


def scenario_storage_root_unknown_scheme(ln, ctx):
    ln.Storage(root="ftp://host/dir").save()
    return "accepted"


def scenario_storage_relative_root(ln, ctx):
    s = ln.Storage(root="relative_dir").save()
    return {"type": s.type, "abs": s.root.startswith("/")}


def scenario_storage_search_by_root(ln, ctx):
    name = str(ln.settings.storage.root).rsplit("/", 1)[-1]
    return len(ln.Storage.search(name, field="root"))


def scenario_storage_lookup_type(ln, ctx):
    return type(ln.Storage.lookup(field="root")).__name__ != "NoneType"


def scenario_storage_get_missing(ln, ctx):
    ln.Storage.get(root="/nowhere/at/all")


def scenario_storage_description_update(ln, ctx):
    s = ln.Storage.filter().one()
    s.description = "main"
    s.save()
    return ln.Storage.filter().one().description


def scenario_storage_filter_type_local(ln, ctx):
    return ln.Storage.filter(type="local").count()
