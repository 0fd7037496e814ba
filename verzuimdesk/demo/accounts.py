"""The demo school's accounts: one per role, with one documented password (README, login screen).

Only a database that holds the demo school gets them, and only when it has no accounts yet; the login screen
shows them while the setting "demo" is "ja". A real school never sees these: it creates its own beheerder.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from verzuimdesk.model.security.accounts import create_account, has_accounts

DEMO_PASSWORD = "wilgenhoek"
# (user name, full name, role, keys of own groups)
DEMO_ACCOUNTS = (
    ("beheerder", "Sandra Verhoef (administratie)", "beheerder", ()),
    ("ib", "Fatima el Amrani (intern begeleider)", "ib", ()),
    ("leerkracht", "P. van Dam (groep 5)", "leerkracht", ("5",)),
)


def add_demo_accounts(session: Session, group_ids: dict[str, int], now: dt.datetime | None = None) -> None:
    """The three demo accounts (password :data:`DEMO_PASSWORD`) unless the database already has accounts."""
    if has_accounts(session):
        return
    for username, full_name, role_key, groups in DEMO_ACCOUNTS:
        ids = tuple(group_ids[g] for g in groups if g in group_ids)
        create_account(session, username, DEMO_PASSWORD, role_key, full_name=full_name, group_ids=ids, now=now)


def demo_login_hint() -> str:
    names = ", ".join(f"'{u}'" for u, *_ in DEMO_ACCOUNTS)
    return f"Demoschool: log in als {names} met het wachtwoord '{DEMO_PASSWORD}'."
