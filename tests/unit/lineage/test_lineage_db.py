"""Lineage over the database: neighbours per level, view_lineage for every registry."""

from __future__ import annotations

import itertools

import pytest

from lamin_lab.orm.database import state
from lamin_lab.lineage import walk
from lamin_lab.lineage import api as lineage_api
from lamin_lab.lineage.db import neighbors
from tests.support.query_count import count_queries

_counter = itertools.count()


@pytest.fixture
def db(ln):
    """A fresh instance (the shared ``ln`` fixture)."""
    return ln


def make_artifact(
    ln,
    key=None,
    run=None,
    *,
    description=None,
    stem=None,
    version="0000",
    is_latest=True,
    size=100,
    branch_id=1,
):
    """Insert an artifact row directly (swap for ``ln.Artifact(...).save()`` later)."""
    n = next(_counter)
    stem = stem or f"S{n:015d}"
    ln.Artifact.insert(
        uid=stem + version,
        key=key,
        description=description,
        storage=ln.Storage.get(root=ln.settings.instance.storage_root),
        hash=f"h{n:021d}",
        size=size,
        suffix=".csv",
        _key_is_virtual=True,
        is_latest=is_latest,
        run=run,
        created_by=state.user_id,
        branch_id=branch_id,
    ).execute()
    return ln.Artifact.get(uid=stem + version, branch_id__in=[-1, 0, 1])


def make_collection(ln, key, run=None, members=()):
    """Insert a collection row directly (swap for ``ln.Collection(...).save()`` later)."""
    uid = f"C{next(_counter):015d}0000"
    ln.Collection.insert(
        uid=uid, key=key, run=run, is_latest=True, created_by=state.user_id
    ).execute()
    coll = ln.Collection.get(uid=uid)
    if members:
        coll.artifacts.add(*members)
    return coll


def make_run(ln, key, inputs=(), name=None):
    """A run of the transform ``key`` (created once) with input artifacts linked."""
    transform = ln.Transform.filter(key=key).first() or ln.Transform(key=key, kind="script").save()
    run = ln.Run(transform=transform, name=name).save()
    for artifact in inputs:
        artifact.input_of_runs.add(run)
    return run


def aid(record):
    return f"{type(record).__name__.lower()}:{record.uid}"


@pytest.fixture
def pipeline(db):
    """raw → clean.py → clean;  clean + params → train.py → model;  model → eval.py → report."""
    ln = db
    r_ingest = make_run(ln, "ingest.py")
    raw = make_artifact(ln, "raw.csv", r_ingest)
    params = make_artifact(ln, "params.json")  # uploaded by hand: no run
    r_clean = make_run(ln, "clean.py", [raw])
    clean = make_artifact(ln, "clean.csv", r_clean)
    r_train = make_run(ln, "train.py", [clean, params])
    model = make_artifact(ln, "model.pt", r_train)
    r_eval = make_run(ln, "eval.py", [model])
    report = make_artifact(ln, "report.html", r_eval)
    return dict(
        r_ingest=r_ingest,
        raw=raw,
        params=params,
        r_clean=r_clean,
        clean=clean,
        r_train=r_train,
        model=model,
        r_eval=r_eval,
        report=report,
    )


def edge_set(graph):
    return set(graph.edges)


# ----------------------------------------------------------------- walking
def test_upstream_of_artifact_reaches_every_ancestor(pipeline):
    p = pipeline
    graph = p["model"].view_lineage(return_graph=True, with_children=False, cluster=False)
    assert edge_set(graph) == {
        (aid(p["r_train"]), aid(p["model"])),
        (aid(p["clean"]), aid(p["r_train"])),
        (aid(p["params"]), aid(p["r_train"])),
        (aid(p["r_clean"]), aid(p["clean"])),
        (aid(p["raw"]), aid(p["r_clean"])),
        (aid(p["r_ingest"]), aid(p["raw"])),
    }
    assert graph.focus == [aid(p["model"])]


def test_upstream_depth_counts_hops(pipeline):
    p = pipeline
    graph = p["model"].view_lineage(
        return_graph=True, upstream_depth=2, downstream_depth=0, cluster=False
    )
    assert set(graph.nodes) == {
        aid(p["model"]),
        aid(p["r_train"]),
        aid(p["clean"]),
        aid(p["params"]),
    }


