"""The bare single-row-insert baseline for `bench_register`: not part of the product.

A plain Flask app (no product extensions) whose one view reads a small form and INSERTs one
row into a bench-only table of the bench database, then commits: the least a registration
POST must do. Served by the same gunicorn settings as the product
(`bench.bare_insert:app`), with the database from BENCH_INSERT_DATABASE_URL. SQLAlchemy
Core with the product's engine option (`pool_pre_ping`), one connection per worker.
"""

from __future__ import annotations

import os

from flask import Flask, request
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    insert,
    make_url,
    select,
)

metadata = MetaData()

#: Bench-only; `bench_register` drops and recreates it before each run.
rows = Table(
    "bench_insert_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("given_name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def bench_engine(url: str) -> Engine:
    """An engine for the bench database (its name must contain 'bench', as in `bench.data`)."""
    if "bench" not in (make_url(url).database or ""):
        raise ValueError(f"refusing database {make_url(url).database!r}: not a bench database")
    return create_engine(url, pool_pre_ping=True)


def reset_table(url: str) -> None:
    """Drop and recreate the bench-only table (called by the harness, not the server)."""
    engine = bench_engine(url)
    try:
        rows.drop(engine, checkfirst=True)
        rows.create(engine)
    finally:
        engine.dispose()


def count_rows(url: str) -> int:
    """How many rows the bare view inserted."""
    engine = bench_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(rows)) or 0
    finally:
        engine.dispose()


def create_app(url: str) -> Flask:
    app = Flask(__name__)
    engine = bench_engine(url)

    @app.get("/")
    def hello() -> str:  # the harness's readiness probe
        return "Hello, bench."

    @app.post("/insert")
    def insert_one() -> tuple[str, int]:
        with engine.begin() as connection:
            connection.execute(
                insert(rows).values(
                    email=request.form["email"], given_name=request.form["given_name"]
                )
            )
        return "inserted", 201

    return app


_URL = os.environ.get("BENCH_INSERT_DATABASE_URL")
app = create_app(_URL) if _URL else None
