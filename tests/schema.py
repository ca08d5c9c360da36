"""What a migrated database holds against the models, for the two "migrations build exactly the models" tests."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Index, MetaData, UnaryExpression, inspect, text
from sqlalchemy.sql import operators


def _sorted_columns(index: Index) -> list[tuple[str, str]]:
    """The model index's columns with their direction."""
    columns = []
    for expression in index.expressions:
        if isinstance(expression, UnaryExpression) and expression.modifier is operators.desc_op:
            columns.append((expression.element.name, "desc"))
        else:
            columns.append((expression.name, "asc"))
    return columns


def _reflected_columns(connection: Connection, table: str, name: str) -> list[tuple[str, str]]:
    """The stored index's columns with their direction, as each database reports them."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text(f'PRAGMA index_xinfo("{name}")')).all()
        return [(row.name, "desc" if row.desc else "asc") for row in rows if row.key]
    index = next(index for index in inspect(connection).get_indexes(table) if index["name"] == name)
    sorting = index.get("column_sorting", {})
    return [(column, "desc" if "desc" in sorting.get(column, ()) else "asc") for column in index["column_names"]]


def differences(connection: Connection, metadata: MetaData) -> list:
    """Alembic's comparison of the database with the models, plus the indexes with a descending column (Alembic
    cannot compare those on SQLite), compared here column by column, direction included."""
    descending = {
        index.name: (table.name, index)
        for table in metadata.sorted_tables
        for index in table.indexes
        if any(direction == "desc" for _, direction in _sorted_columns(index))
    }
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_object": lambda _object, name, kind, _reflected, _compare_to: (
                not (kind == "index" and name in descending)
            ),
        },
    )
    found = list(compare_metadata(context, metadata))
    for name, (table, index) in descending.items():
        stored = _reflected_columns(connection, table, name)
        if stored != _sorted_columns(index):
            found.append(("index differs", name, stored, _sorted_columns(index)))
    return found
