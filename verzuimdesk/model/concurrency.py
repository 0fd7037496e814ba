"""Several PCs, one database (issue 14 point 3): row versions, conflicts, isolation and lost connections.

A save carries the version of what the user SAW when the screen loaded it. Versioned rows have a ``version``
column that SQLAlchemy counts up on every change (``version_id_col``: every UPDATE and DELETE says
``AND version = <loaded>``). A save whose row changed in the meantime raises
:class:`~verzuimdesk.model.errors.ConflictError`, naming who changed it and when (from the audit trail), and the
whole action is rolled back: nothing of it is stored.

What a school edits from two PCs, table by table (docs/postgresql.md §6 has the same list):

- **Versioned** (schema 0010): register entries (a grid cell's version is that of the entries covering it,
  :func:`~verzuimdesk.model.register.entries.cell_version`), leave requests, meldingen, settings.
- **Versioned** (schema 0017): the school's own record (name, BRIN, vestiging, sector, region, contacts, logo; the
  first set-up locks the name "school", so two PCs never make two records); leerplichtambtenaren (edit and
  remove; the same gemeente added on two PCs at once is stored once: its name is locked, the second gets "al
  vastgelegd"); a pupil's card — the pupil with its parents/carers and its groups: changing the parents
  (``Guardian``) or the group (``GroupMembership``) counts up the *pupil's* version (:func:`bump`), because the
  pupil dialog shows and saves them together, so those two tables need no version of their own; a group with its
  timetable (``Lesson`` rows count up the group's version the same way); reasons; days off; a dossier's contacts
  and interventions (report, agreements, evaluation).
- **Parents' report** (``report_absence``): the register screen hands back the cell versions of the day it
  shows; a lesson the report covers that changed since on another PC is a conflict, checked before anything is
  written. Other days of the range were not on the screen, so there is nothing stale to protect: the report
  replaces what is there, as it always did, audited and with the reason rule for old registrations
  (register/changes.py).
- **Register genomen** (``RegisterTaken``) is a fact, not an edit, so two PCs *merge*: the first mark stays with its
  name and time and the second PC's status line says "was intussen al genomen door …; dat blijft zo staan" (both
  wanted the same; nothing is lost). Unmarking a mark the screen did not show (someone took the register again
  after this screen loaded) would silently take back another person's mark: that one is a conflict. The group's
  row is locked first, so on PostgreSQL the second PC waits instead of running into the unique constraint.
- **Append-only, no version needed**: call records (nabellen: each call is a new row; its outcome changes only
  entries that are still "reden onbekend" when saving, and those entries' own versions refuse a concurrent
  change), signal handlings (each handling is a new row; two PCs handling the same signal both stay on record in
  the dossier), melding status history, letter templates (each save a new version), letters, policy versions,
  exports, deliveries, reason mapping changes, the audit trail.
- **User accounts** carry no row version: the row also changes at every log-in (last log-in, failed attempts),
  which must not make the beheerder's screen stale. The Gebruikers screen hands back the account as it listed it
  (role, name, own groups, active) and a change to any of those since is a conflict.
- **Not versioned, by choice**: duty marks and the duty scan (derived from the register, never edited by hand; the
  daily search takes a lock, so two PCs starting at once do not both insert the same mark); school years
  (created, never edited); timetable deviations (adding makes new rows; ending one that another PC already ended
  earlier is refused with "eindigt al eerder").

Choices (docs/postgresql.md explains them to administrators):

- **PostgreSQL runs at READ COMMITTED** (its default) plus explicit checks. A save first locks what it is about to
  change (``SELECT … FOR NO KEY UPDATE`` on the row; for a register cell, which may not exist yet, on the pupil;
  for a setting that may not exist yet, a transaction-scoped advisory lock on its key), then compares the
  version it loaded with the one stored. A second PC saving the same thing waits for the first to commit, then
  sees the new version and gets the conflict: never a lost update, never a duplicate. REPEATABLE READ was not
  chosen: the audit trail's hash chain takes an advisory lock and then reads the newest line, which must be the
  newest *committed* line, not the one of a snapshot taken before the lock (model/audit.py).
- **SQLite**: a write transaction begins with ``BEGIN IMMEDIATE``: one writer at a time, a second waits for the
  ``busy_timeout`` (5 s, db.py) and then gets a Dutch :class:`DatabaseBusyError`. With a deferred BEGIN a
  transaction that read first could fail halfway when it starts to write after another PC committed.
- **Lost connections**: the engine pings a pooled connection before use (``pool_pre_ping``), so a server restart
  between two actions goes unnoticed; a connection that breaks *during* an action becomes
  :class:`ConnectionLostError` (the transaction never committed, so nothing was stored). The GUI offers to run
  the whole action again in a new transaction; the command line prints the message and exits non-zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import HIDDEN, LABELS
from verzuimdesk.model.audit_names import FIELD_NAMES
from verzuimdesk.model.errors import (
    ConflictError,
    ConnectionLostError,
    DatabaseBusyError,
    VerzuimdeskError,
)
from verzuimdesk.model.tables import AuditLog, Setting

T = TypeVar("T")

NOTHING_STORED = "Er is niets van deze wijziging opgeslagen."
RELOAD_HINT = "Kies ‘Opnieuw laden’ om te zien wat er nu staat, en doe uw wijziging daarna zo nodig opnieuw."
CONNECTION_LOST = ("De verbinding met de databaseserver is verbroken (de server is herstart of het netwerk viel "
                   "weg). Er is niets opgeslagen van deze handeling. Controleer de verbinding en kies ‘Opnieuw "
                   "proberen’; lukt het dan nog niet, vraag de beheerder van de server om hulp.")  # fmt: skip
BUSY = ("De database is bezet: een andere computer slaat op dit moment iets op. Er is niets opgeslagen van deze "
        "handeling; probeer het zo opnieuw.")  # fmt: skip
STALE = ("Iemand anders heeft dit intussen gewijzigd of verwijderd. " + NOTHING_STORED + " " + RELOAD_HINT)
EXISTS = ("Dit staat intussen al in de database, waarschijnlijk net vastgelegd op een andere computer. "
          + NOTHING_STORED + " " + RELOAD_HINT)
# PostgreSQL SQLSTATEs (Appendix A of its manual): class 08 connection exception, 57P01–57P03 the server shuts
# down or cannot be reached; 40001 serialization failure, 40P01 deadlock; 23505 unique violation (two PCs inserting
# the same thing at once: the model checks for an existing row first, so only a concurrent insert gets here).
LOST_STATES = ("57P01", "57P02", "57P03")
PG_KEY_LOCK = 72_010_014  # first half of the advisory lock key of a setting (the second is the key's hash)


# ------------------------------------------------------------------------------ transactions and errors


def begin_write(session: Session) -> None:
    """Start a write transaction the way the backend needs (see the module docstring)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def translate(exc: BaseException) -> VerzuimdeskError | None:
    """The Dutch domain error for a library exception of a lost connection, a busy database or a stale row;
    None for anything else (which stays a programming error)."""
    if isinstance(exc, StaleDataError):
        return ConflictError(STALE)
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    orig = exc.orig
    state = str(getattr(orig, "sqlstate", "") or "")
    if exc.connection_invalidated or state.startswith("08") or state in LOST_STATES:
        return ConnectionLostError(CONNECTION_LOST)
    if state == "40001":
        return ConflictError(STALE)
    if state == "23505" or "UNIQUE constraint failed" in str(orig):
        return ConflictError(EXISTS)
    if state == "40P01" or "database is locked" in str(orig):
        return DatabaseBusyError(BUSY)
    if isinstance(exc, sa.exc.OperationalError) and type(orig).__module__.startswith("psycopg"):
        return ConnectionLostError(CONNECTION_LOST)  # psycopg's OperationalError: the server cannot be reached
    return None


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the library exceptions of :func:`translate` raised inside the block into Dutch domain errors."""
    try:
        yield
    except (StaleDataError, sa.exc.DBAPIError) as exc:
        mapped = translate(exc)
        if mapped is None:
            raise
        raise mapped from exc


# ------------------------------------------------------------------------------------------ locks


def lock_row(session: Session, model: type[T], ident: object) -> T | None:
    """The row with primary key ``ident``, freshly read and locked until the transaction ends (PostgreSQL:
    ``FOR NO KEY UPDATE``, which still lets other rows refer to it; SQLite: the write transaction already
    holds the database)."""
    key = sa.inspect(model).primary_key[0]
    query = select(model).where(key == ident).with_for_update(key_share=True)
    return session.exec(query.execution_options(populate_existing=True)).first()


def lock_name(session: Session, name: str) -> None:
    """Lock a name (e.g. a setting's key whose row may not exist yet) until the transaction ends (PostgreSQL)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:a, hashtext(:b))"), {"a": PG_KEY_LOCK, "b": name})


# ------------------------------------------------------------------------------------------ conflicts


def last_change(session: Session, *, action_like: str, detail_like: str | None = None,
                detail_is: str | None = None, pupil_id: int | None = None) -> AuditLog | None:
    """The newest audit line matching the pattern(s): who changed the thing last, and when."""
    query = select(AuditLog).where(col(AuditLog.action).like(action_like))
    if detail_like is not None:
        query = query.where(col(AuditLog.detail).like(detail_like))
    if detail_is is not None:
        query = query.where(AuditLog.detail == detail_is)
    if pupil_id is not None:
        query = query.where(AuditLog.pupil_id == pupil_id)
    return session.exec(query.order_by(col(AuditLog.id).desc()).limit(1)).first()


def conflict(what: str, by: str, at: dt.datetime | None, attempted: Sequence[str] = (), *,
             removed: bool = False) -> ConflictError:  # fmt: skip
    """The Dutch conflict: ``what`` (a sentence subject, e.g. "De verlofaanvraag van Daan") changed by whom, when."""
    verb = "verwijderd" if removed else "gewijzigd"
    who = f" door {by}" if by else " door een andere gebruiker"
    when = f" op {dutch.date_long(at.date())} om {at:%H:%M}" if at else ""
    return ConflictError(f"{what} is intussen {verb}{who}{when}. {NOTHING_STORED} {RELOAD_HINT}",
                         changed_by=by, changed_at=at, attempted=tuple(attempted))  # fmt: skip


def row_conflict(session: Session, row: Any, what: str, attempted: Sequence[str] = (), *,
                 removed: bool = False) -> ConflictError:  # fmt: skip
    """The conflict for a versioned row, with who and when from the trail's newest line about that row."""
    table = str(sa.inspect(type(row)).local_table.name)
    if table == Setting.__tablename__:
        line = last_change(session, action_like=f"{LABELS['setting']} %", detail_is=str(row.key))
    elif table == "pupil":  # the pupil's card: the pupil, its parents and its groups (their lines carry pupil_id)
        line = session.exec(select(AuditLog).where(AuditLog.pupil_id == row.id, sa.or_(
            *(col(AuditLog.action).like(f"{LABELS[t]} %") for t in PUPIL_CARD)))
            .order_by(col(AuditLog.id).desc()).limit(1)).first()  # fmt: skip
    else:
        line = _row_line(session, LABELS.get(table, table), row.id)
    return conflict(what, line.by if line else "", line.at if line else None, attempted, removed=removed)


def _row_line(session: Session, label: str, ident: object, action_like: str | None = None) -> AuditLog | None:
    """The newest trail line about row ``ident`` of the table labelled ``label`` (its detail is "label id" or
    "label id (name)")."""
    action = action_like or f"{label} %"
    return last_change(session, action_like=action, detail_is=f"{label} {ident}") or \
        last_change(session, action_like=action, detail_like=f"{label} {ident} (%")


PUPIL_CARD = ("pupil", "guardian", "groupmembership")  # what the pupil's version covers (see module docstring)


def changed_fields(session: Session, model: Any, row: Any, fields: Mapping[str, object]) -> list[str]:
    """The user's input that differs from ``row`` (None: a new row), as "veld: waarde" lines for the conflict
    dialog, so that what was not saved can be typed again. Hidden fields (BSN) are named, not shown; a reference
    to another record (a group, a vestiging) is shown by that record's name, not its number."""
    out = []
    for name, value in fields.items():
        if row is not None and getattr(row, name, None) == value:
            continue
        shown = "(niet getoond)" if name in HIDDEN else ("ja" if value is True else "nee" if value is False
                                                        else "" if value is None else _shown(session, model, name, value))  # fmt: skip
        out.append(f"{FIELD_NAMES.get(name, name)}: {shown}")
    return out


def _shown(session: Session, model: Any, name: str, value: object) -> str:
    """``value`` as the user knows it: for a column that refers to another table, that row's name (or code)."""
    column = model.__table__.c.get(name)
    target = next(iter(column.foreign_keys)).column if column is not None and column.foreign_keys else None
    if target is not None:
        label = next((target.table.c[c] for c in ("name", "code") if c in target.table.c), None)
        found = session.execute(sa.select(label).where(target == value)).scalar() if label is not None else None
        if found:
            return str(found)
    return str(value)


def bump(session: Session, row: Any) -> None:
    """Count up the version of ``row`` although none of its own columns changed: a change to what its version
    covers (a pupil's parents or groups). Stale (changed by another PC meanwhile) → a conflict on flush."""
    row.version = row.version + 1
    session.add(row)
    session.flush()


def check_version(session: Session, model: type[T], ident: object, expected: int | None, what: str,
                  attempted: Sequence[str] = (), *, fields: Mapping[str, object] | None = None) -> T | None:
    """Lock the row and check that it still has the version the user saw (``expected``; 0 = the row did not
    exist; None = no check, e.g. the command line). Returns the locked row (None when absent). With ``fields``
    (an edit dialog's input) the conflict lists those that differ from what is stored now."""
    row = lock_row(session, model, ident)
    if expected is None:
        return row
    stored = getattr(row, "version", 0) if row is not None else 0
    if stored == expected:
        return row
    if fields is not None:
        attempted = [*attempted, *changed_fields(session, model, row, fields)]
    if row is None:
        label = LABELS.get(model.__tablename__, "")  # type: ignore[attr-defined]
        deleted = _row_line(session, label, ident, "% verwijderd")
        raise conflict(what, deleted.by if deleted else "", deleted.at if deleted else None, attempted, removed=True)
    raise row_conflict(session, row, what, attempted)
