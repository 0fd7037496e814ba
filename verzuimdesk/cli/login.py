"""Logging in on the command line, and which verb needs which permission (issue 11 point 1).

The user name comes from ``--gebruiker``, else ``VERZUIMDESK_GEBRUIKER``, else a prompt (``beheerder`` when there
is no terminal). The password comes from ``VERZUIMDESK_WACHTWOORD`` (for scripts and tests), else a prompt
without echo. A failed try waits before the program ends (1, 2, 4 … seconds), as in the GUI; an account is
locked after repeated failures.

A database without accounts (a new school, or one made before accounts existed) gets its first beheerder on
the first command: the user name as above (``beheerder`` when none is given), the password from
``VERZUIMDESK_WACHTWOORD`` or asked twice — as the GUI asks on its first start. On an encrypted database that
first account also makes the herstelcode, printed once.

An encrypted database (issue 11 point 2) cannot be opened before the log-in: :func:`unlock` reads the same user name
and password first and opens the file's key slot with them; then :func:`login` does the account check as always.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable

from verzuimdesk.model.actor import Actor
from verzuimdesk.model.board.access import authenticate_school
from verzuimdesk.model.db import Database, sqlite_path
from verzuimdesk.model.errors import AccessDeniedError, LoginError
from verzuimdesk.model.keyfile import take_recovery_code, unlock_with_password
from verzuimdesk.model.security.accounts import create_account, has_accounts
from verzuimdesk.model.security.encryption import login_needed
from verzuimdesk.model.security.roles import PERMISSIONS, ROLES

USER_ENV = "VERZUIMDESK_GEBRUIKER"
PASSWORD_ENV = "VERZUIMDESK_WACHTWOORD"
MAX_CLI_WAIT = 30.0

# Verb (and action) → permission; "" = every account. Verbs that print personal data say so in their help.
VERB_PERMISSIONS: dict[str, str] = {
    "info": "", "demo": "instellingen", "import": "instellingen", "cijfers": "overzichten",
    "signalen": "signalen", "overzicht": "overzichten", "verlof": "verlof", "verlof besluit-lpa": "verlof", "schoolgids": "overzichten",
    "evaluatie": "overzichten", "duo meldingen": "meldingen", "duo melding": "meldingen",
    "duo aggregaat": "overzichten", "brief": "dossier", "brieven": "dossier", "logboek": "privacy",
    "backup": "instellingen", "gebruiker": "gebruikers", "gebruiker wachtwoord": "", "inzage": "privacy",
    "opschonen": "privacy", "versleutel": "gebruikers", "herstelcode": "gebruikers",
    "bestuur": "",  # the board's verbs log in with a board account (cli/board.py)
    "bestuur maak": "", "bestuur school-toevoegen": "", "bestuur account": "", "bestuur toegang": "",
    "bestuur scholen": "", "bestuur overzicht": "", "bestuur accounts": "", "bestuur wachtwoord": "",
    "bestuur wijzig": "", "bestuur logboek": "",
}  # fmt: skip
PERSONAL_DATA_NOTE = " (toont persoonsgegevens van leerlingen)"


def verb_key(args: argparse.Namespace) -> str:
    verb = str(getattr(args, "verb", "") or "")
    action = getattr(args, f"{verb}_actie", None)
    return f"{verb} {action}" if action and f"{verb} {action}" in VERB_PERMISSIONS else verb


def check_verb(actor: Actor, args: argparse.Namespace) -> None:
    key = verb_key(args)
    permission = VERB_PERMISSIONS.get(key, "gebruikers")  # an unknown verb: beheerder only
    if permission and actor.role != "beheerder" and not actor.may(permission):
        label = ROLES[actor.role].label if actor.role in ROLES else actor.role
        raise AccessDeniedError(f"Uw account ({actor.username}, {label}) mag 'verzuimdesk {key}' niet gebruiken: "
                                f"{PERMISSIONS.get(permission, permission)}.")


def user_name(username: str | None) -> str:
    name = username or os.environ.get(USER_ENV, "").strip()
    if not name:
        name = input("Gebruikersnaam: ").strip() if sys.stdin.isatty() else "beheerder"
    return name


def read_password(name: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise LoginError(f"Geef het wachtwoord op in de omgevingsvariabele {PASSWORD_ENV} of start de opdracht "
                             "in een terminal.")
        password = getpass.getpass(f"Wachtwoord voor {name}: ")
    return password


def unlock(database: str | None, username: str | None, *,
           sleep: Callable[[float], None] | None = None) -> tuple[bytes | None, str | None, str | None]:
    """(key, user name, password) for an encrypted database, read before it is opened; (None, None, None) for a plain
    one. A wrong password waits as a failed log-in does (the file cannot count it: docs/security.md)."""
    db_file = login_needed(database)
    if db_file is None:
        return None, None, None
    name = user_name(username)
    password = read_password(name)
    try:
        return unlock_with_password(db_file, name, password), name, password
    except LoginError as exc:
        (sleep or time.sleep)(exc.wait_seconds)
        raise


def login(db: Database, username: str | None, *, password: str | None = None,
          sleep: Callable[[float], None] | None = None) -> Actor:
    """Ask for (or read) the user name and password and log in; raises :class:`LoginError` in Dutch."""
    with db.session() as s:
        first = not has_accounts(s) and db.school is None  # a school of a board: its board accounts log in
    name = user_name(username)
    if password is None:
        password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise LoginError(f"Geef het wachtwoord op in de omgevingsvariabele {PASSWORD_ENV} of start de opdracht "
                             "in een terminal.")
        password = getpass.getpass(f"Wachtwoord voor {name}: ")
        if first and getpass.getpass("Nogmaals (nieuw wachtwoord): ") != password:
            raise LoginError("De twee wachtwoorden zijn niet gelijk; er is geen account aangemaakt.")
    if first:
        with db.transaction() as s:
            create_account(s, name, password, "beheerder")
        print(f"Deze database had nog geen accounts: beheerder '{name.lower()}' is aangemaakt.", file=sys.stderr)
        db_file = sqlite_path(db.url)
        code = take_recovery_code(db_file) if db_file is not None else None
        if code:
            print_recovery_code(code)
    with db.transaction() as s:
        result = authenticate_school(s, name, password)  # a board account in a school of a board, else the school's
    if result.actor is None:
        (sleep or time.sleep)(min(result.wait_seconds, MAX_CLI_WAIT))
        raise LoginError(result.message, result.wait_seconds)
    db.actor = result.actor
    return result.actor


def print_recovery_code(code: str, *, demo: bool = False) -> None:
    """The herstelcode, once, with what to do with it (stderr: it does not belong in a redirected output)."""
    if demo:
        print(f"Herstelcode van de demoschool (demogegevens, mag worden getoond): {code}", file=sys.stderr)
        return
    print("\nHERSTELCODE (wordt maar één keer getoond):\n\n    " + code + "\n\n"
          "Schrijf de code op en bewaar hem op een veilige plek, niet bij de computer (een nieuwe code, ook als PDF om "
          "af te drukken: 'verzuimdesk herstelcode --nieuw --pdf BESTAND'). Met de herstelcode stelt u een nieuw wachtwoord in als het "
          "beheerderswachtwoord kwijt is ('verzuimdesk herstelcode'). Zonder wachtwoord én zonder herstelcode is de "
          "database niet meer te openen.\n", file=sys.stderr)
