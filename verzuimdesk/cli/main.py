"""The ``verzuimdesk`` command: without a verb it opens the program; verbs work headless.

    verzuimdesk                         open the program (offers a demo school on an empty database)
    verzuimdesk demo                    fill an empty database with the demo school
    verzuimdesk import SOORT BESTAND    read EDEXML, leerlingen, groepen, inrichting or verzuim
    verzuimdesk figures …               attendance figures per pupil or group, as a table or JSON
    verzuimdesk info                    database, schema version and school
    verzuimdesk gebruiker …             accounts (cli/accounts.py)

Every verb except ``gui`` logs in first (cli/login.py: ``--gebruiker`` or ``VERZUIMDESK_GEBRUIKER``, the password
from ``VERZUIMDESK_WACHTWOORD`` or a prompt; the first command on a database without accounts creates the
beheerder) and is refused when the account's role does not allow it. Only ``demo`` on an empty database without
accounts runs without a log-in: it brings the demo accounts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Sequence

from verzuimdesk import __version__
from verzuimdesk.cli.common import parse_date
from verzuimdesk.cli.login import PERSONAL_DATA_NOTE, check_verb, login
from verzuimdesk.model.db import ENV_VAR, Database, default_url, open_database, url_for_display
from verzuimdesk.model.errors import VerzuimdeskError

IMPORT_KINDS = ("edexml", "leerlingen", "groepen", "inrichting", "verzuim")
# Verbs that live in their own module: each has register(subparsers) and run(db, args) -> int.
VERB_MODULES = {
    "signals": "verzuimdesk.cli.signals",
    "verlof": "verzuimdesk.cli.leave",
    "schoolgids": "verzuimdesk.cli.schoolgids",
    "evaluatie": "verzuimdesk.cli.schoolgids",
    "duo": "verzuimdesk.cli.duo",
    "gebruiker": "verzuimdesk.cli.accounts",
    "inzage": "verzuimdesk.cli.privacy",
    "opschonen": "verzuimdesk.cli.privacy",
}

# argparse's own texts in Dutch (it looks its gettext function up in its module at call time).
_ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "expected one argument": "verwacht één waarde",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
}
argparse._ = lambda text: _ARGPARSE_NL.get(text, text)  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verzuimdesk",
        description="Verzuimregistratie volgens de Leerplichtwet. Zonder opdracht opent het programma.",
    )
    parser.add_argument("--version", action="version", version=f"verzuimdesk {__version__}",
                        help="toon het versienummer en stop")
    parser.add_argument(
        "--database", metavar="URL",
        help=f"databasebestand of SQLAlchemy-URL (standaard: ${ENV_VAR} of {default_url()})",
    )  # fmt: skip
    parser.add_argument("--gebruiker", metavar="NAAM",
                        help="inloggen als deze gebruiker (standaard: $VERZUIMDESK_GEBRUIKER, anders gevraagd); het "
                             "wachtwoord komt uit $VERZUIMDESK_WACHTWOORD of wordt gevraagd")  # fmt: skip
    sub = parser.add_subparsers(dest="verb", metavar="OPDRACHT")

    gui = sub.add_parser("gui", help="open het programma (standaard)")
    gui.add_argument("--demo", action="store_true", help="vul een lege database eerst met de demoschool")

    demo = sub.add_parser("demo", help="vul een lege database met de demoschool")
    demo.add_argument("--vandaag", type=parse_date, help="doe alsof het vandaag deze datum is (voor tests)")

    imp = sub.add_parser("import", help="lees een bestand in (alles of niets)")
    imp.add_argument("soort", choices=IMPORT_KINDS, help="soort bestand")
    imp.add_argument("bestand", help="pad naar het bestand")

    fig = sub.add_parser("figures", help="aanwezigheidscijfers per leerling of groep" + PERSONAL_DATA_NOTE)
    fig.add_argument("--van", type=parse_date, help="begindatum (standaard: begin van het schooljaar)")
    fig.add_argument("--tot", type=parse_date, help="einddatum (standaard: vandaag)")
    fig.add_argument("--groep", help="alleen deze groep (naam of sleutel)")
    fig.add_argument("--leerling", help="alleen deze leerling (leerlingnummer)")
    fig.add_argument("--per", choices=("leerling", "groep", "week"), default="leerling",
                     help="een regel per leerling, per groep of per lesweek")
    fig.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub.add_parser("info", help="toon database, schemaversie en school")
    for module in dict.fromkeys(VERB_MODULES.values()):  # a module may add several verbs
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    verb = args.verb or "gui"
    if verb == "gui":
        from verzuimdesk.ui.app import run_gui

        return run_gui(args.database, demo_if_empty=getattr(args, "demo", False))
    try:
        db = open_database(args.database, exclusive=verb in ("demo", "import"))
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        if not _without_login(db, args):
            check_verb(login(db, args.gebruiker), args)
        if verb == "demo":
            return _demo(db, args.vandaag)
        if verb == "import":
            return _import(db, args.soort, args.bestand)
        if verb == "figures":
            return _figures(db, args)
        if verb in VERB_MODULES:
            return int(importlib.import_module(VERB_MODULES[verb]).run(db, args))
        return _info(db)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()


def _without_login(db: Database, args: argparse.Namespace) -> bool:
    """Loading the demo school into an empty database without accounts: it brings its own accounts."""
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.security.accounts import has_accounts

    with db.session() as s:
        if has_accounts(s):
            return False
        empty = get_school(s) is None
    return args.verb == "demo" and empty


def _demo(db: Database, today: dt.date | None) -> int:
    from verzuimdesk.demo import create_demo_school
    from verzuimdesk.model.school.records import get_school

    with db.session() as s:
        if get_school(s) is not None:
            print("Deze database heeft al een school; de demoschool is niet geladen.", file=sys.stderr)
            return 1
    from verzuimdesk.demo.accounts import demo_login_hint

    summary = create_demo_school(db, today=today)
    print(f"Demoschool geladen in {url_for_display(db.url)}: {summary}")
    print(demo_login_hint())
    return 0


def _import(db: Database, kind: str, path: str) -> int:
    from verzuimdesk.imports import run_import

    if not os.path.exists(path):
        print(f"Fout: het bestand {path} bestaat niet.", file=sys.stderr)
        return 1
    result = run_import(db, kind, path)
    print(result.summary())
    for warning in result.warnings:
        print(f"Let op: {warning}")
    return 0


def _figures(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.register.figure_rows import figures_rows

    with db.session() as s:
        rows = figures_rows(s, start=args.van, end=args.tot, group=args.groep, pupil=args.leerling, per=args.per)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print("Geen gegevens in deze periode.")
        return 0
    headers = list(rows[0].keys())
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in headers]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for r in rows:
        print("  ".join(str(r[h]).ljust(w) for h, w in zip(headers, widths)))
    return 0


def _info(db: Database) -> int:
    from verzuimdesk.model.db import current_revision
    from verzuimdesk.model.school.records import get_school

    with db.session() as s:
        school = get_school(s)
    print(f"Database:     {url_for_display(db.url)}")
    print(f"Schemaversie: {current_revision(db.engine)}")
    print(f"School:       {school.name + ' (' + school.brin + ')' if school else '(nog geen school)'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
