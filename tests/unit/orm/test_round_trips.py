"""How many SQL statements the everyday calls send (each a round trip on PostgreSQL).

The numbers are deterministic, so they are pinned: a change that adds a query per call or
per record fails here. Counted with :func:`lamin_lab.orm.statements.count_statements`
(queries, savepoints and the ``BEGIN``/``COMMIT`` peewee sends).
"""

from __future__ import annotations

import pandas as pd
import pytest

from lamin_lab.orm.statements import count_statements


def test_count_statements_logs_each_statement_in_order(ln):
    with count_statements() as log:
        ln.ULabel.filter().count()
        ln.ULabel.filter(name="x").first()
    assert log.count == 2
    assert log[0].startswith("SELECT COUNT(1)")


def test_count_statements_leaves_peewee_as_it_was(ln):
    import peewee

    before = peewee.Database.__dict__["_execute_cursor"]
    with count_statements():
        pass
    assert peewee.Database.__dict__["_execute_cursor"] is before


def test_connect_to_an_up_to_date_instance_sends_three_statements(ln):
    # the table list, the schema version, and one check of the fixed rows
    name = ln.setup.settings.instance.name
    ln.setup.disconnect()
    with count_statements() as log:
        ln.setup.connect(name)
    assert log.count == 3, log


def test_connect_seeds_the_default_storage_row_when_it_is_missing(ln):
    from lamin_lab.orm.database import ensure_connected

    name = ln.setup.settings.instance.name
    ensure_connected().execute_sql('DELETE FROM "storage"')
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert ln.Storage.filter().count() == 1


def test_first_query_after_connect_sends_one_statement(ln):
    name = ln.setup.settings.instance.name
    ln.setup.disconnect()
    ln.setup.connect(name)
    with count_statements() as log:
        assert ln.ULabel.filter().count() == 0
    assert log.count == 1, log


def test_constructing_a_named_record_sends_one_statement(ln):
    # the look-up of a saved record with the same name
    with count_statements() as log:
        ln.ULabel(name="T cell")
    assert log.count == 1, log


def test_single_ulabel_save_sends_one_insert_and_no_transaction(ln):
    # one INSERT is atomic by itself
    label = ln.ULabel(name="T cell")
    with count_statements() as log:
        label.save()
    assert log.count == 1, log
    assert log[0].startswith('INSERT INTO "ulabel"')
    assert ln.ULabel.get(name="T cell").id == label.id


def test_a_failing_single_insert_leaves_no_row(ln):
    ln.ULabel(name="T cell").save()
    twin = ln.ULabel(name="T cell")
    twin.__data__.update(id=None, uid=ln.ULabel.get(name="T cell").uid)
    twin._pk = None
    with pytest.raises(ln.errors.IntegrityError):
        twin.save()
    assert ln.ULabel.filter().count() == 1


def test_single_artifact_save_sends_five_statements(ln):
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [0]}), key="warm.parquet").save()
    df = pd.DataFrame({"a": [1, 2]})
    with count_statements() as log:
        ln.Artifact.from_dataframe(df, key="t.parquet").save()
    # construction: same content or key; save: BEGIN, same content under the lock, INSERT,
    # COMMIT; PostgreSQL takes the content's advisory lock with one more statement
    from lamin_lab.orm.database import dialect

    assert log.count == (5 if dialect() == "sqlite" else 6), log
    assert sum(q.startswith("INSERT") for q in log) == 1


def test_bulk_save_of_1000_labels_sends_four_statements(ln):
    labels = [ln.ULabel(name=f"label {i}") for i in range(1000)]
    with count_statements() as log:
        ln.save(labels)
    # BEGIN, two INSERTs of 500 rows, COMMIT
    assert log.count == 4, log
    assert ln.ULabel.filter().count() == 1000
