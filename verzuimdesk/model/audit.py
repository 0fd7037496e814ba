"""The audit trail (logboek): who changed what, when, old → new and why (architecture.md §13, issue 10 §5).

Every write to the register, leave, meldingen, pupils, groups, timetables, reasons and settings calls
:func:`audit` inside the same transaction, so a change and its line are committed together or not at all.

Append-only and tamper-evident:
- the database refuses UPDATE and DELETE on the table (triggers made by migration 0004, SQLite and
  PostgreSQL alike), so the program itself cannot rewrite the trail;
- each line carries ``hash`` = SHA-256 over the previous line's hash and its own fields (a hash chain).
  Someone who edits the file with other tools must recompute every later hash; :func:`verify_trail`
  (``verzuimdesk logboek --controleer``) finds any line whose fields, order or link no longer agree.
  Choice: lines cut off at the end of the chain cannot be seen from the chain alone; the check reports
  the number of lines and the last hash, which every backup also holds, so a shorter trail than in a
  backup shows (docs/reliability.md).

The user name is the configured name (setting "gebruiker"), else the login name, until access control
gives every user an account.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from verzuimdesk.model.actor import actor_of
from verzuimdesk.model.tables import AuditLog, Setting

GENESIS = "0" * 64  # the "previous hash" of the first line
MAX_VALUE = 2000  # longer old/new values (e.g. a whole policy text) are shortened in the trail
PG_CHAIN_LOCK = 72_010_005  # pg_advisory_xact_lock key: one writer extends the chain at a time


def current_user(session: Session | None = None) -> str:
    """The name recorded with every action: the logged-in user the session carries (:mod:`.actor`), else the
    setting "gebruiker", else the OS login name (internal work without a login, such as building the demo)."""
    if session is not None:
        actor = actor_of(session)
        if actor is not None:
            return actor.username
        row = session.get(Setting, "gebruiker")
        if row is not None and row.value:
            return row.value
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name on some systems
        return "beheerder"


def line_hash(prev_hash: str, at: dt.datetime, by: str, action: str, detail: str, pupil_id: int | None,
              old_value: str, new_value: str, reason: str) -> str:
    """SHA-256 (hex) over the previous hash and the fields of a line, as canonical JSON.

    Migration 0004 holds a copy of this function (it fills the hashes of older lines); keep them equal."""
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), by, action, detail, pupil_id, old_value, new_value,
         reason], ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _last_hash(conn: sa.Connection) -> str:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_CHAIN_LOCK})")
    table = AuditLog.__table__  # type: ignore[attr-defined]
    last = conn.execute(sa.select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()
    return last or GENESIS


def _user(conn: sa.Connection, session: Session) -> str:
    """The logged-in user the session carries; else the setting "gebruiker" (read on the transaction's own
    connection: the listener runs inside a flush), else the OS login name."""
    actor = actor_of(session)
    if actor is not None:
        return actor.username
    table = Setting.__table__  # type: ignore[attr-defined]
    name = conn.execute(sa.select(table.c.value).where(table.c.key == "gebruiker")).scalar()
    return name or current_user()


def _append(conn: sa.Connection, lines: list[dict[str, Any]]) -> list[int]:
    """Chain ``lines`` onto the trail and insert them in order, straight on the transaction's connection
    (so that they are written in the same transaction and their ids follow the chain)."""
    prev = _last_hash(conn)
    table = AuditLog.__table__  # type: ignore[attr-defined]
    ids: list[int] = []
    for line in lines:
        line["prev_hash"] = prev
        line["hash"] = prev = line_hash(prev, line["at"], line["by"], line["action"], line["detail"],
                                        line["pupil_id"], line["old_value"], line["new_value"], line["reason"])
        key = conn.execute(sa.insert(table).values(**line)).inserted_primary_key
        assert key is not None
        ids.append(int(key[0]))
    return ids


def audit(
    session: Session,
    action: str,
    detail: str = "",
    *,
    by: str | None = None,
    pupil_id: int | None = None,
    old: object = None,
    new: object = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> AuditLog:
    """Append a line to the trail, in the caller's transaction. ``old``/``new`` are shown as text."""
    session.flush()  # pending changes (and their own lines) first, so that the trail follows the order of events
    conn = session.connection()
    line: dict[str, Any] = {
        "at": (at or dt.datetime.now()).replace(tzinfo=None), "by": by or _user(conn, session), "action": action,
        "detail": _short(detail), "pupil_id": pupil_id, "old_value": _short(old), "new_value": _short(new),
        "reason": reason.strip(),
    }  # fmt: skip
    (line["id"],) = _append(conn, [line])
    return AuditLog(**line)


# ------------------------------------------------------------------------------- every other table

# Tables whose changes the trail records field by field (issue 10 §5). The register (AbsenceEntry) is
# described per pupil-day by model/register/changes.py instead; the trail itself is not audited.
LABELS = {
    "school": "school", "vestiging": "vestiging", "leerplichtcontact": "leerplichtambtenaar",
    "setting": "instelling", "schoolyear": "schooljaar", "dayoff": "vrije dag", "group": "groep",
    "lesson": "les (rooster)", "pupil": "leerling", "guardian": "ouder/verzorger",
    "groupmembership": "groepsindeling", "timetabledeviation": "roosterafwijking",
    "deviationwindow": "tijdvak roosterafwijking", "reason": "reden", "reasonmappingchange": "indeling reden",
    "registertaken": "register genomen", "callrecord": "nabelgesprek", "meldingexport": "export melding",
    "aggregatedelivery": "DUO-levering", "policyversion": "verzuimbeleid", "signalrule": "signaalregel",
    "signalhandling": "signaalafhandeling", "melding": "melding", "meldingday": "meldingsdag",
    "meldingstatus": "meldingstatus", "leaverequest": "verlofaanvraag", "contactmoment": "contact",
    "intervention": "interventie",
}  # fmt: skip
NOT_AUDITED = {"auditlog", "absenceentry"}
HIDDEN = {"bsn", "bsn_last4", "onderwijsnummer"}  # shown as "(verborgen)": the trail is read more widely


