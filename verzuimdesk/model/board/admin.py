"""Managing the board's accounts and reading the board's logboek (issue 14 point 4; AVG art. 32: who may see
which school, and every change of that, is traceable).

Choices (docs/postgresql.md §8 "Board accounts"):

- Only a bestuursbeheerder lists the accounts, changes another account's password, disables or enables an account
  and reads the logboek (it names accounts and their access). Every board account may change its own password.
- The board must keep an active bestuursbeheerder: the last one cannot be disabled, not even by itself.
- A disabled account cannot log in (the board's verbs, the board window, a school of the board); its grants are
  kept, so enabling it gives back what it had. Enabling also lifts a lockout after wrong passwords.
- The logboek records who made the board, added schools and accounts, gave or took access, changed a password
  (never the password itself), disabled or enabled an account, and exported the board overview. It is
  hash-chained as a school's audit trail (``model/audit.py``; ``registry.write_log``): :func:`verify_board_log`
  recomputes the chain, so a line changed, removed or inserted with other tools shows. As in a school, removing the
  newest lines cannot be seen from the chain alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import GENESIS, TrailCheck
from verzuimdesk.model.board.registry import Board, account_id_of, log_line_hash, require_board_admin, write_log
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.schemas import account_table, board_log_table, grant_table
from verzuimdesk.model.security.passwords import check_new_password, hash_password

ROLE_TEXTS = {"beheerder": "beheerder", "ib": "intern begeleider", "leerkracht": "leerkracht",
              "bestuur": "alleen cijfers"}  # fmt: skip


@dataclass(frozen=True)
class BoardAccount:
    """A board account as the bestuursbeheerder sees it (no password hash)."""

    username: str
    full_name: str
    board_admin: bool
    active: bool
    locked: bool
    grants: tuple[tuple[str, str], ...]  # (school code, role), in the order of the codes

    @property
    def grants_text(self) -> str:
        """The schools and roles, as the Accounts tab lists them; the bestuursbeheerder sees every school's figures
        (model/board/registry.py ``granted_schools``) and opens only the granted ones."""
        granted = ", ".join(f"{code} ({ROLE_TEXTS.get(role, role)})" for code, role in self.grants)
        if self.board_admin:
            return "cijfers van alle scholen" + (f"; {granted}" if granted else "")
        return granted or "geen school"


@dataclass(frozen=True)
class BoardLogLine:
    """One line of the board's logboek: who did what, when."""

    at: dt.datetime
    by: str
    action: str
    detail: str

    @property
    def text(self) -> str:
        """'03-11-2025 14:05 — bestuurder: toegang gegeven (directeur: 12AB00 als beheerder)'."""
        return f"{dutch.date_time_short(self.at)} — {self.by}: {self.action}" + (f" ({self.detail})" if self.detail else "")


def _name(username: str) -> str:
    return username.strip().lower()


def board_accounts(board: Board, by: str, *, now: dt.datetime | None = None) -> list[BoardAccount]:
    """Every board account with its grants, by user name (the bestuursbeheerder only)."""
    require_board_admin(board, by, "de bestuursaccounts bekijken")
    now = now or dt.datetime.now()
    with board.engine.connect() as conn:
        grants: dict[int, list[tuple[str, str]]] = {}
        for account_id, code, role in conn.execute(sa.select(grant_table.c.account_id, grant_table.c.school_code,
                                                             grant_table.c.role).order_by(grant_table.c.school_code)):
            grants.setdefault(account_id, []).append((code, role))
        rows = conn.execute(sa.select(account_table).order_by(account_table.c.username)).mappings().all()
        return [BoardAccount(r["username"], r["full_name"], bool(r["board_admin"]), bool(r["active"]),
                             r["locked_until"] is not None and r["locked_until"] > now,
                             tuple(grants.get(r["id"], ()))) for r in rows]  # fmt: skip


