"""QuerySet calls as Django's: values(), values_list(), update()."""


def _cells(ln):
    ln.ULabel(name="T cell").save()
    ln.ULabel(name="B cell").save()
    return ln.ULabel.filter(name__endswith="cell").order_by("name")


def scenario_values_list_flat(ln, ctx):
    """values_list(field, flat=True) gives the field's values in order."""
    return list(_cells(ln).values_list("name", flat=True))


def scenario_values_list_tuples(ln, ctx):
    """values_list(a, b) gives tuples."""
    return [list(t) for t in _cells(ln).values_list("name", "is_type")]


def scenario_values_named_fields(ln, ctx):
    """values(field) gives dicts of that field."""
    return list(_cells(ln).values("name"))


def scenario_values_all_fields_keys(ln, ctx):
    """values() names foreign keys by their _id column."""
    keys = set(list(_cells(ln).values())[0])
    return sorted(keys & {"id", "uid", "name", "created_by_id", "branch_id", "run_id", "type_id"})


def scenario_update_returns_count(ln, ctx):
    """update(**kw) returns how many rows changed and sets the value."""
    _cells(ln)
    n = ln.ULabel.filter(name="T cell").update(description="x")
    return {"n": n, "description": ln.ULabel.get(name="T cell").description}


def scenario_update_empty_set(ln, ctx):
    """update() on an empty set changes nothing."""
    _cells(ln)
    return ln.ULabel.filter(name="zzz").update(description="x")


def scenario_to_dataframe_default_limit(ln, ctx):
    """to_dataframe() shows the newest 20 rows by default, on the class and on a QuerySet."""
    ln.save([ln.ULabel(name=f"label {i:02d}") for i in range(30)])
    return {
        "class": len(ln.ULabel.to_dataframe()),
        "queryset": len(ln.ULabel.filter(name__startswith="label").to_dataframe()),
        "newest_first": list(ln.ULabel.to_dataframe()["name"])[:2],
        "all": len(ln.ULabel.to_dataframe(limit=None)),
        "df_alias": len(ln.ULabel.df()),
    }
