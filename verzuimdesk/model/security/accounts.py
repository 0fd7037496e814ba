"""Accounts, log-in and lockout (issue 11 point 1; AVG art. 32: access control; NIST SP 800-63B §5.2.2:
limit failed attempts; OWASP Authentication Cheat Sheet: one message for a wrong name or password).

A failed log-in costs a growing delay (1, 2, 4 … at most 30 seconds before the next try); after
``max_inlogpogingen`` failures in a row the account is locked for ``blokkeer_minuten`` minutes. A success resets
the count. Every log-in, failed log-in and account change is in the audit trail (the password never is).

On an encrypted database every active account has a key slot (model/keyfile.py): creating an account or setting a
password writes the account's slot with the transaction, deactivating removes it (a reactivated account needs a new
password from the beheerder before it opens the file again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from verzuimdesk.model.actor import Actor
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import conflict, last_change, lock_row
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.keyfile import stage_password_slot, stage_removal
from verzuimdesk.model.security.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from verzuimdesk.model.security.roles import ROLES, role
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.model.tables import Group
from verzuimdesk.model.tables.security import UserAccount, UserGroup

# Security settings: key → (label, default, lowest, highest).
SECURITY_SETTINGS: dict[str, tuple[str, int, int, int]] = {
    "vergrendelen_na_minuten": ("Vergrendelen na (minuten zonder gebruik)", 10, 1, 120),
    "max_inlogpogingen": ("Account blokkeren na (mislukte pogingen)", 5, 3, 20),
    "blokkeer_minuten": ("Blokkeren gedurende (minuten)", 15, 1, 1440),
}
MAX_DELAY_SECONDS = 30.0
WRONG = "Onbekende gebruikersnaam of verkeerd wachtwoord."


def security_setting(session: Session, key: str) -> int:
    _label, default, lo, hi = SECURITY_SETTINGS[key]
    text = get_setting(session, key, "")
    return int(text) if text.isdigit() and lo <= int(text) <= hi else default


def save_security_setting(session: Session, key: str, value: int) -> int:
    label, _default, lo, hi = SECURITY_SETTINGS[key]
    if not lo <= value <= hi:
        raise ValidationError(f"{label}: geef een aantal van {lo} tot en met {hi} op.")
    set_setting(session, key, str(value))
    audit(session, "instelling beveiliging", f"{key}={value}")
    return value


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` failed tries in a row: 1, 2, 4, … at most 30."""
    return 0.0 if failures <= 0 else min(MAX_DELAY_SECONDS, 2.0 ** (failures - 1))


# ------------------------------------------------------------------------------------------ accounts


def has_accounts(session: Session) -> bool:
    return bool(session.exec(select(func.count()).select_from(UserAccount)).one())


def get_account(session: Session, username: str) -> UserAccount | None:
    return session.exec(select(UserAccount).where(UserAccount.username == username.strip().lower())).first()


def list_accounts(session: Session) -> list[UserAccount]:
    return list(session.exec(select(UserAccount).order_by(col(UserAccount.username))).all())


def own_group_ids(session: Session, user_id: int) -> frozenset[int]:
    return frozenset(session.exec(select(UserGroup.group_id).where(UserGroup.user_id == user_id)).all())


def actor_for(session: Session, account: UserAccount) -> Actor:
    r = ROLES[account.role]
    return Actor(account.username, r.key, r.permissions, own_group_ids(session, account.id or 0), account.full_name)


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not name or not all(c.isalnum() or c in "._-" for c in name) or len(name) > 40:
        raise ValidationError("Een gebruikersnaam bestaat uit letters, cijfers, punt, streepje of liggend streepje.")
    return name