def test_downstream_follows_runs_that_used_the_artifact(pipeline):
    p = pipeline
    graph = p["clean"].view_lineage(
        return_graph=True, upstream_depth=0, downstream_depth=4, cluster=False
    )
    assert edge_set(graph) == {
        (aid(p["clean"]), aid(p["r_train"])),
        (aid(p["r_train"]), aid(p["model"])),
        (aid(p["model"]), aid(p["r_eval"])),
        (aid(p["r_eval"]), aid(p["report"])),
    }


def test_with_children_shows_two_hops_down_by_default(pipeline):
    p = pipeline
    graph = p["clean"].view_lineage(return_graph=True, cluster=False)
    assert aid(p["model"]) in graph.nodes and aid(p["r_eval"]) not in graph.nodes
    assert aid(p["raw"]) in graph.nodes  # all of upstream


def test_depth_limits_both_directions(pipeline):
    p = pipeline
    graph = p["clean"].view_lineage(return_graph=True, depth=1, cluster=False)
    assert set(graph.nodes) == {aid(p["clean"]), aid(p["r_clean"]), aid(p["r_train"])}


def test_run_focus_has_its_inputs_and_outputs(pipeline):
    p = pipeline
    graph = p["r_train"].view_lineage(return_graph=True, depth=1, cluster=False)
    assert edge_set(graph) == {
        (aid(p["clean"]), aid(p["r_train"])),
        (aid(p["params"]), aid(p["r_train"])),
        (aid(p["r_train"]), aid(p["model"])),
    }
    assert graph.nodes[aid(p["r_train"])].label == "train.py"


def test_node_labels_key_version_and_run_transform(db):
    ln = db
    run = make_run(ln, "make.py", name="nightly")
    keyed = make_artifact(ln, "a.csv", run, version="0001")
    described = make_artifact(ln, None, run, description="my table")
    bare = make_artifact(ln, None, run)
    graph = run.view_lineage(return_graph=True, depth=1, cluster=False)
    assert graph.nodes[aid(keyed)].label == "a.csv"
    assert graph.nodes[aid(keyed)].sublabel == "version 0001"
    assert graph.nodes[aid(described)].label == "my table"
    assert graph.nodes[aid(bare)].label == bare.uid
    run_node = graph.nodes[aid(run)]
    assert run_node.label == "make.py"
    assert run_node.sublabel.startswith("nightly · ")
    assert run_node.attrs["transform_key"] == "make.py"


def test_trashed_artifacts_are_left_out(db):
    ln = db
    run = make_run(ln, "make.py")
    kept = make_artifact(ln, "kept.csv", run)
    gone = make_artifact(ln, "gone.csv", run, branch_id=-1)
    graph = run.view_lineage(return_graph=True, depth=1, cluster=False)
    assert aid(kept) in graph.nodes and aid(gone) not in graph.nodes


def test_cycle_safe_walk(db):
    ln = db
    run = make_run(ln, "loop.py")
    a = make_artifact(ln, "a.csv", run)
    a.input_of_runs.add(run)  # a run that reads its own output
    graph = a.view_lineage(return_graph=True, cluster=False)
    assert edge_set(graph) == {(aid(run), aid(a)), (aid(a), aid(run))}


# ----------------------------------------------------------------- collections and transforms
def test_collection_members_runs_and_consumers(db):
    ln = db
    r_make = make_run(ln, "make.py")
    parts = [make_artifact(ln, f"part{i}.csv", r_make) for i in range(2)]
    r_bundle = make_run(ln, "bundle.py")
    coll = make_collection(ln, "bundle", r_bundle, parts)
    r_use = make_run(ln, "use.py")
    coll.input_of_runs.add(r_use)
    graph = coll.view_lineage(
        return_graph=True, upstream_depth=2, downstream_depth=1, cluster=False
    )
    assert edge_set(graph) == {
        (aid(parts[0]), aid(coll)),
        (aid(parts[1]), aid(coll)),
        (aid(r_bundle), aid(coll)),
        (aid(r_make), aid(parts[0])),
        (aid(r_make), aid(parts[1])),
        (aid(coll), aid(r_use)),
    }
    assert graph.nodes[aid(coll)].kind == "collection"


def test_collection_as_run_input_seen_upstream_of_output(db):
    ln = db
    coll = make_collection(ln, "bundle")
    r_use = make_run(ln, "use.py")
    coll.input_of_runs.add(r_use)
    out = make_artifact(ln, "out.csv", r_use)
    graph = out.view_lineage(return_graph=True, with_children=False, cluster=False)
    assert edge_set(graph) == {(aid(r_use), aid(out)), (aid(coll), aid(r_use))}


