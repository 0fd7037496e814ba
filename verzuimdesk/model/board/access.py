"""Logging in to one school of a board (issue 14 point 4; AVG art. 5 sub 1f and art. 32: access on a
need-to-know basis).

In a school of a board both kinds of account work: the board's accounts (``bestuur.account``), with the role
their grant gives them in *this* school, and the school's own accounts (its ``useraccount`` table, in its own
schema, so they never reach another school). A user name that is a board account is checked as one. A board
account without a grant for this school (or with the overview-only role "bestuur") is refused in Dutch.
Lockout and delays are those of the school accounts (``security/accounts.py``), counted on the board account.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from verzuimdesk.model.actor import Actor, actor_of
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import AccessDeniedError
from verzuimdesk.model.schemas import account_table, grant_table, is_board, school_table
from verzuimdesk.model.security.accounts import (
    WRONG,
    LoginResult,
    authenticate,
    delay_after,
    get_account,
    own_group_ids,
    security_setting,
)
from verzuimdesk.model.security.passwords import hash_password, needs_rehash, verify_password
from verzuimdesk.model.security.roles import ROLES, Role


def current_school_code(session: Session) -> str | None:
    """The board's code of the school this session is scoped to; None outside a board."""
    conn = session.connection()
    if not is_board(conn):
        return None
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    return conn.execute(sa.select(school_table.c.code).where(school_table.c.schema_name == schema)).scalar()


def authenticate_school(session: Session, username: str, password: str, *,
                        now: dt.datetime | None = None) -> LoginResult:
    """The log-in of the GUI and the CLI: a board account in a school of a board, else the school's own account
    (:func:`~verzuimdesk.model.security.accounts.authenticate`). Never raises for a wrong password (the failure
    must be committed); a board account without access to this school raises :class:`AccessDeniedError`."""
    code = current_school_code(session)
    if code is None:
        return authenticate(session, username, password, now=now)
    conn = session.connection()
    name = username.strip().lower()
    account = conn.execute(sa.select(account_table).where(account_table.c.username == name)).mappings().first()
    if account is None:
        return authenticate(session, username, password, now=now)
    now = now or dt.datetime.now()
    row = account_table.c
    if not account["active"]:
        return LoginResult(None, WRONG, delay_after(1))
    if account["locked_until"] is not None and account["locked_until"] > now:
        minutes = max(1, round((account["locked_until"] - now).total_seconds() / 60))
        return LoginResult(None, f"Dit account is geblokkeerd na te veel mislukte pogingen. Probeer het over {minutes} "
                                 "minuten opnieuw.", (account["locked_until"] - now).total_seconds())  # fmt: skip
    if not verify_password(account["password_hash"], password):
        failures = account["failed_attempts"] + 1
        message, wait, locked = WRONG, delay_after(failures), None
        if failures >= security_setting(session, "max_inlogpogingen"):
            minutes = security_setting(session, "blokkeer_minuten")
            locked, failures = now + dt.timedelta(minutes=minutes), 0
            message, wait = f"{WRONG} Het account is nu {minutes} minuten geblokkeerd.", minutes * 60.0
        conn.execute(account_table.update().where(row.id == account["id"]).values(failed_attempts=failures,
                                                                                  locked_until=locked))
        audit(session, "inloggen mislukt", f"{name} (bestuur)", by=name)
        return LoginResult(None, message, wait)
    role_key = conn.execute(sa.select(grant_table.c.role).where(grant_table.c.account_id == account["id"],
                                                                grant_table.c.school_code == code)).scalar()
    if role_key not in ROLES:
        conn.execute(account_table.update().where(row.id == account["id"]).values(failed_attempts=0))
        figures = (" U ziet de cijfers van deze school in het bestuursoverzicht: open de database zonder een "
                   "school te kiezen." if role_key == "bestuur" else "")  # the figures-only role (registry.py)
        raise AccessDeniedError(f"Uw bestuursaccount ({name}) heeft geen toegang tot school {code}. Vraag de "
                                f"bestuursbeheerder om toegang.{figures}")
    values: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
    if needs_rehash(account["password_hash"]):
        values["password_hash"] = hash_password(password)
    conn.execute(account_table.update().where(row.id == account["id"]).values(**values))
    audit(session, "ingelogd", f"{name} (bestuur, {ROLES[role_key].label})", by=name)
    return LoginResult(board_actor(session, name, account["full_name"], ROLES[role_key]))


def board_actor(session: Session, username: str, full_name: str, role: Role) -> Actor:
    """The actor of a board account in this school: the role of its grant; a leerkracht's own groups are those
    of the school's own account with the same name, when the school keeps one."""
    local = get_account(session, username)
    groups = own_group_ids(session, local.id or 0) if local is not None else frozenset()
    return Actor(username, role.key, role.permissions, groups, full_name)


def is_board_user(session: Session) -> bool:
    """Whether the logged-in user of this session is a board account (then the Bestuur screen is shown)."""
    actor = actor_of(session)
    if actor is None or current_school_code(session) is None:
        return False
    conn = session.connection()
    return conn.execute(sa.select(account_table.c.id).where(account_table.c.username == actor.username,
                                                            account_table.c.active == sa.true())).first() is not None
