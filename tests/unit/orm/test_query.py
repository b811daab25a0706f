"""The QuerySet: immutable and generative, evaluation methods, Q objects, trash handling."""

from __future__ import annotations

import pytest


@pytest.fixture
def abc(ln):
    """Labels a, b, c (saved in that order), c with a description."""
    ln.save([ln.ULabel(name="a"), ln.ULabel(name="b"), ln.ULabel(name="c", description="third")])
    return ln


def test_filter_returns_a_new_queryset_and_leaves_the_old_one_unchanged(abc):
    everything = abc.ULabel.filter()
    narrowed = everything.filter(name="a")
    assert narrowed is not everything
    assert everything.count() == 3
    assert narrowed.count() == 1


def test_a_queryset_is_lazy_until_evaluated(abc):
    from tests.support.query_count import count_queries

    with count_queries() as queries:
        qs = abc.ULabel.filter(name__startswith="a").exclude(name="b").order_by("name")
    assert queries.count == 0
    assert qs.to_list("name") == ["a"]


def test_filter_chains_combine_with_and(abc):
    assert abc.ULabel.filter(name__in=["a", "b"]).filter(name__in=["b", "c"]).to_list("name") == [
        "b"
    ]


def test_exclude_leaves_out_matches(abc):
    assert abc.ULabel.filter().exclude(name="b").order_by("name").to_list("name") == ["a", "c"]


def test_exclude_keeps_null_values_of_other_records(abc):
    assert abc.ULabel.exclude(description="third").order_by("name").to_list("name") == ["a", "b"]


def test_order_by_descending(abc):
    assert abc.ULabel.filter().order_by("-name").to_list("name") == ["c", "b", "a"]


def test_order_by_an_unknown_field_lists_valid_ones(abc):
    with pytest.raises(abc.errors.InvalidArgument, match="Valid fields: .*name"):
        abc.ULabel.filter().order_by("nope")


def test_distinct_keeps_each_record_once(abc):
    a = abc.ULabel.get(name="a")
    a.children.add(abc.ULabel.get(name="b"), abc.ULabel.get(name="c"))
    assert abc.ULabel.filter(children__name__in=["b", "c"]).distinct().to_list("name") == ["a"]


def test_first_and_last_follow_id_order(abc):
    assert (abc.ULabel.filter().first().name, abc.ULabel.filter().last().name) == ("a", "c")


def test_first_and_last_follow_an_explicit_order(abc):
    qs = abc.ULabel.filter().order_by("-name")
    assert (qs.first().name, qs.last().name) == ("c", "a")


def test_first_of_an_empty_set_is_none(abc):
    assert abc.ULabel.filter(name="zz").first() is None
    assert abc.ULabel.filter(name="zz").last() is None


def test_one_returns_the_single_match(abc):
    assert abc.ULabel.filter(name="b").one().name == "b"


def test_one_raises_does_not_exist_for_none(abc):
    with pytest.raises(abc.errors.DoesNotExist):
        abc.ULabel.filter(name="zz").one()


def test_one_raises_multiple_results_found_for_several(abc):
    with pytest.raises(abc.errors.MultipleResultsFound, match="first"):
        abc.ULabel.filter(name__in=["a", "b"]).one()


def test_one_or_none(abc):
    assert abc.ULabel.filter(name="zz").one_or_none() is None
    assert abc.ULabel.filter(name="a").one_or_none().name == "a"
    with pytest.raises(abc.errors.MultipleResultsFound):
        abc.ULabel.filter().one_or_none()


def test_get_on_a_queryset_stays_within_it(abc):
    with pytest.raises(abc.errors.DoesNotExist):
        abc.ULabel.filter(name="a").get(name="b")
    assert abc.ULabel.filter(name__in=["a", "b"]).get(name="b").name == "b"


def test_count_and_exists(abc):
    assert abc.ULabel.filter(name__in=["a", "b"]).count() == 2
    assert abc.ULabel.filter(name="a").exists() is True
    assert abc.ULabel.filter(name="zz").exists() is False


def test_bool_of_a_queryset_is_exists(abc):
    assert bool(abc.ULabel.filter(name="a")) is True
    assert bool(abc.ULabel.filter(name="zz")) is False


def test_to_list_of_records_and_of_a_field(abc):
    records = abc.ULabel.filter().order_by("name").to_list()
    assert [r.name for r in records] == ["a", "b", "c"]
    assert isinstance(records[0], abc.ULabel)
    assert abc.ULabel.filter().order_by("name").to_list("name") == ["a", "b", "c"]


def test_list_is_the_older_name_of_to_list(abc):
    assert abc.ULabel.filter().order_by("name").list("name") == ["a", "b", "c"]


def test_iteration_and_len(abc):
    qs = abc.ULabel.filter().order_by("name")
    assert [r.name for r in qs] == ["a", "b", "c"]
    assert len(qs) == 3


