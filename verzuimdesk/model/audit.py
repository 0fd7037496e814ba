"""The audit trail (logboek): who changed what, when, old → new and why (architecture.md §13, issue 10 §5).

Every write to the register, leave, meldingen, pupils, groups, timetables, reasons and settings calls
:func:`audit` inside the same transaction, so a change and its line are committed together or not at all.

Append-only and tamper-evident:
- the database refuses UPDATE and DELETE on the table (triggers made by migration 0004, SQLite and
  PostgreSQL alike), so the program itself cannot rewrite the trail;
- each line carries ``content_digest`` = SHA-256 over its content (detail, old, new, reason) and ``hash`` =
  SHA-256 over the previous line's hash, its time, user, action, pupil number and that digest (a hash chain).
  Someone who edits the file with other tools must recompute every later hash; :func:`verify_trail`
  (``verzuimdesk logboek --controleer``) finds any line whose fields, order or link no longer agree.
- **Erasure without breaking the chain** (AVG art. 5 sub 1e and art. 17): when a pupil's data is removed
  (retention purge, deletion on request), :func:`erase_pupil_lines` clears the *content* of that pupil's lines
  (names, old → new values, reasons) and marks them ``redacted``. The digest, time, user, action and link stay,
  so the chain still verifies and the trail still shows *that* something happened, not what. The database
  triggers (migration 0014) allow exactly this change and only for a pupil whose record is gone.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from verzuimdesk.model.actor import actor_of
from verzuimdesk.model.audit_names import TABLE_NAMES, TrailLine, readable
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


REDACTED = "(inhoud gewist: de gegevens van deze leerling zijn verwijderd)"


def content_digest(detail: str, old_value: str, new_value: str, reason: str) -> str:
    """SHA-256 (hex) over the content of a line (what erasure clears), as canonical JSON."""
    payload = json.dumps([detail, old_value, new_value, reason], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def line_hash(prev_hash: str, at: dt.datetime, by: str, action: str, pupil_id: int | None, digest: str) -> str:
    """SHA-256 (hex) over the previous hash, the line's time, user, action, pupil number and content digest.

    Migration 0014 holds a copy of this function (it re-chained the older lines); keep them equal."""
    payload = json.dumps([prev_hash, at.isoformat(timespec="microseconds"), by, action, pupil_id, digest],
                         ensure_ascii=False, separators=(",", ":"))
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
        line["content_digest"] = content_digest(line["detail"], line["old_value"], line["new_value"], line["reason"])
        line["hash"] = prev = line_hash(prev, line["at"], line["by"], line["action"], line["pupil_id"],
                                        line["content_digest"])
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
        "at": (at or _now(session)).replace(tzinfo=None), "by": by or _user(conn, session), "action": action,
        "detail": _short(detail), "pupil_id": pupil_id, "old_value": _short(old), "new_value": _short(new),
        "reason": reason.strip(),
    }  # fmt: skip
    (line["id"],) = _append(conn, [line])
    return AuditLog(**line)


# ------------------------------------------------------------------------------- every other table

# Tables whose changes the trail records field by field (issue 10 §5). The register (AbsenceEntry) is
# described per pupil-day by model/register/changes.py instead; the trail itself is not audited.
LABELS = TABLE_NAMES  # Dutch names (audit_names.py), also used to show older lines
NOT_AUDITED = {"auditlog", "absenceentry", "dutymark", "dutyscan"}  # the last two: derived from the register
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


HISTORY_CLOCK = "verzuimdesk.audit.history_clock"  # Session.info key; see history_time


@contextmanager
def history_time(session: Session, moment: dt.datetime) -> Iterator[None]:
    """Lines written inside this block carry ``moment`` instead of the wall clock: for generated history only
    (the demo school, an import of absence history), so its logboek reads as if the school did each thing on
    its own day. Screens never use it: their lines carry the moment they happen. Pending changes are flushed
    first (so they keep the time they belong to); the hash chain is unchanged: a line's time is one of its
    hashed fields, whatever it is, and the order of the chain is the order of writing."""
    session.flush()
    previous = session.info.get(HISTORY_CLOCK)
    session.info[HISTORY_CLOCK] = moment.replace(tzinfo=None)
    try:
        yield
        session.flush()
    finally:
        if previous is None:
            session.info.pop(HISTORY_CLOCK, None)
        else:
            session.info[HISTORY_CLOCK] = previous


def _now(session: Session) -> dt.datetime:
    moment = session.info.get(HISTORY_CLOCK)
    return moment if isinstance(moment, dt.datetime) else dt.datetime.now()


def _audit_flush(session: Session, _context: object) -> None:
    """After every flush: one line per inserted, changed or deleted row of an audited table."""
    changes = [(o, "toegevoegd") for o in session.new] + [(o, "gewijzigd") for o in session.dirty] + \
              [(o, "verwijderd") for o in session.deleted]  # fmt: skip
    if not changes:
        return
    conn = session.connection()
    at, by = _now(session), ""
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


def readable_trail(session: Session, *, pupil_id: int | None = None, start: dt.date | None = None,
                   end: dt.date | None = None, limit: int | None = None) -> list[TrailLine]:
    """:func:`trail` as a user reads it: Dutch names, pupils by name and number, Dutch dates (audit_names.py)."""
    return readable(session, trail(session, pupil_id=pupil_id, start=start, end=end, limit=limit))


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
    redacted: int = 0  # lines whose content was erased with the pupil's data (still linked and verified)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_trail(session: Session) -> TrailCheck:
    """Recompute the chain from the first line; every line whose link or hash differs is a problem."""
    prev = GENESIS
    count = redacted = 0
    problems: list[str] = []
    for line in session.exec(select(AuditLog).order_by(col(AuditLog.id))):
        count += 1
        if line.prev_hash != prev:
            problems.append(f"Regel {line.id}: de verwijzing naar de vorige regel klopt niet (regel verwijderd, "
                            "ingevoegd of verplaatst).")  # fmt: skip
        if line.hash != line_hash(line.prev_hash, line.at, line.by, line.action, line.pupil_id, line.content_digest):
            problems.append(f"Regel {line.id}: tijdstip, gebruiker, actie of leerling is gewijzigd na het vastleggen.")
        elif line.redacted:
            redacted += 1
        elif line.content_digest != content_digest(line.detail, line.old_value, line.new_value, line.reason):
            problems.append(f"Regel {line.id}: de inhoud is gewijzigd na het vastleggen.")
        prev = line.hash
    return TrailCheck(count, prev, tuple(problems), redacted)


def erase_pupil_lines(session: Session, pupil_ids: list[int]) -> int:
    """Clear the content of the trail's lines about these pupils, whose records must already be removed
    (AVG art. 17 / art. 5 sub 1e; see the module docstring). Returns the number of lines erased."""
    if not pupil_ids:
        return 0
    session.flush()
    table = AuditLog.__table__  # type: ignore[attr-defined]
    result = session.connection().execute(
        sa.update(table)
        .where(table.c.pupil_id.in_(pupil_ids), table.c.redacted.is_(False))
        .values(detail=REDACTED, old_value="", new_value="", reason="", redacted=True)
    )
    return int(result.rowcount or 0)