def test_transform_lineage_shows_runs_with_inputs_and_outputs(pipeline, db):
    p = pipeline
    transform = db.Transform.get(key="train.py")
    graph = transform.view_lineage(
        return_graph=True, cluster=False, upstream_depth=2, downstream_depth=2
    )
    tid = f"transform:{transform.uid}"
    assert graph.focus == [tid]
    assert edge_set(graph) == {
        (tid, aid(p["r_train"])),
        (aid(p["clean"]), aid(p["r_train"])),
        (aid(p["params"]), aid(p["r_train"])),
        (aid(p["r_train"]), aid(p["model"])),
    }
    assert graph.nodes[aid(p["r_train"])].label == "train.py"


# ----------------------------------------------------------------- clustering
def test_twenty_sibling_inputs_collapse_into_one_cluster(db):
    ln = db
    inputs = [make_artifact(ln, f"sample{i:02d}.fcs") for i in range(20)]
    run = make_run(ln, "merge.py", inputs)
    merged = make_artifact(ln, "merged.csv", run)
    graph = merged.view_lineage(return_graph=True)
    assert len(graph.clusters) == 1
    ((cid, members),) = graph.clusters.items()
    assert sorted(members) == sorted(aid(a) for a in inputs)
    assert edge_set(graph) == {(cid, aid(run)), (aid(run), aid(merged))}
    assert graph.nodes[cid].label == "20 artifacts"
    flat = merged.view_lineage(return_graph=True, cluster=False)
    assert len(flat.nodes) == 22 and not flat.clusters


def test_cluster_threshold_as_int(db):
    ln = db
    inputs = [make_artifact(ln, f"s{i}.csv") for i in range(4)]
    run = make_run(ln, "merge.py", inputs)
    merged = make_artifact(ln, "merged.csv", run)
    assert not merged.view_lineage(return_graph=True).clusters  # 4 < 10
    assert len(merged.view_lineage(return_graph=True, cluster=3).clusters) == 1


# ----------------------------------------------------------------- query counts
def fan_in(ln, n_runs):
    """n_runs runs each make one input; one run merges them into ``final``."""
    inputs = [
        make_artifact(ln, f"in{i}.csv", make_run(ln, f"step{i % 3}.py")) for i in range(n_runs)
    ]
    final = make_artifact(ln, "final.csv", make_run(ln, "merge.py", inputs))
    return final


def test_walk_uses_one_query_per_level(db):
    final = fan_in(db, 50)
    with count_queries() as log:
        graph = walk([aid(final)], neighbors, upstream_depth=3)
    assert len(graph.nodes) == 1 + 1 + 50 + 50
    assert len(log) <= 3, str(log)  # 3 levels: producing run, its 50 inputs, their 50 runs


def test_query_count_does_not_grow_with_the_graph(db):
    small = fan_in(db, 5)
    with count_queries() as few:
        walk([aid(small)], neighbors, upstream_depth=3, downstream_depth=3)
    big = fan_in(db, 60)
    with count_queries() as many:
        walk([aid(big)], neighbors, upstream_depth=3, downstream_depth=3)
    assert len(many) == len(few)


def test_mixed_frontier_is_still_one_query(db):
    ln = db
    run = make_run(ln, "mix.py")
    art = make_artifact(ln, "a.csv", run)
    coll = make_collection(ln, "c", run)
    with count_queries() as log:
        nodes, edges = neighbors([aid(art), aid(coll), aid(run)], "up")
    assert len(log) == 1
    assert set(edges) == {(aid(run), aid(art)), (aid(run), aid(coll))}


# ----------------------------------------------------------------- showing
def test_terminal_prints_a_text_tree(pipeline, capsys):
    p = pipeline
    assert p["model"].view_lineage() is None
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("artifact model.pt") and lines[0].endswith("◀ focus")
    assert "upstream" in lines and "downstream" in lines
    assert any(line.startswith("└── run train.py") for line in lines)
    assert any("artifact raw.csv" in line for line in lines)


def test_svg_and_dot_render_from_the_db_graph(pipeline):
    graph = pipeline["model"].view_lineage(return_graph=True)
    assert graph.to_svg().startswith("<svg") and "train.py" in graph.to_svg()
    assert "model.pt" in graph.source


