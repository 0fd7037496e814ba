"""``verzuimdesk bestuur …``: a board with several schools in one PostgreSQL database (issue 14 point 4).

    verzuimdesk --database URL bestuur maak                         maak het bestuur (en de bestuursbeheerder)
    verzuimdesk --database URL bestuur school-toevoegen BRIN VESTIGING NAAM
    verzuimdesk --database URL bestuur account GEBRUIKER [--naam NAAM] [--bestuursbeheerder]
    verzuimdesk --database URL bestuur toegang GEBRUIKER SCHOOL [--rol ROL] [--intrekken]
    verzuimdesk --database URL bestuur scholen                      de scholen die u ziet
    verzuimdesk --database URL bestuur overzicht [--pdf PAD] [--xlsx PAD] [--datum DATUM]
    verzuimdesk --database URL bestuur accounts                     de bestuursaccounts en hun scholen
    verzuimdesk --database URL bestuur wachtwoord GEBRUIKER         een nieuw wachtwoord (eigen, of elk als beheerder)
    verzuimdesk --database URL bestuur wijzig GEBRUIKER --uit|--aan  een bestuursaccount uit- of weer inschakelen
    verzuimdesk --database URL bestuur logboek [--laatste N] [--controleer]  het logboek van het bestuur

These verbs work on the board, not on one school: they log in with a board account (``--gebruiker`` or
``VERZUIMDESK_GEBRUIKER``, the password from ``VERZUIMDESK_WACHTWOORD`` or a prompt). ``maak`` makes that account:
the bestuursbeheerder, who alone adds schools, accounts and access. One school of the board is opened with
``--school BRINVESTIGING`` before any other verb (or the program). ``accounts``, ``wijzig``, ``logboek`` and another
account's ``wachtwoord`` are the bestuursbeheerder's (model/board/admin.py); every change is in the board's logboek.
A new password comes from ``VERZUIMDESK_WACHTWOORD_NIEUW`` or is asked twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verzuimdesk.cli.common import parse_date, print_table
from verzuimdesk.cli.login import MAX_CLI_WAIT, PASSWORD_ENV, USER_ENV
from verzuimdesk.model.db import default_url, normalise_url
from verzuimdesk.model.errors import LoginError, ValidationError, VerzuimdeskError

if TYPE_CHECKING:
    from verzuimdesk.model.board.registry import Board

ACTIONS = ("maak", "school-toevoegen", "account", "toegang", "scholen", "overzicht", "accounts", "wachtwoord", "wijzig",
           "logboek")
NEW_PASSWORD_ENV = PASSWORD_ENV + "_NIEUW"


def register(sub: Any) -> None:
    p = sub.add_parser("bestuur", help="een bestuur met meerdere scholen in één PostgreSQL-database",
                       description="Een bestuur met meerdere scholen in één PostgreSQL-database: scholen, "
                                   "bestuursaccounts, toegang per school en het bestuursoverzicht.")  # fmt: skip
    actions = p.add_subparsers(dest="bestuur_actie", metavar="ACTIE", required=True)
    actions.add_parser("maak", help="maak van deze database een bestuur; u wordt bestuursbeheerder")
    add = actions.add_parser("school-toevoegen", help="voeg een school toe (maakt en richt haar deel van de database in)")
    add.add_argument("brin", metavar="BRIN", help="BRIN-code, bijvoorbeeld 12AB")
    add.add_argument("vestiging", metavar="VESTIGING", help="vestigingsnummer, bijvoorbeeld 00")
    add.add_argument("naam", metavar="NAAM", help="naam van de school")
    add.add_argument("--regio", choices=("noord", "midden", "zuid"), default="midden", help="vakantieregio")
    add.add_argument("--sector", choices=("po", "sbo", "so", "vso"), default="po", help="sector")
    account = actions.add_parser("account", help="maak een bestuursaccount (het wachtwoord uit "
                                                 f"${PASSWORD_ENV}_NIEUW of gevraagd)")  # fmt: skip
    account.add_argument("nieuwe_gebruiker", metavar="GEBRUIKER", help="gebruikersnaam van het nieuwe account")
    account.add_argument("--naam", default="", help="volledige naam")
    account.add_argument("--bestuursbeheerder", action="store_true", help="mag ook scholen en toegang beheren")
    grant = actions.add_parser("toegang", help="geef een bestuursaccount toegang tot een school (of trek die in)")
    grant.add_argument("account_naam", metavar="GEBRUIKER", help="het bestuursaccount")
    grant.add_argument("school", metavar="SCHOOL", help="BRIN en vestiging, bijvoorbeeld 12AB00")
    grant.add_argument("--rol", default="bestuur", choices=("beheerder", "ib", "leerkracht", "bestuur"),
                       help="rol in die school; 'bestuur' = alleen de cijfers in het bestuursoverzicht (standaard)")
    grant.add_argument("--intrekken", action="store_true", help="trek de toegang tot die school in")
    actions.add_parser("scholen", help="de scholen van het bestuur die u ziet, met uw rol")
    overview = actions.add_parser("overzicht", help="het bestuursoverzicht: per school leerlingen, verzuim, niveaus, "
                                                    "open verplichte meldingen en leveringen")  # fmt: skip
    overview.add_argument("--pdf", metavar="PAD", type=Path, help="schrijf het overzicht ook als PDF")
    overview.add_argument("--xlsx", metavar="PAD", type=Path, help="schrijf het overzicht ook als Excel-bestand")
    overview.add_argument("--datum", type=parse_date, metavar="DATUM", help="stand op deze datum (standaard vandaag)")
    actions.add_parser("accounts", help="de bestuursaccounts met hun status en scholen (alleen de bestuursbeheerder)")
    password = actions.add_parser("wachtwoord", help="stel een nieuw wachtwoord in voor een bestuursaccount (het "
                                                     f"eigen, of als bestuursbeheerder elk; uit ${NEW_PASSWORD_ENV} "
                                                     "of gevraagd)")  # fmt: skip
    password.add_argument("account_naam", metavar="GEBRUIKER", help="het bestuursaccount")
    change = actions.add_parser("wijzig", help="schakel een bestuursaccount uit of weer in (alleen de "
                                               "bestuursbeheerder)")  # fmt: skip
    change.add_argument("account_naam", metavar="GEBRUIKER", help="het bestuursaccount")
    onoff = change.add_mutually_exclusive_group(required=True)
    onoff.add_argument("--uit", action="store_true", help="schakel het account uit (de toegang blijft bewaard)")
    onoff.add_argument("--aan", action="store_true", help="schakel het account weer in (heft ook een blokkade op)")
    log = actions.add_parser("logboek", help="het logboek van het bestuur: wie wanneer scholen, accounts, toegang en "
                                             "wachtwoorden wijzigde of het overzicht exporteerde")  # fmt: skip
    log.add_argument("--laatste", type=int, metavar="N", help="alleen de laatste N regels")
    log.add_argument("--controleer", action="store_true",
                     help="controleer of het logboek van het bestuur ongeschonden is (de hashketen)")  # fmt: skip


def _credentials(args: argparse.Namespace, *, new: bool = False) -> tuple[str, str]:
    name = (args.gebruiker or os.environ.get(USER_ENV, "")).strip()
    if not name:
        if not sys.stdin.isatty():
            raise LoginError(f"Geef de gebruiker op met --gebruiker of {USER_ENV}.")
        name = input("Gebruikersnaam (bestuur): ").strip()
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise LoginError(f"Geef het wachtwoord op in {PASSWORD_ENV} of start de opdracht in een terminal.")
        password = getpass.getpass(f"Wachtwoord voor {name}: ")
        if new and getpass.getpass("Nogmaals (nieuw wachtwoord): ") != password:
            raise LoginError("De twee wachtwoorden zijn niet gelijk; er is niets gemaakt.")
    return name, password


def _new_password() -> str:
    value = os.environ.get(NEW_PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ValidationError(f"Geef het nieuwe wachtwoord op in {NEW_PASSWORD_ENV} of start de opdracht in een "
                              "terminal.")  # fmt: skip
    first = getpass.getpass("Nieuw wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise ValidationError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


def run_board(args: argparse.Namespace) -> int:
    """Run a ``bestuur`` action; its own log-in (a board account), not that of a school."""
    url = normalise_url(args.database) if args.database else default_url()
    try:
        return _run(url, args)
    except LoginError as exc:
        time.sleep(min(exc.wait_seconds, MAX_CLI_WAIT))
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1


def _run(url: str, args: argparse.Namespace) -> int:
    from verzuimdesk.model.board import registry

    action = args.bestuur_actie
    if action == "maak":
        name, password = _credentials(args, new=True)
        adopted = registry.create_board(url, name, password)
        print(f"Het bestuur is gemaakt; '{name.lower()}' is bestuursbeheerder.")
        for code in adopted:
            print(f"De school die al in deze database stond is de eerste school van het bestuur: {code}.")
        return 0
    with registry.open_board(url) as board:
        name, password = _credentials(args)
        user = registry.check_board_login(board, name, password)
        if action == "scholen":
            rows = [{"school": s.code, "naam": s.name, "rol": s.role or "bestuursbeheerder",
                     "openen": "ja" if s.may_open else "nee"} for s in registry.schools_of(board, user)]  # fmt: skip
            print_table(rows) if rows else print("U ziet nog geen scholen van dit bestuur.")
            return 0
        if action == "overzicht":
            return _overview(board, user, args)
        if action in ("accounts", "wachtwoord", "wijzig", "logboek"):
            return _manage(board, user, args)
        registry.require_board_admin(board, user)
        if action == "school-toevoegen":
            school = registry.add_school(url, args.brin, args.vestiging, args.naam, region=args.regio,
                                         sector=args.sector, by=user)  # fmt: skip
            print(f"School {school.code} ({school.name}) is toegevoegd aan het bestuur.")
        elif action == "account":
            made = registry.create_board_account(board, args.nieuwe_gebruiker, _new_password(), full_name=args.naam,
                                                 board_admin=args.bestuursbeheerder, by=user)  # fmt: skip
            print(f"Bestuursaccount '{made}' is gemaakt.")
        elif args.intrekken:
            done = registry.revoke(board, args.account_naam, args.school, by=user)
            print(f"Toegang van '{args.account_naam}' tot {args.school} is ingetrokken." if done else
                  f"'{args.account_naam}' had geen toegang tot {args.school}.")  # fmt: skip
        else:
            registry.grant(board, args.account_naam, args.school, args.rol, by=user)
            print(f"'{args.account_naam}' heeft nu toegang tot {args.school} als {args.rol}.")
    return 0


def _manage(board: Board, user: str, args: argparse.Namespace) -> int:
    from verzuimdesk.model.board import admin, registry

    action = args.bestuur_actie
    if action == "accounts":
        rows = [{"gebruiker": a.username, "naam": a.full_name, "bestuursbeheerder": "ja" if a.board_admin else "nee",
                 "status": "uitgeschakeld" if not a.active else ("geblokkeerd" if a.locked else "actief"),
                 "scholen": a.grants_text} for a in admin.board_accounts(board, user)]  # fmt: skip
        print_table(rows)
    elif action == "wachtwoord":
        if args.account_naam.strip().lower() != user:
            registry.require_board_admin(board, user, "het wachtwoord van een ander bestuursaccount wijzigen")
        name = admin.change_board_password(board, args.account_naam, _new_password(), by=user)
        print(f"Het wachtwoord van '{name}' is gewijzigd; een blokkade is opgeheven.")
    elif action == "wijzig":
        name = args.account_naam.strip().lower()
        if admin.set_board_account_active(board, name, bool(args.aan), by=user):
            print(f"Bestuursaccount '{name}' is {'weer ingeschakeld' if args.aan else 'uitgeschakeld'}.")
        else:
            print(f"Bestuursaccount '{name}' was al {'ingeschakeld' if args.aan else 'uitgeschakeld'}.")
    elif args.controleer:
        check = admin.verify_board_log(board, user)
        if check.intact:
            print(f"Het logboek van het bestuur is ongeschonden: {check.lines} regels, laatste hash {check.last_hash}.")
            return 0
        print(f"Het logboek van het bestuur is NIET ongeschonden ({len(check.problems)} problemen):", file=sys.stderr)
        for problem in check.problems[:50]:
            print(f"- {problem}", file=sys.stderr)
        return 1
    else:
        if args.laatste is not None and args.laatste < 1:
            raise ValidationError("--laatste is een aantal regels van 1 of meer.")
        lines = admin.board_log_lines(board, user, limit=args.laatste)
        for line in reversed(lines):  # oldest first, as the school's logboek
            print(line.text)
    return 0


def _overview(board: Board, user: str, args: argparse.Namespace) -> int:
    from verzuimdesk.model.board.admin import log_overview_export
    from verzuimdesk.model.board.overview import overview_for
    from verzuimdesk.reports.board import HEADERS, board_pdf, board_xlsx, overview_rows, period_text

    on = args.datum or dt.date.today()
    rows = overview_for(board.url, user, on)
    if not rows:
        print("U ziet nog geen scholen van dit bestuur.")
        return 0
    print(period_text(rows, on))
    print_table([dict(zip(HEADERS, line, strict=True)) for line in overview_rows(rows)])
    if args.pdf:
        board_pdf(rows, on, out=args.pdf)
        log_overview_export(board, "PDF", on, by=user)
        print(f"PDF geschreven: {args.pdf}")
    if args.xlsx:
        board_xlsx(rows, on, out=args.xlsx)
        log_overview_export(board, "Excel", on, by=user)
        print(f"Excel-bestand geschreven: {args.xlsx}")
    return 0


def run(_db: object, _args: argparse.Namespace) -> int:  # pragma: no cover - cli/main.py calls run_board first
    raise VerzuimdeskError("'verzuimdesk bestuur' werkt op het bestuur, niet op één school.")
