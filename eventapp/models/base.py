"""The declarative base, the shared `db`, and the UTC datetime column type."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Insert, MetaData, Table, event, insert
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapper, make_transient_to_detached, object_mapper
from sqlalchemy.orm.interfaces import MANYTOONE
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # What `db.Model` is at run time; a type checker cannot see through the extension.
    Model = Base
else:
    Model = db.Model


@event.listens_for(Engine, "connect")
def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys (and their ON DELETE rules) only when asked to, on each
    connection; without it a deleted registration would leave its scans behind."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@dataclass(frozen=True, slots=True)
class _InsertPlan:
    """How `insert_row` writes one mapped class: its statement and where values come from."""

    statement: Insert
    #: (attribute, column key) of every column but the primary key.
    columns: tuple[tuple[str, str], ...]
    #: (relationship, attribute of the related object, column key) of foreign keys.
    references: tuple[tuple[str, str, str], ...]
    #: Attributes that receive the primary key.
    key: tuple[str, ...]


_PLANS: dict[Mapper[Any], _InsertPlan] = {}


def _plan(mapper: Mapper[Any]) -> _InsertPlan:
    if mapper not in _PLANS:
        table = mapper.local_table
        if not isinstance(table, Table):
            raise TypeError(f"{mapper.class_.__name__} is not mapped to one table")
        key_columns = tuple(table.primary_key.columns)
        _PLANS[mapper] = _InsertPlan(
            statement=insert(table).returning(*key_columns),
            columns=tuple(
                (mapper.get_property_by_column(column).key, column.key)
                for column in table.columns
                if not column.primary_key
            ),
            references=tuple(
                (relation.key, relation.mapper.get_property_by_column(remote).key, str(local.key))
                for relation in mapper.relationships
                if relation.direction is MANYTOONE
                for local, remote in relation.local_remote_pairs
            ),
            key=tuple(mapper.get_property_by_column(column).key for column in key_columns),
        )
    return _PLANS[mapper]


def insert_row(instance: Any) -> None:
    """INSERT one new object now with a prebuilt Core statement, and make it persistent in
    the session as if it had been flushed (no unit of work, no reload).

    For hot paths: it costs about a quarter of `db.session.add` + `flush`. The values are
    the instance's column attributes and the keys of the objects it refers to (those must
    have their keys already); columns left unset get their defaults in the INSERT and are
    loaded when first read. Every attribute expires at the commit, as usual.
    """
    plan = _plan(object_mapper(instance))
    state = instance.__dict__
    values = {column: state[name] for name, column in plan.columns if name in state}
    for relation, attribute, column in plan.references:
        target = state.get(relation)
        if target is not None:
            values[column] = getattr(target, attribute)
            if values[column] is None:
                raise ValueError(f"{relation} is not in the database yet: flush it first")
    row = db.session.connection().execute(plan.statement, values).one()
    for name, value in zip(plan.key, row, strict=True):
        setattr(instance, name, value)
    make_transient_to_detached(instance)
    db.session.add(instance)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware in UTC (as Indico does).

    A naive datetime is refused: every time in this project has a zone.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def str_enum(enum_class: type) -> Any:
    """A VARCHAR column type for a `StrEnum`, storing the member's value (portable, no DB enum)."""
    from sqlalchemy import Enum

    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
