"""The verbs of encryption at rest (issue 11 point 2; docs/security.md):

    verzuimdesk versleutel                    encrypt a plain database (beheerder; shows the herstelcode once)
    verzuimdesk herstelcode [--gebruiker N]   lost password: the herstelcode opens the file, a new password is set
    verzuimdesk herstelcode --nieuw [--pdf B] a new herstelcode for an encrypted database (beheerder)

The herstelcode comes from ``VERZUIMDESK_HERSTELCODE`` or a prompt; the new password from ``VERZUIMDESK_WACHTWOORD``
or a prompt (twice).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from verzuimdesk.cli.login import PASSWORD_ENV, print_recovery_code, read_password, user_name
from verzuimdesk.model.db import Database, default_url, normalise_url, sqlite_path
from verzuimdesk.model.dutch import plural
from verzuimdesk.model.errors import LoginError, VerzuimdeskError

CODE_ENV = "VERZUIMDESK_HERSTELCODE"


def register(subparsers: Any) -> None:
    subparsers.add_parser("versleutel", help="versleutel een onversleutelde database (alleen de beheerder); toont "
                                             "daarna eenmalig de herstelcode")  # fmt: skip
    code = subparsers.add_parser("herstelcode", help="wachtwoord kwijt: stel met de herstelcode een nieuw wachtwoord "
                                                     "in (--gebruiker NAAM), of maak met --nieuw een nieuwe code")
    code.add_argument("--nieuw", action="store_true", help="maak een nieuwe herstelcode (de oude werkt dan niet meer)")
    code.add_argument("--pdf", metavar="BESTAND", help="met --nieuw: bewaar de code ook als PDF om af te drukken")


def run(db: Database, args: argparse.Namespace) -> int:
    if args.verb == "versleutel":
        return _encrypt(db, args)
    return _new_code(db, args)


def _encrypt(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.security.encryption import encrypt_database

    assert db.actor is not None
    password = args.wachtwoord if getattr(args, "wachtwoord", None) else read_password(db.actor.username)
    result = encrypt_database(db, password, exclusive=True)
    result.db.close()
    print(f"De database is versleuteld (SQLCipher, AES-256): {sqlite_path(db.url)}. De onversleutelde kopie is "
          "gecontroleerd, overschreven en verwijderd.")  # fmt: skip
    print_recovery_code(result.code)
    if result.without_slot:
        print("Deze accounts kunnen pas weer inloggen nadat de beheerder hun een nieuw wachtwoord heeft gegeven "
              f"('verzuimdesk gebruiker wachtwoord NAAM'): {', '.join(result.without_slot)}.", file=sys.stderr)
    if result.encrypted_backups:
        print(f"Ook {plural(result.encrypted_backups, 'oudere reservekopie is', 'oudere reservekopieën zijn')} "
              "versleuteld.")  # fmt: skip
    if result.plain_backups:
        print(f"Let op: {plural(result.plain_backups, 'reservekopie kon', 'reservekopieën konden')} niet worden "
              "versleuteld. Verwijder ze als u ze niet meer nodig hebt (map met reservekopieën naast de database).",
              file=sys.stderr)  # fmt: skip
    return 0


def _new_code(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.security.encryption import new_code_for
    from verzuimdesk.reports.recovery import recovery_pdf

    code = new_code_for(db)
    print_recovery_code(code)
    if args.pdf:
        with db.session() as s:
            school = get_school(s)
        Path(args.pdf).write_bytes(recovery_pdf(code, school_name=school.name if school else ""))
        print(f"De herstelcode staat ook in {args.pdf}. Druk het af en verwijder het bestand daarna.", file=sys.stderr)
    return 0


def recover(database: str | None, username: str | None) -> int:
    """``verzuimdesk herstelcode``: without a log-in (the password is what was lost)."""
    from verzuimdesk.model.security.encryption import reset_password_with_code

    url = normalise_url(database) if database else default_url()
    try:
        name = user_name(username)
        code = os.environ.get(CODE_ENV)
        if code is None:
            if not sys.stdin.isatty():
                raise LoginError(f"Geef de herstelcode op in de omgevingsvariabele {CODE_ENV} of start de opdracht in "
                                 "een terminal.")
            code = input("Herstelcode (8 groepjes van 4 tekens): ")
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            password = read_password(f"{name} (nieuw)")
            if getpass.getpass("Nogmaals (nieuw wachtwoord): ") != password:
                raise LoginError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
        db = reset_password_with_code(url, code, name, password, exclusive=True)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    db.close()
    print(f"Het wachtwoord van '{name.strip().lower()}' is opnieuw ingesteld met de herstelcode (vastgelegd in het "
          "logboek). Log nu in met het nieuwe wachtwoord.")  # fmt: skip
    return 0
