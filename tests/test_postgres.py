"""One schema on both databases: migrations build exactly the models on SQLite and on PostgreSQL.

`make test` runs the whole suite on SQLite and its database-specific part (DB_SPECIFIC in tests/conftest.py, this
module among it) on a throwaway PostgreSQL cluster (TEST_DATABASE_URL); the tests marked `postgres` only make sense
on the second pass.
"""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from config import TestingConfig
from talentcase import create_app
from talentcase.accounts.models import Company
from talentcase.extensions import db as _db
from tests import factories, schema
from tests.conftest import ON_POSTGRES

on_postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="runs on the PostgreSQL pass of `make test`")


def test_migrations_build_exactly_the_models_on_this_database(empty_database_url):
    """`db upgrade` on an empty database (a new SQLite file, or a new PostgreSQL database) builds the models."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        engine = create_engine(empty_database_url)
        with engine.connect() as connection:
            diff = schema.differences(connection, _db.metadata)
            tables = set(inspect(connection).get_table_names())
        engine.dispose()
        _db.engine.dispose()
    assert diff == []
    assert tables == {table.name for table in _db.metadata.sorted_tables} | {"alembic_version"}


@pytest.mark.postgres
@on_postgres_only
def test_the_second_pass_really_runs_on_postgresql(app, db):
    assert db.engine.dialect.name == "postgresql"
    assert db.engine.url.render_as_string(hide_password=False) == app.config["SQLALCHEMY_DATABASE_URI"]


@pytest.mark.postgres
@on_postgres_only
@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_on_empty_tables_with_ids_from_one(db, attempt):
    """The tables are emptied and their id sequences restarted after every test, as on a fresh database."""
    assert db.session.query(Company).count() == 0
    company = factories.CompanyFactory(name=f"Isolation {attempt}")
    db.session.commit()
    assert company.id == 1


def test_the_postgresql_pass_takes_the_listed_tests_that_use_a_database(request):
    """The PostgreSQL pass runs `-m db_specific` (DB_SPECIFIC in tests/conftest.py): in this listed module the tests
    that use a database, and not this one, which uses none; nothing of the route table, which is not listed."""
    collected = request.session.items
    here = {item.name: item for item in collected if item.path == request.node.path}
    migrations = here.get("test_migrations_build_exactly_the_models_on_this_database")
    assert migrations is None or migrations.get_closest_marker("db_specific") is not None
    assert request.node.get_closest_marker("db_specific") is None
    routes = [item for item in collected if item.path.name == "test_routes.py"]
    assert not [item.nodeid for item in routes if item.get_closest_marker("db_specific")]