def create_account(session: Session, username: str, password: str, role_key: str, *, full_name: str = "",
                   group_ids: tuple[int, ...] = (), now: dt.datetime | None = None) -> UserAccount:
    """A new account (the first one must be a beheerder). Audited without the password."""
    name = _check_username(username)
    role(role_key)
    check_new_password(password)
    if get_account(session, name) is not None:
        raise ValidationError(f"De gebruikersnaam '{name}' bestaat al.")
    first = not has_accounts(session)
    if first and role_key != "beheerder":
        raise ValidationError("Het eerste account is dat van de beheerder.")
    account = UserAccount(username=name, full_name=full_name.strip(), role=role_key, password_hash=hash_password(password),
                          created_at=now or dt.datetime.now())  # fmt: skip
    session.add(account)
    session.flush()
    stage_password_slot(session, name, password)
    _set_groups(session, account, group_ids)
    # the first beheerder creates itself: nobody is logged in yet
    audit(session, "account aangemaakt", f"{name} ({ROLES[role_key].label})", by=name if first else None)
    return account


def _set_groups(session: Session, account: UserAccount, group_ids: tuple[int, ...]) -> None:
    for link in session.exec(select(UserGroup).where(UserGroup.user_id == account.id)).all():
        session.delete(link)
    for gid in sorted(set(group_ids)):
        if session.get(Group, gid) is None:
            raise ValidationError(f"Groep {gid} bestaat niet.")
        session.add(UserGroup(user_id=account.id or 0, group_id=gid))
    session.flush()


def update_account(session: Session, username: str, *, role_key: str | None = None, active: bool | None = None,
                   group_ids: tuple[int, ...] | None = None, full_name: str | None = None,
                   seen: AccountRow | None = None) -> UserAccount:
    """Change an account. ``seen``: the account as the screen listed it; when its role, name, own groups or
    active state changed meanwhile on another PC, the change is a conflict (issue 14). No row version here: the row
    also changes at every log-in (last log-in, failed attempts), which must not make the beheerder's save stale."""
    account = _existing(session, username)
    if seen is not None:
        _check_seen(session, account, seen, role_key=role_key, active=active, group_ids=group_ids,
                    full_name=full_name)  # fmt: skip
    if role_key is not None:
        role(role_key)
    leaves_admin = (role_key not in (None, "beheerder") or active is False) and account.role == "beheerder"
    if leaves_admin and _active_admins(session) <= 1:
        raise ValidationError("Er moet altijd minstens één actieve beheerder zijn.")
    changes = []
    if role_key is not None and role_key != account.role:
        account.role = role_key
        changes.append(f"rol {ROLES[role_key].label}")
    if active is not None and active != account.active:
        account.active = active
        changes.append("actief" if active else "uitgeschakeld")
        if not active:
            stage_removal(session, account.username)
    if full_name is not None:
        account.full_name = full_name.strip()
    if group_ids is not None:
        _set_groups(session, account, group_ids)
        changes.append(f"{len(group_ids)} eigen groep(en)")
    session.add(account)
    session.flush()
    audit(session, "account gewijzigd", f"{account.username}: {', '.join(changes) or 'gegevens'}")
    return account


def _check_seen(session: Session, account: UserAccount, seen: AccountRow, **attempt: object) -> None:
    locked = lock_row(session, UserAccount, account.id)
    assert locked is not None and locked.id is not None
    now = (locked.role, tuple(sorted(own_group_ids(session, locked.id))), locked.full_name, locked.active)
    if now == (seen.role, tuple(sorted(seen.group_ids)), seen.full_name, seen.active):
        return
    line = last_change(session, action_like="account%", detail_like=f"{locked.username}:%")
    shown = {"role_key": lambda v: f"rol: {ROLES[str(v)].label}", "active": lambda v: f"actief: {'ja' if v else 'nee'}",
             "group_ids": lambda v: f"eigen groepen: {len(v)}", "full_name": lambda v: f"naam: {v}"}
    tried = [shown[k](v) for k, v in attempt.items() if v is not None]
    raise conflict(f"Het account {locked.username}", line.by if line else "", line.at if line else None, tried)