def test_text_tree_marks_repeated_nodes(db):
    ln = db
    raw = make_artifact(ln, "raw.csv")
    r1 = make_run(ln, "a.py", [raw])
    r2 = make_run(ln, "b.py", [raw])
    a, b = make_artifact(ln, "a.csv", r1), make_artifact(ln, "b.csv", r2)
    final = make_artifact(ln, "final.csv", make_run(ln, "join.py", [a, b]))
    text = lineage_api.to_text_tree(final.view_lineage(return_graph=True, cluster=False))
    assert text.count("artifact raw.csv") == 2 and "artifact raw.csv  (↑ above)" in text


def test_bad_depth_says_what_to_pass(pipeline):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="must be an int >= 0"):
        pipeline["model"].view_lineage(depth=-1)


def test_display_graph_shows_an_svg(pipeline, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    lineage_api.display_graph(pipeline["model"].view_lineage(return_graph=True))
    assert len(shown) == 1 and shown[0].data.startswith("<svg") and "model.pt" in shown[0].data


def test_import_loads_lineage_and_describe_only_when_called():
    import subprocess
    import sys

    code = (
        "import sys, lamin_lab;"
        "print(sorted(m for m in sys.modules if m.startswith(('lamin_lab.lineage', 'lamin_lab.describe',"
        " 'IPython', 'rich'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_text_tree_names_clusters_by_count_and_first_member(db):
    ln = db
    inputs = [make_artifact(ln, f"fcs/s{i:02d}.fcs") for i in range(12)]
    merged = make_artifact(ln, "merged.csv", make_run(ln, "merge.py", inputs))
    text = lineage_api.to_text_tree(merged.view_lineage(return_graph=True))
    assert text.splitlines()[-1] == "    └── 12 artifacts (fcs/s00.fcs, …)"


# ----------------------------------------------------------------- whole closure in two queries
def _mixed_world(ln):
    """A pipeline with a collection, a trashed output, a cycle and a run report."""
    r1 = make_run(ln, "ingest.py")
    raw = make_artifact(ln, "raw.csv", r1)
    make_artifact(ln, "trashed.csv", r1, branch_id=-1)
    r2 = make_run(ln, "clean.py", [raw])
    clean = make_artifact(ln, "clean.csv", r2)
    clean.input_of_runs.add(r2)  # a cycle
    coll = make_collection(ln, "bundle", r2, [clean, raw])
    r3 = make_run(ln, "train.py")
    coll.input_of_runs.add(r3)
    model = make_artifact(ln, "model.pt", r3)
    return raw, model


@pytest.mark.parametrize("direction", ["up", "down"])
def test_closure_equals_an_unlimited_walk(db, direction):
    from lamin_lab.lineage.closure import closure

    raw, model = _mixed_world(db)
    start = aid(model) if direction == "up" else aid(raw)
    walked = walk(
        [start],
        neighbors,
        upstream_depth=100 if direction == "up" else 0,
        downstream_depth=100 if direction == "down" else 0,
    )
    nodes, edges = closure([start], direction)
    assert set(edges) == set(walked.edges) and len(edges) == len(set(edges))
    assert {n.id for n in nodes} == set(walked.nodes)
    # the walk knows its start only by id; every other node carries the same labels
    assert {n.id: (n.label, n.sublabel) for n in nodes if n.id != start} == {
        nid: (n.label, n.sublabel) for nid, n in walked.nodes.items() if nid != start
    }


def test_deep_chain_takes_a_constant_number_of_queries(db):
    ln = db
    artifact = make_artifact(ln, "a0.csv")
    for i in range(1, 31):
        artifact = make_artifact(ln, f"a{i}.csv", make_run(ln, "step.py", [artifact]))
    with count_queries() as log:
        graph = artifact.view_lineage(return_graph=True, with_children=False, cluster=False)
    assert len(graph.nodes) == 61 and len(graph.edges) == 60
    assert len(log) == 1, str(log)  # the closure, labels included


def test_notebook_default_display_is_the_interactive_panel(pipeline, monkeypatch):
    import lamin_lab.widgets.lineage as lineage_panel

    shown = []
    monkeypatch.setattr(lineage_api, "in_notebook", lambda: True)
    monkeypatch.setattr(lineage_panel, "display_lineage", shown.append)
    pipeline["model"].view_lineage()
    assert len(shown) == 1 and shown[0].focus == [aid(pipeline["model"])]
