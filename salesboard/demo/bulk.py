"""Writing the demo tables fast: clear the business tables, load column arrays with chunked
Core inserts into index-free tables (on PostgreSQL also free of foreign keys), then rebuild
the indexes and the foreign keys and (on PostgreSQL) move the id sequences past the
explicit ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, ForeignKeyConstraint, Index, Table, inspect
from sqlalchemy.schema import AddConstraint, DropConstraint

from salesboard.importing import bulk as insert
from salesboard.store import models as m

# Tables generate() keeps: company configuration, not demo business data, and the open
# pipeline's month offsets (part of the schema, written by migration 0032).
KEPT_TABLES = frozenset({"app_setting", "calendar_override", "alembic_version", "month_offset",
                         "customer_value_window"})  # fmt: skip


def table_of(model: type) -> Table:
    """The Core table of a SQLModel table class."""
    return model.__table__  # type: ignore[attr-defined]


def clear_business_tables(conn: Connection) -> None:
    """Delete every row of every table except ``KEPT_TABLES`` (children first); one
    TRUNCATE on PostgreSQL (deleting ten million rows row by row took minutes)."""
    existing = set(inspect(conn).get_table_names())
    tables = [
        t
        for t in reversed(m.metadata.sorted_tables)
        if t.name in existing and t.name not in KEPT_TABLES
    ]
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql(f"TRUNCATE {', '.join(quote(t.name) for t in tables)}")
    else:
        for table in tables:
            conn.execute(table.delete())
    sync_id_sequences(conn)


def drop_secondary_indexes(conn: Connection, tables: list[Table]) -> list[Index]:
    """Drop the non-unique model indexes of ``tables`` that exist; returns them to recreate."""
    dropped = []
    for table in tables:
        existing = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            if not index.unique and index.name in existing:
                index.drop(conn)
                dropped.append(index)
    return dropped


def drop_foreign_keys(conn: Connection, tables: list[Table]) -> list[ForeignKeyConstraint]:
    """PostgreSQL: drop the foreign keys of ``tables`` that exist; returns them to add back.

    Checked row by row they made COPY three to four times slower (opportunity has seven);
    added back after the load each is one validating join. SQLite keeps its own (it cannot
    drop a constraint, and does not check them unless asked)."""
    if conn.dialect.name != "postgresql":
        return []
    dropped = []
    for table in tables:
        existing = {fk["name"] for fk in inspect(conn).get_foreign_keys(table.name)}
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
            if constraint.name in existing:
                conn.execute(DropConstraint(constraint))
                dropped.append(constraint)
    return dropped


def add_constraints(conn: Connection, constraints: list[ForeignKeyConstraint]) -> None:
    """Add back the constraints ``drop_foreign_keys`` dropped (each checks every row)."""
    for constraint in constraints:
        conn.execute(AddConstraint(constraint))


def analyze(conn: Connection, tables: list[Table]) -> None:
    """Fresh planner statistics for ``tables`` after a bulk load (PostgreSQL's autovacuum
    would get there minutes later; the queries right after the load need them now)."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(f"ANALYZE {', '.join(quote(t.name) for t in tables)}")


def sync_id_sequences(conn: Connection) -> None:
    """PostgreSQL: move each ``id`` sequence past the explicit ids we inserted."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    existing = set(inspect(conn).get_table_names())
    for table in m.metadata.sorted_tables:
        if table.name in existing and "id" in table.c and table.c.id.primary_key:
            name = quote(table.name)
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {name}"
            )


def bulk_insert(conn: Connection, table: Table, columns: dict[str, Any]) -> None:
    """Insert the rows given as equally long columns; keys starting with "_" are not columns.

    Written through the driver (multi-row VALUES on SQLite, COPY on PostgreSQL) as imports
    are: SQLAlchemy's per-row dicts and bind processing took most of the large demo's time.
    Columns left out get the model's default, as a Core insert would give them."""
    names = [k for k in columns if not k.startswith("_")]
    n = len(columns[names[0]])
    values = {k: columns[k] for k in names}
    for column in table.columns:
        default = column.default
        if column.name in values or default is None:
            continue
        if default.is_scalar:
            values[column.name] = insert.constant(default.arg, n)
        elif default.is_callable:  # utcnow and the like: one value for the whole load
            values[column.name] = insert.constant(default.arg(None), n)
    insert.insert_columns(conn, table, values)
