"""The ``verzuimdesk`` command: without a verb it opens the program; verbs work headless.

    verzuimdesk                         open the program (offers a demo school on an empty database)
    verzuimdesk demo                    fill an empty database with the demo school
    verzuimdesk import SOORT BESTAND    read EDEXML, leerlingen, groepen, inrichting or verzuim (with options)
    verzuimdesk cijfers …               attendance figures per pupil or group, as a table or JSON
    verzuimdesk info                    database, schema version and school
    verzuimdesk logboek …               the audit trail (and --controleer: the hash chain)
    verzuimdesk backup / herstel BESTAND  make a verified backup / put one back
    verzuimdesk gebruiker / inzage / opschonen  accounts, a pupil's inzage export, the purge
    verzuimdesk bestuur …               a board with several schools in PostgreSQL (cli/board.py); one of its
                                        schools is opened with --school BRINVESTIGING
    verzuimdesk versleutel / herstelcode  encrypt a plain database / a new password with the herstelcode

Verb names are Dutch; the English names of earlier versions (``figures``, ``signals``) stay as aliases.

Verbs that write take the instance lock: while the program has the file open they are refused; verbs
that only read keep working.

Every verb except ``gui`` logs in first (cli/login.py: ``--gebruiker`` or ``VERZUIMDESK_GEBRUIKER``, the password
from ``VERZUIMDESK_WACHTWOORD`` or a prompt; the first command on a database without accounts creates the
beheerder) and is refused when the account's role does not allow it. Only ``demo`` on an empty database without
accounts runs without a log-in: it brings the demo accounts. An encrypted database is unlocked with the same user
name and password before it is opened (cli/login.py ``unlock``); ``herstelcode`` opens it with the herstelcode.
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
from verzuimdesk.cli.common import parse_date, print_table
from verzuimdesk.cli.login import PERSONAL_DATA_NOTE, check_verb, login, unlock
from verzuimdesk.imports import KINDS as IMPORT_KIND_TEXTS
from verzuimdesk.model.db import ENV_VAR, Database, default_url, open_database, sqlite_path, url_for_display
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.startup import resume_collector

IMPORT_KINDS = tuple(IMPORT_KIND_TEXTS)
# Verbs that live in their own module: each has register(subparsers) and run(db, args) -> int.
VERB_MODULES = {
    "signalen": "verzuimdesk.cli.signals",
    "overzicht": "verzuimdesk.cli.overviews",
    "verlof": "verzuimdesk.cli.leave",
    "schoolgids": "verzuimdesk.cli.schoolgids",
    "evaluatie": "verzuimdesk.cli.schoolgids",
    "duo": "verzuimdesk.cli.duo",
    "brief": "verzuimdesk.cli.letters",
    "brieven": "verzuimdesk.cli.letters",
    "logboek": "verzuimdesk.cli.safety",
    "backup": "verzuimdesk.cli.safety",
    "gebruiker": "verzuimdesk.cli.accounts",
    "versleutel": "verzuimdesk.cli.encryption",
    "herstelcode": "verzuimdesk.cli.encryption",
    "inzage": "verzuimdesk.cli.privacy",
    "opschonen": "verzuimdesk.cli.privacy",
    "bestuur": "verzuimdesk.cli.board",
}
# English verb names of earlier versions, still accepted (argparse aliases): alias -> Dutch verb.
VERB_ALIASES = {"figures": "cijfers", "signals": "signalen"}

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
    "one of the arguments %s is required": "kies één van: %s",
    "not allowed with argument %s": "kan niet samen met %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "ignored explicit argument %r": "overbodige waarde %r",
    "expected at most one argument": "verwacht hooguit één waarde",
}
argparse._ = lambda text: _ARGPARSE_NL.get(text, text)  # type: ignore[attr-defined]


def build_parser(all_verbs: bool = True) -> argparse.ArgumentParser:
    """The command's parser; ``all_verbs=False`` leaves out the verbs that live in their own module (importing them
    costs about a tenth of a second, which opening the program does not need: :func:`main`)."""
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
    parser.add_argument("--school", metavar="BRINVESTIGING",
                        help="open deze school van een bestuur (PostgreSQL met meerdere scholen), bijvoorbeeld "
                             "12AB00 (standaard: $VERZUIMDESK_SCHOOL)")  # fmt: skip
    sub = parser.add_subparsers(dest="verb", metavar="OPDRACHT")

    gui = sub.add_parser("gui", help="open het programma (standaard)")
    gui.add_argument("--demo", action="store_true", help="vul een lege database eerst met de demoschool")
    gui.add_argument("--sluit-na", type=float, metavar="SECONDEN", dest="close_after",
                     help="sluit het programma na zoveel seconden (rooktest van een installatie)")

    demo = sub.add_parser("demo", help="vul een lege database met de demoschool")
    demo.add_argument("--vandaag", type=parse_date, help="doe alsof het vandaag deze datum is (voor tests)")

    imp = sub.add_parser(
        "import", help="lees een bestand in (alles of niets)",
        description="Lees een bestand in, alles of niets: bij één fout verandert er niets. Soorten: "
                    + "; ".join(f"{k}: {v}" for k, v in IMPORT_KIND_TEXTS.items()) + ".",
    )  # fmt: skip
    imp.add_argument("soort", metavar="SOORT", choices=IMPORT_KINDS, help=f"soort bestand: {', '.join(IMPORT_KINDS)}")
    imp.add_argument("bestand", metavar="BESTAND", help="pad naar het bestand")
    imp.add_argument("--vanaf", type=parse_date, metavar="DATUM",
                     help="edexml, leerlingen: plaats de leerlingen vanaf deze datum in hun groep (standaard: het "
                          "begin van het huidige schooljaar, of de inschrijfdatum als die later is)")  # fmt: skip
    imp.add_argument("--groepen-aanmaken", action="store_true",
                     help="leerlingen: maak een groep die nog niet bestaat aan (anders is dat een fout)")
    imp.add_argument("--schoolnaam", metavar="NAAM", help="edexml: naam van de school als die nog niet is ingericht")
    imp.add_argument("--regio", choices=("noord", "midden", "zuid"),
                     help="edexml: vakantieregio van een nieuwe school (standaard midden)")
    imp.add_argument("--sector", choices=("po", "sbo", "so", "vso"), help="edexml: sector van een nieuwe school "
                     "(standaard po)")  # fmt: skip
    imp.add_argument("--vandaag", type=parse_date, metavar="DATUM",
                     help="doe alsof het vandaag deze datum is (bepaalt het huidige schooljaar)")

    fig = sub.add_parser("cijfers", aliases=["figures"], help="aanwezigheidscijfers per leerling, groep of lesweek" + PERSONAL_DATA_NOTE,
                         description="Toon de aanwezigheidscijfers in klokuren en procenten, berekend uit het "
                                     "rooster van elke leerling.")  # fmt: skip
    fig.add_argument("--van", type=parse_date, help="begindatum (standaard: begin van het schooljaar)")
    fig.add_argument("--tot", type=parse_date, help="einddatum (standaard: vandaag)")
    fig.add_argument("--groep", help="alleen deze groep (naam of sleutel)")
    fig.add_argument("--leerling", help="alleen deze leerling (leerlingnummer)")
    fig.add_argument("--per", choices=("leerling", "groep", "week"), default="leerling",
                     help="een regel per leerling, per groep of per lesweek")
    fig.add_argument("--json", action="store_true", help="uitvoer als JSON")

    sub.add_parser("info", help="toon database, schemaversie en school")
    # "herstel" is run before the database is opened (it may be damaged); its parser is in cli/safety.py
    for module in dict.fromkeys(VERB_MODULES.values()) if all_verbs else ():  # a module may add several verbs
        importlib.import_module(module).register(sub)
    return parser


GLOBAL_OPTIONS_WITH_VALUE = ("--database", "--gebruiker", "--school")


def _opens_the_program(words: Sequence[str]) -> bool:
    """Whether the command line opens the program (no verb, or ``gui``) without asking for the full help: then the
    verbs of their own modules are not needed (see :func:`build_parser`)."""
    value_follows = False
    for word in words:
        if value_follows:
            value_follows = False
        elif word in GLOBAL_OPTIONS_WITH_VALUE:
            value_follows = True
        elif word in ("-h", "--help"):
            return False
        elif not word.startswith("-"):
            return word == "gui"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(all_verbs=not _opens_the_program(words)).parse_args(words)
    verb = args.verb = VERB_ALIASES.get(args.verb, args.verb) or "gui"
    if verb != "gui":  # the program resumes it once its window is shown (ui/app.py)
        resume_collector()
    if verb == "bestuur":  # the board's own verbs: a board account, no school opened
        from verzuimdesk.cli.board import run_board

        return run_board(args)
    if verb == "gui":
        from verzuimdesk.ui.app import run_gui

        if args.school:  # the program (and a restore it offers) opens this school of the board
            from verzuimdesk.model.schemas import SCHOOL_ENV

            os.environ[SCHOOL_ENV] = args.school

        return run_gui(args.database, demo_if_empty=getattr(args, "demo", False),
                       close_after=getattr(args, "close_after", None))
    if verb == "herstel":
        from verzuimdesk.cli.safety import restore

        return restore(args.database, args.bestand, args.gebruiker)
    if verb == "herstelcode" and not args.nieuw:
        from verzuimdesk.cli.encryption import recover

        return recover(args.database, args.gebruiker)
    try:
        key, name, password = unlock(args.database, args.gebruiker)
        db = open_database(args.database, exclusive=writes(args), key=key, school=args.school)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    args.wachtwoord = password
    try:
        if not _without_login(db, args):
            check_verb(login(db, name or args.gebruiker, password=password), args)
        if verb == "demo":
            return _demo(db, args.vandaag)
        if verb == "import":
            return _import(db, args)
        if verb == "cijfers":
            return _figures(db, args)
        if verb in VERB_MODULES:
            return int(importlib.import_module(VERB_MODULES[verb]).run(db, args))
        return _info(db)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the output went into a program that stopped reading (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        db.close()


def writes(args: argparse.Namespace) -> bool:
    """Whether the verb writes to the database (then it needs the instance lock; issue 10 §8)."""
    if args.verb in ("demo", "import", "versleutel"):
        return True
    if args.verb == "duo":  # every export is recorded; only a preview of the aggregate reads
        return not (getattr(args, "duo_actie", "") == "aggregaat" and not args.xml and not args.csv)
    if args.verb == "verlof":  # recording the leerplichtambtenaar's decision writes; the rest reads
        return getattr(args, "verlof_actie", "") == "besluit-lpa"
    return False  # figures, info, logboek, backup, signals (its default rules are written once), verlof, …


def _without_login(db: Database, args: argparse.Namespace) -> bool:
    """Loading the demo school into an empty database without accounts: it brings its own accounts."""
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.security.accounts import has_accounts

    if db.school is not None:  # a school of a board: its board accounts log in, always
        return False
    with db.session() as s:
        if has_accounts(s):
            return False
        empty = get_school(s) is None
    return args.verb == "demo" and empty


def _demo(db: Database, today: dt.date | None) -> int:
    from verzuimdesk.cli.login import print_recovery_code
    from verzuimdesk.demo import create_demo_school
    from verzuimdesk.model.keyfile import take_recovery_code
    from verzuimdesk.model.school.records import get_school

    with db.session() as s:
        if get_school(s) is not None:
            print("Deze database heeft al een school; de demoschool is niet geladen.", file=sys.stderr)
            return 1
    from verzuimdesk.demo.accounts import demo_login_hint

    summary = create_demo_school(db, today=today)
    print(f"Demoschool geladen in {url_for_display(db.url)}: {summary}")
    print(demo_login_hint())
    db_file = sqlite_path(db.url)
    code = take_recovery_code(db_file) if db_file is not None else None
    if code:
        print_recovery_code(code, demo=True)
    return 0


# Which import takes which option: command-line option -> (keyword of the importer, kinds that take it).
IMPORT_OPTIONS = {
    "vanaf": ("membership_from", ("edexml", "leerlingen")),
    "groepen_aanmaken": ("create_groups", ("leerlingen",)),
    "schoolnaam": ("school_name", ("edexml",)),
    "regio": ("region", ("edexml",)),
    "sector": ("sector", ("edexml",)),
    "vandaag": ("today", ("edexml", "leerlingen")),
}


def import_options(args: argparse.Namespace) -> dict[str, object]:
    """The importer's keyword options from the command line; an option the kind does not take is an error."""
    options: dict[str, object] = {}
    for name, (keyword, kinds) in IMPORT_OPTIONS.items():
        value = getattr(args, name, None)
        if value in (None, False):
            continue
        if args.soort not in kinds:
            flag = "--" + name.replace("_", "-")
            raise VerzuimdeskError(f"{flag} hoort niet bij een import van {args.soort}; het kan bij "
                                   f"{' en '.join(kinds)}.")  # fmt: skip
        options[keyword] = value
    return options


def _import(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.imports import run_import
    from verzuimdesk.imports.common import failure_text
    from verzuimdesk.imports.guard import CANCELLED
    from verzuimdesk.model.errors import ImportFailed

    path = args.bestand
    if not os.path.exists(path):
        print(f"Fout: het bestand {path} bestaat niet.", file=sys.stderr)
        return 1
    try:
        result = run_import(db, args.soort, path, **import_options(args))
    except ImportFailed as exc:  # every problem, not only the first fifty of the exception's message
        print("Fout: " + failure_text(path, exc), end="", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl+C: the transaction has rolled back
        print(CANCELLED, file=sys.stderr)
        return 130
    print(result.summary())
    for change in result.changes:
        print(f"Gewijzigd: {change}")
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
    print_table(rows)
    return 0


def _info(db: Database) -> int:
    from verzuimdesk.model.db import current_revision
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.security.encryption import encryption_state

    with db.session() as s:
        school = get_school(s)
    print(f"Database:     {url_for_display(db.url)}")
    print(f"Schemaversie: {current_revision(db.engine)}")
    print(f"School:       {school.name + ' (' + school.brin + ')' if school else '(nog geen school)'}")
    print(f"Versleuteling: {encryption_state(db).label}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
