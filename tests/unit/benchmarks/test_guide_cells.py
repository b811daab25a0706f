"""Which guide cells bench_guides runs: cells reading laminlabs/lamindata run once it is seeded."""

from benchmarks.guide_cells import classify_cells, reads_lamindata

LAMINDATA_CELLS = [
    "import lamindb as ln",
    'db = ln.DB("laminlabs/lamindata")',
    'artifact = db.Artifact.get(key="example_datasets/mini_immuno/dataset1.h5ad")',
    "artifact.save()",
]


def test_lamindata_cells_run_when_seeded():
    assert classify_cells(LAMINDATA_CELLS, seeded=True) == [None, None, None, None]


def test_lamindata_cells_need_the_network_without_the_seed():
    reasons = classify_cells(LAMINDATA_CELLS, seeded=False)
    assert reasons == [None, "needs network", "needs network", None]


def test_another_remote_instance_still_needs_the_network():
    cells = ['db = ln.DB("laminlabs/cellxgene")', "db.Artifact.filter().count()"]
    assert classify_cells(cells, seeded=True) == ["needs network", "needs network"]


def test_a_db_variable_rebound_to_another_instance_is_not_lamindata_any_more():
    cells = [
        'db = ln.DB("laminlabs/lamindata")',
        'db = ln.DB("laminlabs/1000genomes")',
        "db.Artifact.filter().count()",
    ]
    assert classify_cells(cells, seeded=True) == [None, "needs network", "needs network"]


def test_bionty_registries_of_lamindata_still_need_bionty():
    cells = ['db = ln.DB("laminlabs/lamindata")', "db.bionty.CellType.lookup()"]
    assert classify_cells(cells, seeded=True) == [None, "needs bionty"]


def test_registry_using_lamindata_runs_when_seeded():
    cells = ['ln.Artifact.using("laminlabs/lamindata").filter().count()']
    assert classify_cells(cells, seeded=True) == [None]
    assert reads_lamindata(cells)
