"""``verzuimdesk gebruiker …``: accounts on the command line (issue 11 point 1).

    verzuimdesk gebruiker nieuw NAAM --rol R    a new account (beheerder only)
    verzuimdesk gebruiker lijst                 the accounts, their role and own groups
    verzuimdesk gebruiker wachtwoord NAAM       a new password (your own, or any as beheerder)
    verzuimdesk gebruiker wijzig NAAM …         role, own groups, on/off

A new password comes from ``VERZUIMDESK_NIEUW_WACHTWOORD`` (scripts, tests) or is asked twice without echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlmodel import select

from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.security.accounts import (
    create_account,
    list_accounts,
    own_group_ids,
    set_password,
    update_account,
)
from verzuimdesk.model.security.roles import ROLES
from verzuimdesk.model.tables import Group

NEW_PASSWORD_ENV = "VERZUIMDESK_NIEUW_WACHTWOORD"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("gebruiker", help="accounts: de eerste beheerder, nieuwe accounts, wachtwoorden")
    actions = parser.add_subparsers(dest="gebruiker_actie", metavar="ACTIE", required=True)
    new = actions.add_parser("nieuw", help="maak een account aan (alleen de beheerder)")
    new.add_argument("naam", help="gebruikersnaam")
    new.add_argument("--rol", required=True, choices=list(ROLES), help="beheerder, ib (intern begeleider) of leerkracht")
    new.add_argument("--volledig", default="", help="volledige naam")
    new.add_argument("--groep", action="append", default=[], help="eigen groep van een leerkracht (naam of sleutel)")
    actions.add_parser("lijst", help="toon de accounts met hun rol en eigen groepen")
    pw = actions.add_parser("wachtwoord", help="stel een nieuw wachtwoord in (het eigen, of als beheerder elk)")
    pw.add_argument("naam", help="gebruikersnaam")
    change = actions.add_parser("wijzig", help="wijzig rol, eigen groepen of zet een account aan of uit")
    change.add_argument("naam", help="gebruikersnaam")
    change.add_argument("--rol", choices=list(ROLES), help="nieuwe rol")
    change.add_argument("--groep", action="append", help="eigen groep (herhaal voor meer groepen)")
    onoff = change.add_mutually_exclusive_group()
    onoff.add_argument("--uit", action="store_true", help="schakel het account uit")
    onoff.add_argument("--aan", action="store_true", help="schakel het account weer in")


def new_password() -> str:
    value = os.environ.get(NEW_PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ValidationError(f"Geef het nieuwe wachtwoord op in {NEW_PASSWORD_ENV} of start de opdracht in een terminal.")
    first = getpass.getpass("Nieuw wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise ValidationError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


def _group_ids(db: Database, names: list[str]) -> tuple[int, ...]:
    with db.session() as s:
        groups = s.exec(select(Group)).all()
    out = []
    for name in names:
        match = [g.id for g in groups if name.strip().lower() in (g.key.lower(), g.name.lower()) and g.id is not None]
        if not match:
            raise ValidationError(f"Er is geen groep '{name}'.")
        out.append(match[0])
    return tuple(out)


def run(db: Database, args: argparse.Namespace) -> int:
    action = args.gebruiker_actie
    if action == "nieuw":
        groups = _group_ids(db, args.groep)
        password = new_password()
        with db.transaction() as s:
            create_account(s, args.naam, password, args.rol, full_name=args.volledig, group_ids=groups)
        print(f"Account '{args.naam.strip().lower()}' ({ROLES[args.rol].label}) aangemaakt.")
        return 0
    if action == "wachtwoord":
        actor = db.actor
        if actor is not None and actor.role != "beheerder" and args.naam.strip().lower() != actor.username:
            raise ValidationError("U kunt alleen uw eigen wachtwoord wijzigen; de beheerder stelt dat van een ander in.")
        password = new_password()
        with db.transaction() as s:
            set_password(s, args.naam, password)
        print("Het wachtwoord is gewijzigd.")
        return 0
    if action == "wijzig":
        groups = _group_ids(db, args.groep) if args.groep is not None else None
        with db.transaction() as s:
            update_account(s, args.naam, role_key=args.rol, group_ids=groups,
                           active=False if args.uit else (True if args.aan else None))  # fmt: skip
        print("Het account is gewijzigd.")
        return 0
    with db.session() as s:
        groups_by_id = {g.id: g.name for g in s.exec(select(Group)).all()}
        for a in list_accounts(s):
            own = ", ".join(groups_by_id.get(g, "?") for g in sorted(own_group_ids(s, a.id or 0)))
            state = "" if a.active else " (uitgeschakeld)"
            print(f"{a.username:<16} {ROLES[a.role].label:<18} {a.full_name}{state}" + (f" — groepen: {own}" if own else ""))
    return 0
