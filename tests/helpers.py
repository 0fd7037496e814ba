"""Test helpers shared by the test packages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from verzuimdesk.model.db import Database


def dump_database(db: Database, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (all columns, sorted), for "the database is exactly as it was" assertions."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for name, table in sorted(SQLModel.metadata.tables.items()):
            if name in skip:
                continue
            rows = conn.execute(sa.select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