def change_board_password(board: Board, username: str, new_password: str, *, by: str) -> str:
    """A new password for ``username``: one's own, or any as bestuursbeheerder. Lifts a lockout. Returns the
    account's user name."""
    name = _name(username)
    if name != _name(by):
        require_board_admin(board, by, "het wachtwoord van een ander bestuursaccount wijzigen")
    check_new_password(new_password)
    with board.engine.begin() as conn:
        account_id = account_id_of(conn, name)
        conn.execute(account_table.update().where(account_table.c.id == account_id).values(
            password_hash=hash_password(new_password), failed_attempts=0, locked_until=None))  # fmt: skip
        write_log(conn, _name(by), "wachtwoord gewijzigd", name if name != _name(by) else "eigen wachtwoord")
    return name


def set_board_account_active(board: Board, username: str, active: bool, *, by: str) -> bool:
    """Disable or enable a board account (the bestuursbeheerder only); False when it already was so. The last
    active bestuursbeheerder cannot be disabled."""
    require_board_admin(board, by, "bestuursaccounts uit- of inschakelen")
    name = _name(username)
    with board.engine.begin() as conn:
        account_id = account_id_of(conn, name)
        row = conn.execute(sa.select(account_table.c.active, account_table.c.board_admin)
                           .where(account_table.c.id == account_id)).one()
        if bool(row.active) == active:
            return False
        if not active and row.board_admin:
            admins = conn.execute(sa.select(sa.func.count()).select_from(account_table).where(
                account_table.c.board_admin == sa.true(), account_table.c.active == sa.true())).scalar()  # fmt: skip
            if (admins or 0) <= 1:  # only oneself can be the last: whoever disables is an active one
                raise ValidationError("Het bestuur moet een actieve bestuursbeheerder houden: u bent de laatste en "
                                      "kunt uw eigen account niet uitschakelen. Maak eerst een andere "
                                      "bestuursbeheerder.")  # fmt: skip
        values: dict[str, object] = {"active": active}
        if active:
            values.update(failed_attempts=0, locked_until=None)
        conn.execute(account_table.update().where(account_table.c.id == account_id).values(**values))
        write_log(conn, _name(by), "account ingeschakeld" if active else "account uitgeschakeld", name)
    return True


def log_overview_export(board: Board, kind: str, on: dt.date, *, by: str) -> None:
    """Record that ``by`` exported the board overview (``kind``: 'PDF' or 'Excel') as of ``on``."""
    with board.engine.begin() as conn:
        write_log(conn, _name(by), "bestuursoverzicht geëxporteerd", f"{kind}, stand {dutch.date_short(on)}")


def board_log_lines(board: Board, by: str, *, newest_first: bool = True,
                    limit: int | None = None) -> list[BoardLogLine]:
    """The board's logboek (the bestuursbeheerder only)."""
    require_board_admin(board, by, "het logboek van het bestuur lezen")
    order = board_log_table.c.id.desc() if newest_first else board_log_table.c.id
    query = sa.select(board_log_table.c.at, board_log_table.c.by, board_log_table.c.action,
                      board_log_table.c.detail).order_by(order)  # fmt: skip
    if limit is not None:
        query = query.limit(limit)
    with board.engine.connect() as conn:
        return [BoardLogLine(r[0], r[1], r[2], r[3]) for r in conn.execute(query)]


def verify_board_log(board: Board, by: str) -> TrailCheck:
    """Recompute the board logboek's hash chain from the first line (the bestuursbeheerder only); every line whose
    link or hash differs is a problem, in Dutch."""
    require_board_admin(board, by, "het logboek van het bestuur controleren")
    t = board_log_table.c
    prev, count = GENESIS, 0
    problems: list[str] = []
    with board.engine.connect() as conn:
        for row in conn.execute(sa.select(t.id, t.at, t.by, t.action, t.detail, t.prev_hash, t.hash).order_by(t.id)):
            count += 1
            if row.prev_hash != prev:
                problems.append(f"Regel {row.id}: de verwijzing naar de vorige regel klopt niet (regel verwijderd, "
                                "ingevoegd of verplaatst).")  # fmt: skip
            if row.hash != log_line_hash(row.prev_hash or "", row.at, row.by, row.action, row.detail):
                problems.append(f"Regel {row.id}: tijdstip, gebruiker, actie of bijzonderheden zijn gewijzigd na het "
                                "vastleggen.")  # fmt: skip
            prev = row.hash or ""
    return TrailCheck(count, prev, tuple(problems))
