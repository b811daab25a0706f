"""Scenarios from the lamindb.models reference page and the registries every page uses."""


def scenario_fresh_1_save_ulabel(ln, ctx):
    """A scenario saves a label (the next scenario must not see it)."""
    ln.ULabel(name="leaks?").save()
    return ln.ULabel.filter().count()


def scenario_fresh_2_count_ulabels(ln, ctx):
    """Each scenario starts with an empty instance: no labels from the one before."""
    return {"ulabels": ln.ULabel.filter().count(), "artifacts": ln.Artifact.filter().count()}
