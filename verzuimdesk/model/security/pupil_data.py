"""Everything the program holds on a pupil, found from the schema itself (issue 11 points 3 and 4).

Every table that refers to ``pupil`` (directly, or through a table that does, such as the days of a melding)
holds data about that pupil. Deriving the list from the foreign keys means a table added later is included in
the inzage export and in the purge without anyone having to remember it (a test checks that no table with a
pupil link is missed). Rows are read and removed with plain SQL over the metadata, children before parents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import verzuimdesk.model.tables  # noqa: F401  (all tables on the metadata)

PUPIL_TABLE = "pupil"
# Dutch names of the tables, for people (the inzage PDF, the purge summary, the audit line).
TABLE_LABELS: dict[str, str] = {
    "pupil": "leerlinggegevens", "guardian": "ouders/verzorgers", "groupmembership": "groepsindeling",
    "timetabledeviation": "eigen rooster", "deviationwindow": "eigen rooster (tijden)",
    "absenceentry": "registraties", "callrecord": "nabelgesprekken", "leaverequest": "verlofaanvragen",
    "melding": "meldingen", "meldingday": "meldingen (dagen)", "meldingstatus": "meldingen (verloop)",
    "meldingexport": "meldingen (verzonden bestanden)", "signalhandling": "afgehandelde signalen",
    "contactmoment": "gesprekken en contacten", "intervention": "aanpak en evaluatie",
}  # fmt: skip


def pupil_tables() -> list[sa.Table]:
    """The tables that hold data of a pupil, parents before children (``pupil`` first)."""
    tables = SQLModel.metadata.sorted_tables
    linked = {PUPIL_TABLE}
    for table in tables:  # sorted: a parent is seen before its children
        if any(fk.column.table.name in linked for fk in table.foreign_keys):
            linked.add(table.name)
    return [t for t in tables if t.name in linked]


def _condition(table: sa.Table, pupil_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """Rows of ``table`` that belong to the pupils (through any chain of foreign keys)."""
    if table.name == PUPIL_TABLE:
        return table.c.id.in_(list(pupil_ids))
    linked = {t.name for t in pupil_tables()}
    parts: list[sa.ColumnElement[bool]] = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name in linked:
            parts.append(fk.parent.in_(sa.select(fk.column).where(_condition(parent, pupil_ids))))
    return sa.or_(*parts)


def rows_of(session: Session, pupil_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about the pupil, per table (only tables with rows), columns as stored."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in pupil_tables():
        pk = list(table.primary_key.columns)
        rows = session.connection().execute(sa.select(table).where(_condition(table, [pupil_id])).order_by(*pk))
        found = [dict(r._mapping) for r in rows]
        if found:
            out[table.name] = found
    return out


def count_rows(session: Session, pupil_ids: Sequence[int]) -> dict[str, int]:
    """Rows per table that belong to the pupils (tables with none left out)."""
    out: dict[str, int] = {}
    if not pupil_ids:
        return out
    for table in pupil_tables():
        n = session.connection().execute(
            sa.select(sa.func.count()).select_from(table).where(_condition(table, pupil_ids))).scalar_one()
        if n:
            out[table.name] = int(n)
    return out


def delete_rows(session: Session, pupil_ids: Sequence[int]) -> dict[str, int]:
    """Remove every row about the pupils, children first; returns the counts per table."""
    counts = count_rows(session, pupil_ids)
    for table in reversed(pupil_tables()):
        if table.name in counts:
            session.connection().execute(sa.delete(table).where(_condition(table, pupil_ids)))
    session.flush()
    return counts


def counts_text(counts: dict[str, int]) -> str:
    """``registraties 120, meldingen 1, …`` (people's words, the order of TABLE_LABELS)."""
    order = list(TABLE_LABELS)
    keys = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    return ", ".join(f"{TABLE_LABELS.get(k, k)} {counts[k]}" for k in keys)