def _text(column: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if column in HIDDEN:
        return "(verborgen)"  # the trail says that it changed, not to what
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fields(values: dict[str, object]) -> str:
    return "; ".join(f"{k}: {_text(k, v)}" for k, v in values.items() if _text(k, v))


def _change_line(obj: object, kind: str, at: dt.datetime, by: str) -> dict[str, Any] | None:
    state = sa.inspect(obj)
    table = state.mapper.local_table
    name = str(table.name)
    if name in NOT_AUDITED:
        return None
    label = LABELS.get(name, name)
    columns = [c.key for c in state.mapper.column_attrs if c.key != "version"]  # the row version is bookkeeping
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    if kind == "toegevoegd":
        new = {c: state.dict.get(c) for c in columns if c != "id"}
    elif kind == "verwijderd":
        old = {c: state.dict.get(c) for c in columns if c != "id"}  # loaded values only: no SELECT here
    else:
        for c in columns:
            hist = state.attrs[c].history
            if hist.has_changes():
                old[c] = hist.deleted[0] if hist.deleted else None
                new[c] = hist.added[0] if hist.added else None
        old = {k: v for k, v in old.items() if v != new.get(k) and (_text(k, v) or _text(k, new.get(k)))}
        new = {k: new[k] for k in old}
        if not old:
            return None
    ident = state.dict.get("id")
    if name == "setting":
        detail, old_text, new_text = str(state.dict.get("key", "")), _text("value", old.get("value")), \
            _text("value", new.get("value"))
    else:
        named = state.dict.get("key") or state.dict.get("name") or state.dict.get("title")
        detail = f"{label} {ident}" + (f" ({named})" if named else "")
        old_text, new_text = _fields(old), _fields(new)
    pupil_id = ident if name == "pupil" else state.dict.get("pupil_id")
    return {"at": at, "by": by, "action": f"{label} {kind}", "detail": _short(detail), "pupil_id": pupil_id,
            "old_value": _short(old_text), "new_value": _short(new_text), "reason": ""}


def _audit_flush(session: Session, _context: object) -> None:
    """After every flush: one line per inserted, changed or deleted row of an audited table."""
    changes = [(o, "toegevoegd") for o in session.new] + [(o, "gewijzigd") for o in session.dirty] + \
              [(o, "verwijderd") for o in session.deleted]  # fmt: skip
    if not changes:
        return
    conn = session.connection()
    at, by = dt.datetime.now(), ""
    lines: list[dict[str, Any]] = []
    for obj, kind in sorted(changes, key=lambda c: (sa.inspect(c[0]).mapper.local_table.name, str(c[1]))):
        if sa.inspect(obj).mapper.local_table.name in NOT_AUDITED:
            continue
        by = by or _user(conn, session)
        line = _change_line(obj, kind, at, by)
        if line is not None:
            lines.append(line)
    if lines:
        _append(conn, lines)


sa.event.listen(Session, "after_flush", _audit_flush)


# ------------------------------------------------------------------------------------------ reading


def trail(session: Session, *, pupil_id: int | None = None, start: dt.date | None = None,
          end: dt.date | None = None, limit: int | None = None) -> list[AuditLog]:
    """Lines of the trail, oldest first; only one pupil's and/or a date range (inclusive) when asked."""
    q = select(AuditLog)
    if pupil_id is not None:
        q = q.where(AuditLog.pupil_id == pupil_id)
    if start is not None:
        q = q.where(AuditLog.at >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        q = q.where(AuditLog.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    q = q.order_by(col(AuditLog.id).desc()) if limit else q.order_by(col(AuditLog.id))
    rows = list(session.exec(q.limit(limit) if limit else q).all())
    return rows[::-1] if limit else rows


def line_as_dict(line: AuditLog) -> dict[str, object]:
    return {
        "id": line.id, "tijdstip": line.at.isoformat(timespec="seconds"), "gebruiker": line.by,
        "actie": line.action, "omschrijving": line.detail, "leerling_id": line.pupil_id, "oud": line.old_value,
        "nieuw": line.new_value, "reden": line.reason, "hash": line.hash,
    }  # fmt: skip


@dataclass(frozen=True)
class TrailCheck:
    """The outcome of :func:`verify_trail`: how many lines, the last hash, and what does not agree."""

    lines: int
    last_hash: str
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_trail(session: Session) -> TrailCheck:
    """Recompute the chain from the first line; every line whose link or hash differs is a problem."""
    prev = GENESIS
    count = 0
    problems: list[str] = []
    for line in session.exec(select(AuditLog).order_by(col(AuditLog.id))):
        count += 1
        if line.prev_hash != prev:
            problems.append(f"Regel {line.id}: de verwijzing naar de vorige regel klopt niet (regel verwijderd, "
                            "ingevoegd of verplaatst).")  # fmt: skip
        expected = line_hash(line.prev_hash, line.at, line.by, line.action, line.detail, line.pupil_id,
                             line.old_value, line.new_value, line.reason)  # fmt: skip
        if line.hash != expected:
            problems.append(f"Regel {line.id}: de inhoud is gewijzigd na het vastleggen.")
        prev = line.hash
    return TrailCheck(count, prev, tuple(problems))
