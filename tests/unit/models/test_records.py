"""The shared record API on every registry: uids, get, save, delete/restore, describe,
to_dataframe, search and lookup through registries, created_by and updated_at."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from tests.support.query_count import count_queries

BASE62 = re.compile(r"^[0-9A-Za-z]+$")


# ------------------------------------------------------------------ uids
@pytest.mark.parametrize(
    ("registry", "kwargs", "length"),
    [
        ("ULabel", {"name": "x"}, 8),
        ("Record", {"name": "x"}, 16),
        ("Schema", {"name": "x"}, 16),
        ("Feature", {"name": "x", "dtype": "float"}, 12),
        ("Project", {"name": "x"}, 12),
        ("Transform", {"key": "x.py"}, 16),
    ],
)
def test_uid_length_and_alphabet(ln, registry, kwargs, length):
    record = getattr(ln, registry)(**kwargs).save()
    assert len(record.uid) == length
    assert BASE62.match(record.uid)


def test_run_uid_is_16_random_characters(ln):
    run = ln.Run(transform=ln.Transform(key="a.py").save()).save()
    assert len(run.uid) == 16 and BASE62.match(run.uid)


def test_storage_uid_is_12_characters(ln):
    storage = ln.Storage.filter().one()
    assert len(storage.uid) == 12 and BASE62.match(storage.uid)


def test_artifact_uid_is_20_with_0000_suffix_first(ln, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a")
    artifact = ln.Artifact(path, key="a.txt").save()
    assert len(artifact.uid) == 20 and artifact.uid.endswith("0000") and BASE62.match(artifact.uid)


def test_uids_are_random(ln):
    uids = {ln.ULabel(name=str(i)).uid for i in range(200)}
    assert len(uids) == 200


# ------------------------------------------------------------------ get
@pytest.fixture
def label(ln):
    return ln.ULabel(name="T cell", description="a lymphocyte").save()


def test_get_by_integer_id(ln, label):
    assert ln.ULabel.get(label.id).uid == label.uid


def test_get_by_full_uid(ln, label):
    assert ln.ULabel.get(label.uid).id == label.id


def test_get_by_uid_stub(ln, label):
    assert ln.ULabel.get(label.uid[:4]).id == label.id


def test_get_by_expressions(ln, label):
    assert ln.ULabel.get(name="T cell").id == label.id


def test_get_missing_raises_does_not_exist_and_the_django_alias(ln, label):
    with pytest.raises(ln.errors.DoesNotExist):
        ln.ULabel.get(name="nope")
    with pytest.raises(ln.errors.ObjectDoesNotExist):
        ln.ULabel.get(name="nope")
    with pytest.raises(ln.ULabel.DoesNotExist):
        ln.ULabel.get(name="nope")


def test_get_with_several_matches_raises_multiple_results_found(ln, label):
    ln.ULabel(name="T cell 2").save()
    with pytest.raises(ln.errors.MultipleObjectsReturned):
        ln.ULabel.get(name__startswith="T cell")


def test_get_with_a_uid_too_long_is_refused(ln, label):
    with pytest.raises(ln.errors.InvalidArgument, match="longer than"):
        ln.ULabel.get(label.uid + "x")


def test_get_without_arguments_returns_the_only_record(ln):
    ln.ULabel(name="only").save()
    assert ln.ULabel.get().name == "only"


def test_get_without_arguments_on_several_records_is_ambiguous(ln):
    ln.save([ln.ULabel(name="a"), ln.ULabel(name="b")])
    with pytest.raises(ln.ULabel.MultipleObjectsReturned):
        ln.ULabel.get()


def test_get_without_arguments_on_no_records_does_not_exist(ln):
    with pytest.raises(ln.ULabel.DoesNotExist):
        ln.ULabel.get()


# ------------------------------------------------------------------ save
def test_save_returns_self(ln):
    record = ln.ULabel(name="x")
    assert record.save() is record
    assert isinstance(record.id, int)


def test_a_positional_name_is_refused(ln):
    with pytest.raises(
        ln.errors.FieldValidationError, match=r"keyword arguments.*ULabel\(name=\.\.\.\)"
    ):
        ln.ULabel("positional")


def test_unknown_keyword_lists_the_valid_fields(ln):
    with pytest.raises(
        ln.errors.InvalidArgument, match=r"ULabel has no field 'nme'.*Valid fields:.*name"
    ):
        ln.ULabel(nme="x")


def test_saving_again_updates_the_row(ln, label):
    label.description = "changed"
    label.save()
    assert ln.ULabel.get(label.id).description == "changed"
    assert ln.ULabel.filter().count() == 1


def test_created_by_is_the_local_user(ln, label):
    assert label.created_by.handle == ln.setup.settings.user.handle
    assert label.created_by.uid == ln.setup.settings.user.uid


def test_created_at_is_set_on_save(ln, label):
    assert label.created_at is not None
    assert ln.ULabel.get(label.id).created_at == label.created_at


def test_updated_at_changes_on_save(ln, label):
    before = ln.ULabel.get(label.id).updated_at
    time.sleep(0.002)
    label.description = "changed"
    label.save()
    after = ln.ULabel.get(label.id).updated_at
    assert after > before
    assert ln.ULabel.get(label.id).created_at == label.created_at


# ------------------------------------------------------------------ delete / restore
def test_delete_moves_to_the_trash_first(ln, label):
    assert label.delete() is None
    assert label.branch_id == -1
    assert ln.ULabel.filter().count() == 0
    assert ln.ULabel.filter(branch_id=-1).one().id == label.id


def test_delete_twice_deletes_permanently(ln, label):
    label.delete()
    label.delete()
    assert ln.ULabel.filter(branch_id__in=[-1, 0, 1]).count() == 0


def test_delete_permanent_true_skips_the_trash(ln, label):
    label.delete(permanent=True)
    assert ln.ULabel.filter(branch_id__in=[-1, 0, 1]).count() == 0


def test_delete_never_prompts(ln, label, monkeypatch):
    def no_input(*args):
        raise AssertionError("delete() asked for input")

    monkeypatch.setattr("builtins.input", no_input)
    label.delete()
    label.delete()
    assert ln.ULabel.filter(branch_id=-1).count() == 0


def test_restore_brings_a_record_back_from_the_trash(ln, label):
    label.delete()
    label.restore()
    assert label.branch_id == 1
    assert ln.ULabel.get(name="T cell").id == label.id


def test_deleting_an_unsaved_record_does_nothing(ln):
    assert ln.ULabel(name="x").delete() is None
    assert ln.ULabel.filter(name="x").count() == 0


def test_registry_without_trash_deletes_at_once(ln):
    ln.setup.settings  # noqa: B018
    user = ln.User(uid="abcdefgh", handle="someone").save()
    user.delete()
    assert ln.User.filter(handle="someone").count() == 0


def test_branch_property(ln, label):
    assert label.branch.name == "main"
    label.delete()
    assert label.branch.name == "trash"


# ------------------------------------------------------------------ describe / repr
def test_describe_returns_the_text_when_asked(ln, label):
    text = label.describe(return_str=True)
    assert text.splitlines()[0].startswith("ULabel")
    assert "T cell" in text and "a lymphocyte" in text


def test_describe_prints_by_default(ln, label, capsys):
    assert label.describe() is None
    assert "T cell" in capsys.readouterr().out


def test_repr_shows_fields(ln, label):
    assert repr(label).startswith("ULabel(")
    assert "name='T cell'" in repr(label)


# ------------------------------------------------------------------ to_dataframe
def test_to_dataframe_is_indexed_by_id_newest_first(ln):
    ln.save([ln.ULabel(name=n) for n in ("a", "b", "c")])
    df = ln.ULabel.to_dataframe()
    assert df.index.name == "id"
    assert list(df["name"]) == ["c", "b", "a"]
    assert list(df.columns[:2]) == ["uid", "name"]


def test_to_dataframe_limit_and_order_by(ln):
    ln.save([ln.ULabel(name=n) for n in ("b", "a", "c")])
    assert list(ln.ULabel.to_dataframe(limit=2, order_by="name")["name"]) == ["a", "b"]
    assert len(ln.ULabel.to_dataframe(limit=None)) == 3


def test_df_is_the_older_name(ln, label):
    assert list(ln.ULabel.df()["name"]) == ["T cell"]


def test_to_dataframe_hides_private_fields_unless_asked(ln):
    ln.Artifact.from_df(pd.DataFrame({"a": [1]}), key="t.parquet").save()
    assert "_hash_type" not in ln.Artifact.to_dataframe().columns
    assert "_hash_type" in ln.Artifact.to_dataframe(include="privates").columns


def test_to_dataframe_of_features_shows_the_dtype_string_as_lamindb(ln):
    ln.Feature(name="f", dtype=float).save()
    assert ln.Feature.to_dataframe()["_dtype_str"].tolist() == ["float"]


def test_to_dataframe_columns_follow_lamindb_order(ln):
    ln.ULabel(name="a").save()
    assert list(ln.ULabel.to_dataframe().columns) == [
        "uid",
        "name",
        "description",
        "reference",
        "reference_type",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "type_id",
    ]


def test_to_dataframe_leaves_unstored_lamindb_columns_empty(ln):
    ln.Record(name="a").save()
    assert ln.Record.to_dataframe()["extra_data"].tolist() == [None]


def test_to_dataframe_times_are_utc(ln):
    ln.ULabel(name="a").save()
    assert str(ln.ULabel.to_dataframe()["created_at"].dtype) == "datetime64[ns, UTC]"


def test_to_dataframe_with_include_keeps_only_the_identity_columns(ln):
    ln.ULabel(name="a").save()
    df = ln.ULabel.to_dataframe(include="created_by__handle")
    assert list(df.columns) == ["uid", "name", "created_by__handle"]


def test_to_dataframe_with_include_of_an_own_field_adds_it_after_the_paths(ln):
    ln.ULabel(name="a", description="d").save()
    df = ln.ULabel.to_dataframe(include=["description", "created_by__handle"])
    assert list(df.columns) == ["uid", "name", "created_by__handle", "description"]


def test_to_dataframe_many_valued_include_without_links_is_a_set_of_none(ln):
    ln.Artifact.from_df(pd.DataFrame({"a": [1]}), key="t.parquet").save()
    assert ln.Artifact.to_dataframe(include="ulabels__name")["ulabels__name"].tolist() == [{None}]


def test_to_dataframe_of_nothing_has_id_as_a_column_and_no_index_name(ln):
    df = ln.ULabel.filter(name="none").to_dataframe()
    assert (df.index.name, list(df.columns)[:3], len(df)) == (None, ["uid", "id", "name"], 0)


def test_to_dataframe_of_10k_records_is_a_few_statements(ln):
    ln.save([ln.ULabel(name=str(i)) for i in range(10_000)])
    with count_queries() as queries:
        df = ln.ULabel.to_dataframe(limit=None, include="created_by__handle")
    assert len(df) == 10_000
    queries.assert_at_most(4)


# ------------------------------------------------------------------ search & lookup through registries
@pytest.fixture
def cells(ln):
    ln.save(
        [
            ln.ULabel(name=n)
            for n in (
                "T cell",
                "B cell",
                "T-cell receptor",
                "cytotoxic T cell",
                "neuron",
                "monocyte",
            )
        ]
    )
    return ln


def test_search_with_a_typo_finds_t_cell_first(cells):
    assert cells.ULabel.search("t cel").first().name == "T cell"


def test_search_exact_name_ranks_first(cells):
    assert cells.ULabel.search("neuron").first().name == "neuron"


def test_search_on_a_filtered_queryset_stays_within_it(cells):
    hits = cells.ULabel.filter(name__in=["B cell", "neuron"]).search("T cell").to_list("name")
    assert set(hits) <= {"B cell", "neuron"}
    assert "T cell" not in hits


def test_search_returns_a_basic_queryset_in_rank_order(cells):
    hits = cells.ULabel.search("T cell")
    assert type(hits).__name__ == "BasicQuerySet"
    assert hits.to_list("name")[0] == "T cell"
    assert "neuron" not in hits.to_list("name")


def test_search_finds_synonyms(cells):
    neuron = cells.ULabel.get(name="neuron")
    neuron.add_synonym("nerve cell")
    assert cells.ULabel.search("nerve cell").first().name == "neuron"


def test_lookup_attribute_names_as_laminDB_makes_them(cells):
    lookup = cells.ULabel.lookup()
    assert lookup.t_cell.name == "T cell"
    assert lookup.t_cell_receptor.name == "T-cell receptor"
    assert lookup.cytotoxic_t_cell.name == "cytotoxic T cell"


def test_lookup_prefixes_names_not_starting_with_a_letter(ln):
    ln.ULabel(name="3 prime").save()
    assert ln.ULabel.lookup().ln_3_prime.name == "3 prime"


def test_lookup_dict_maps_values_to_records(cells):
    d = cells.ULabel.lookup().dict()
    assert d["T cell"].name == "T cell"
    assert len(d) == 6


def test_lookup_return_field(cells):
    lookup = cells.ULabel.lookup(return_field="uid")
    assert lookup.neuron == cells.ULabel.get(name="neuron").uid


def test_lookup_over_another_field(ln):
    ln.ULabel(name="Tumor", description="solid tissue").save()
    assert ln.ULabel.lookup(field="description").solid_tissue.name == "Tumor"


def test_lookup_duplicates_keep_the_first(ln):
    first = ln.ULabel(name="dup").save()
    ln.ULabel(name="dup").save()
    assert ln.ULabel.lookup().dup.id == first.id


def test_lookup_of_a_filtered_queryset(cells):
    lookup = cells.ULabel.filter(name__startswith="T").lookup()
    assert not hasattr(lookup, "neuron")
    assert lookup.t_cell.name == "T cell"


def test_search_leaves_out_trashed_records(ln):
    labels = [ln.ULabel(name=f"T cell {i}") for i in range(60)]
    ln.save(labels)
    ln.ULabel.filter(name__in=[f"T cell {i}" for i in range(55)]).delete()
    hits = ln.ULabel.search("T cell", limit=3).to_list("name")
    assert len(hits) == 3
    assert set(hits) <= {f"T cell {i}" for i in range(55, 60)}
    assert sorted(ln.ULabel.search("T cell", limit=None).to_list("name")) == [
        f"T cell {i}" for i in range(55, 60)
    ]


def test_search_of_the_trash_itself(ln):
    ln.save([ln.ULabel(name="T cell"), ln.ULabel(name="B cell")])
    ln.ULabel.get(name="T cell").delete()
    assert ln.ULabel.filter(branch_id=-1).search("cell").to_list("name") == ["T cell"]