def set_password(session: Session, username: str, new_password: str) -> str:
    """A new password (by the user, or by a beheerder for a user who lost it); also lifts a lockout."""
    account = _existing(session, username)
    check_new_password(new_password)
    account.password_hash = hash_password(new_password)
    account.failed_attempts, account.locked_until = 0, None
    session.add(account)
    session.flush()
    stage_password_slot(session, account.username, new_password)
    audit(session, "wachtwoord gewijzigd", account.username)
    return account.username


def _existing(session: Session, username: str) -> UserAccount:
    account = get_account(session, username)
    if account is None:
        raise ValidationError(f"Er is geen account '{username}'.")
    return account


def _active_admins(session: Session) -> int:
    rows = session.exec(select(UserAccount).where(UserAccount.role == "beheerder", UserAccount.active == True))  # noqa: E712
    return len(rows.all())


# ------------------------------------------------------------------------------------------ log-in


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a try; stored in the caller's transaction whatever it is (failures count too)."""

    actor: Actor | None
    message: str = ""
    wait_seconds: float = 0.0


def authenticate(session: Session, username: str, password: str, *, now: dt.datetime | None = None) -> LoginResult:
    """Check a user name and password. Never raises for a wrong password: the failure must be committed."""
    now = now or dt.datetime.now()
    account = get_account(session, username)
    if account is None or not account.active:
        audit(session, "inloggen mislukt", f"onbekend of uitgeschakeld account '{username.strip()[:40]}'",
              by=username.strip()[:40] or "?")
        return LoginResult(None, WRONG, delay_after(1))
    if account.locked_until is not None and account.locked_until > now:
        minutes = max(1, round((account.locked_until - now).total_seconds() / 60))
        return LoginResult(None, f"Dit account is geblokkeerd na te veel mislukte pogingen. Probeer het over {minutes} "
                                 "minuten opnieuw, of vraag de beheerder een nieuw wachtwoord in te stellen.",
                           (account.locked_until - now).total_seconds())  # fmt: skip
    if not verify_password(account.password_hash, password):
        account.failed_attempts += 1
        message, wait = WRONG, delay_after(account.failed_attempts)
        if account.failed_attempts >= security_setting(session, "max_inlogpogingen"):
            minutes = security_setting(session, "blokkeer_minuten")
            account.locked_until = now + dt.timedelta(minutes=minutes)
            account.failed_attempts = 0
            message = (f"{WRONG} Het account is nu {minutes} minuten geblokkeerd na te veel mislukte pogingen.")
            wait = minutes * 60.0
        session.add(account)
        audit(session, "inloggen mislukt", account.username, by=account.username)
        return LoginResult(None, message, wait)
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.failed_attempts, account.locked_until, account.last_login = 0, None, now
    session.add(account)
    session.flush()
    audit(session, "ingelogd", account.username, by=account.username)
    return LoginResult(actor_for(session, account))


def roles_in_use(session: Session) -> dict[str, int]:
    """Active accounts per role (key → count), for the schoolgids's privacy part."""
    out: dict[str, int] = {}
    for account in session.exec(select(UserAccount).where(UserAccount.active == True)).all():  # noqa: E712
        out[account.role] = out.get(account.role, 0) + 1
    return out


@dataclass(frozen=True)
class AccountRow:
    username: str
    full_name: str
    role: str
    role_label: str
    groups: str
    group_ids: tuple[int, ...]
    active: bool
    last_login: dt.datetime | None
    locked_until: dt.datetime | None


def account_rows(session: Session) -> list[AccountRow]:
    """The accounts for the Accounts screen (no hashes)."""
    names = {g.id: g.name for g in session.exec(select(Group)).all()}
    out = []
    for a in list_accounts(session):
        ids = tuple(sorted(own_group_ids(session, a.id or 0)))
        out.append(AccountRow(a.username, a.full_name, a.role, ROLES[a.role].label,
                              ", ".join(names.get(i, "?") for i in ids), ids, a.active, a.last_login,
                              a.locked_until))  # fmt: skip
    return out
