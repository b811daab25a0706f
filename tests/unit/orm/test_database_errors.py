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


def test_a_constraint_checked_at_commit_raises_a_lamin_lab_error(ln):
    db = ensure_connected()
    db.execute_sql("CREATE TABLE commit_parent (id INTEGER PRIMARY KEY)")
    db.execute_sql(
        "CREATE TABLE commit_child (parent_id INTEGER REFERENCES commit_parent (id) DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(IntegrityError, match="related record is missing") as caught:
        with db.atomic():  # the statement is accepted; COMMIT finds the missing parent
            db.execute_sql("INSERT INTO commit_child (parent_id) VALUES (99)")
    assert not isinstance(caught.value, peewee.PeeweeException)
    assert db.execute_sql("SELECT COUNT(*) FROM commit_child").fetchone()[0] == 0  # rolled back


def test_an_error_while_rows_are_read_raises_a_lamin_lab_error(ln):
    if dialect() != "sqlite":
        pytest.skip(
            "psycopg2 reads every row at execute: only SQLite runs a query while rows are fetched"
        )
    db = ensure_connected()
    db.connection().create_function("fails_on_row_50", 1, lambda x: 1 // (x - 50))
    db.execute_sql("CREATE TABLE fetched (x INTEGER)")
    db.execute_sql("INSERT INTO fetched (x) VALUES " + ", ".join(f"({x})" for x in range(1, 101)))
    cursor = db.execute_sql("SELECT fails_on_row_50(x) FROM fetched")  # runs up to the first row
    with pytest.raises(DatabaseError, match="user-defined function raised exception"):
        cursor.fetchall()