def test_indexing_and_slicing(abc):
    qs = abc.ULabel.filter().order_by("name")
    assert qs[1].name == "b"
    assert [r.name for r in qs[1:]] == ["b", "c"]
    assert [r.name for r in qs[:2]] == ["a", "b"]
    assert [r.name for r in qs[1:2]] == ["b"]


def test_slicing_sends_limit_and_offset_to_sql(abc):
    from tests.support.query_count import count_queries

    with count_queries() as queries:
        names = [r.name for r in abc.ULabel.filter().order_by("name")[1:2]]
    assert names == ["b"]
    assert queries.count == 1
    assert "LIMIT" in queries.sql()[0] and "OFFSET" in queries.sql()[0]


def test_an_index_out_of_range_raises(abc):
    with pytest.raises(abc.errors.DoesNotExist, match="out of range"):
        abc.ULabel.filter()[10]


def test_negative_slices_are_refused(abc):
    with pytest.raises(abc.errors.InvalidArgument):
        abc.ULabel.filter()[-1:]


def test_q_or(abc):
    assert abc.ULabel.filter(abc.Q(name="a") | abc.Q(name="c")).order_by("name").to_list(
        "name"
    ) == ["a", "c"]


def test_q_and(abc):
    assert abc.ULabel.filter(abc.Q(name__in=["a", "c"]) & abc.Q(description="third")).to_list(
        "name"
    ) == ["c"]


def test_q_not(abc):
    assert abc.ULabel.filter(~abc.Q(name="a")).order_by("name").to_list("name") == ["b", "c"]


def test_q_nested_with_keywords(abc):
    qs = abc.ULabel.filter(
        abc.Q(name="a") | (abc.Q(name="c") & ~abc.Q(description__isnull=True)), name__in=["a", "c"]
    )
    assert qs.order_by("name").to_list("name") == ["a", "c"]


def test_q_combined_with_something_else_is_refused(abc):
    with pytest.raises(abc.errors.InvalidArgument):
        abc.Q(name="a") | "b"


def test_filter_with_a_non_q_positional_is_refused(abc):
    with pytest.raises(abc.errors.InvalidArgument, match="Q objects"):
        abc.ULabel.filter("name=a")


def test_unknown_field_raises_invalid_argument_listing_valid_fields(abc):
    with pytest.raises(
        abc.errors.InvalidArgument,
        match=r"ULabel has no field 'nam'.*Valid fields:.*description.*name",
    ):
        abc.ULabel.filter(nam="a")


def test_unknown_field_behind_a_relation_names_the_related_registry(abc):
    with pytest.raises(abc.errors.InvalidArgument, match="User has no field 'nick'"):
        abc.ULabel.filter(created_by__nick="x")


def test_trashed_records_are_excluded(abc):
    abc.ULabel.get(name="b").delete()
    assert abc.ULabel.filter().order_by("name").to_list("name") == ["a", "c"]
    assert abc.ULabel.filter().count() == 2


def test_trashed_records_are_found_when_filtering_on_branch_id(abc):
    abc.ULabel.get(name="b").delete()
    assert abc.ULabel.filter(branch_id=-1).to_list("name") == ["b"]


def test_visibility_is_the_older_name_of_branch_id(abc):
    abc.ULabel.get(name="b").delete()
    assert abc.ULabel.filter(visibility=-1).to_list("name") == ["b"]


def test_get_does_not_find_a_trashed_record_by_name(abc):
    abc.ULabel.get(name="b").delete()
    with pytest.raises(abc.errors.DoesNotExist):
        abc.ULabel.get(name="b")


def test_queryset_delete_moves_every_match_to_the_trash(abc):
    abc.ULabel.filter(name__in=["a", "b"]).delete()
    assert abc.ULabel.filter().to_list("name") == ["c"]
    assert abc.ULabel.filter(branch_id=-1).count() == 2


def test_queryset_delete_permanent_removes_rows(abc):
    abc.ULabel.filter(name__in=["a", "b"]).delete(permanent=True)
    assert abc.ULabel.filter(branch_id__in=[-1, 0, 1]).to_list("name") == ["c"]


def test_queryset_to_dataframe_and_df(abc):
    df = abc.ULabel.filter(name__in=["a", "b"]).to_dataframe()
    assert df.index.name == "id"
    assert sorted(df["name"]) == ["a", "b"]
    assert list(abc.ULabel.filter(name="c").df()["description"]) == ["third"]


def test_queryset_search_and_lookup(abc):
    assert abc.ULabel.filter(name__in=["a", "b"]).lookup().a.name == "a"
    assert abc.ULabel.filter(name__in=["a", "b"]).search("c").to_list() == []


def test_a_queryset_of_a_user_list_is_its_records(abc):
    assert abc.ULabel.filter(created_by__in=abc.User.filter()).count() == 3
