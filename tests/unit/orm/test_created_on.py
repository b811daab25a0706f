"""The branch a record was created on (LaminDB's ``created_on``): set at creation, never moved."""


def test_a_new_record_is_created_on_main(ln):
    label = ln.ULabel(name="fresh").save()
    assert (label.created_on_id, label.created_on.name) == (1, "main")


def test_a_trashed_record_keeps_its_created_on(ln):
    ln.ULabel(name="gone").save().delete()
    trashed = ln.ULabel.get(name="gone", branch_id=None)
    assert (trashed.branch_id, trashed.created_on_id) == (-1, 1)


def test_a_restored_record_keeps_its_created_on(ln):
    label = ln.ULabel(name="back").save()
    label.delete()
    label.restore()
    assert ln.ULabel.get(name="back").created_on_id == 1


def test_a_record_built_on_the_archive_is_created_on_the_archive(ln):
    label = ln.ULabel(name="archived", branch_id=0).save()
    assert ln.ULabel.get(name="archived", branch_id=0).created_on_id == label.branch_id == 0


def test_to_dataframe_shows_created_on_as_branch_ids(ln):
    ln.ULabel(name="shown").save()
    frame = ln.ULabel.to_dataframe()
    assert (str(frame["created_on_id"].dtype), frame["created_on_id"].tolist()) == ("int64", [1])
