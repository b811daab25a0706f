"""Driver errors leave the instance's database as lamin_lab errors, naming what was refused."""

from __future__ import annotations

import peewee
import pytest

from lamin_lab.errors import DatabaseError, IntegrityError
from lamin_lab.orm.database import dialect, ensure_connected


def test_a_raw_statement_raises_a_lamin_lab_error_not_the_drivers(ln):
    db = ensure_connected()
    with pytest.raises(DatabaseError) as caught:
        db.execute_sql("SELECT * FROM no_such_table")
    assert not isinstance(caught.value, peewee.PeeweeException)
    assert "no_such_table" in str(caught.value)


def test_a_unique_violation_names_the_table_and_the_column(ln):
    db = ensure_connected()
    db.execute_sql("CREATE TABLE refused_names (name VARCHAR(20) UNIQUE)")
    db.execute_sql("INSERT INTO refused_names (name) VALUES ('T cell')")
    with pytest.raises(IntegrityError, match="already exists") as caught:
        db.execute_sql("INSERT INTO refused_names (name) VALUES ('T cell')")
    assert (caught.value.registry, caught.value.field) == ("refused_names", "name")
    # PostgreSQL also says which value; SQLite does not
    assert caught.value.value == ("T cell" if dialect() == "postgresql" else None)


def test_the_connection_stays_usable_after_a_refused_statement(ln):
    with pytest.raises(DatabaseError):
        ensure_connected().execute_sql("SELECT * FROM no_such_table")
    assert ln.ULabel(name="after").save().name == "after"
    assert ln.ULabel.filter(name="after").count() == 1
