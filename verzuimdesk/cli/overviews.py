"""The ``overzicht`` verb: every overview of the Overzichten screen from the command line (scripts, scheduled
tasks), headless.

    verzuimdesk overzicht leerling NUMMER --pdf PAD [PERIODE] [--met-ziekte]
    verzuimdesk overzicht groep GROEP (--pdf PAD | --xlsx PAD | --per-leerling MAP | --alle-leerlingen PAD)
                                      [PERIODE] [--zonder-namen] [--met-ziekte]
    verzuimdesk overzicht school (--pdf PAD | --xlsx PAD | --per-leerling MAP | --alle-leerlingen PAD)
                                 [PERIODE] [--zonder-namen] [--met-ziekte]
    verzuimdesk overzicht jaar SCHOOLJAAR --xlsx PAD [--zonder-namen]

PERIODE is, as on the screen, a school year (``--schooljaar``, default the current one), a quarter of it
(``--kwartaal 1``–``4``) or own dates (``--van``/``--tot``). A period that runs past ``--datum`` (default:
today) ends there: the future has no register yet. Exit status: 0 written, 1 refused or failed (a Dutch
message on stderr), 2 wrong input (argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from verzuimdesk.cli.common import find_group, find_pupil, parse_date
from verzuimdesk.cli.login import PERSONAL_DATA_NOTE
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for
from verzuimdesk.model.school.names import display_name
from verzuimdesk.reports.data import Period, quarter_period, school_year_period

PERIOD_HELP = "periode: --schooljaar (standaard het huidige), --kwartaal 1-4 of --van/--tot"


def _period_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("periode (standaard: het huidige schooljaar tot en met vandaag)")
    group.add_argument("--schooljaar", metavar="JJJJ-JJJJ", help="schooljaar, bijvoorbeeld 2025-2026")
    group.add_argument("--kwartaal", type=int, choices=(1, 2, 3, 4),
                       help="alleen dit kwartaal van het schooljaar (1 = aug–okt, 2 = nov–jan, 3 = feb–apr, 4 = mei–jul)")
    group.add_argument("--van", type=parse_date, metavar="DATUM", help="eerste dag van een eigen periode")
    group.add_argument("--tot", type=parse_date, metavar="DATUM", help="laatste dag van een eigen periode (tot en met)")
    group.add_argument("--datum", type=parse_date, metavar="DATUM",
                       help="peildatum: wat daarna komt telt niet mee (standaard: vandaag)")  # fmt: skip


def register(subparsers: Any) -> None:
    """Add the ``overzicht`` verb to the main parser's subparsers."""
    verb = subparsers.add_parser(
        "overzicht", help="verzuimoverzichten als PDF of Excel: per leerling, groep, school of schooljaar"
                          + PERSONAL_DATA_NOTE,
        description="Schrijf de overzichten van het scherm Overzichten zonder het programma te openen.",
    )  # fmt: skip
    kinds = verb.add_subparsers(dest="overzicht_soort", metavar="SOORT", required=True)

    pupil = kinds.add_parser("leerling", help="het overzicht van één leerling voor een oudergesprek (PDF)",
                             description="Schrijf het overzicht van één leerling (één of twee A4).")
    pupil.add_argument("leerling", metavar="LEERLINGNUMMER", help="leerlingnummer")
    pupil.add_argument("--pdf", metavar="PAD", required=True, help="schrijf het PDF-bestand")
    pupil.add_argument("--met-ziekte", action="store_true",
                       help="toon ziekte per reden (standaard samengevat, om medische privacy)")
    _period_options(pupil)

    for name, what in (("groep", "een groep"), ("school", "de hele school")):
        parser = kinds.add_parser(name, help=f"het verzuimoverzicht van {what} (PDF of Excel), of alle "
                                             "leerlingoverzichten",
                                  description=f"Schrijf het verzuimoverzicht van {what}, of de overzichten van "
                                              "al haar leerlingen.")  # fmt: skip
        if name == "groep":
            parser.add_argument("groep", metavar="GROEP", help="naam of sleutel van de groep, bijvoorbeeld 5/6")
        out = parser.add_mutually_exclusive_group(required=True)
        out.add_argument("--pdf", metavar="PAD", help="schrijf het overzicht als PDF")
        out.add_argument("--xlsx", metavar="PAD", help="schrijf het overzicht als Excel-werkmap")
        out.add_argument("--per-leerling", metavar="MAP",
                         help="schrijf het overzicht van elke leerling als eigen PDF in deze map")
        out.add_argument("--alle-leerlingen", metavar="PAD",
                         help="schrijf de overzichten van alle leerlingen samen in één PDF om af te drukken")
        parser.add_argument("--zonder-namen", action="store_true",
                            help="laat de namen van leerlingen weg (om te delen buiten de school)")
        parser.add_argument("--met-ziekte", action="store_true",
                            help="bij --per-leerling en --alle-leerlingen: toon ziekte per reden")
        _period_options(parser)

    year = kinds.add_parser("jaar", help="de Excel-werkmap van een heel schooljaar",
                            description="Schrijf de werkmap van een schooljaar: leerlingen, groepen, per week, "
                                        "per reden en niet genomen registers.")  # fmt: skip
    year.add_argument("schooljaar", metavar="SCHOOLJAAR", help="schooljaar, bijvoorbeeld 2025-2026")
    year.add_argument("--xlsx", metavar="PAD", required=True, help="schrijf de Excel-werkmap")
    year.add_argument("--zonder-namen", action="store_true", help="laat de namen van leerlingen weg")
    year.add_argument("--datum", type=parse_date, metavar="DATUM", help="peildatum (standaard: vandaag)")


def period_from(args: argparse.Namespace, today: dt.date) -> Period:
    """The period the options ask for, as the Overzichten screen chooses it."""
    if args.van or args.tot:
        if args.kwartaal:
            raise VerzuimdeskError("Kies --kwartaal of --van/--tot, niet allebei.")
        end = args.tot or today
        start = args.van or school_year_bounds(args.schooljaar or school_year_name_for(end))[0]
        if start > end:
            raise VerzuimdeskError(f"De periode begint ({dutch.date_short(start)}) na het einde "
                                   f"({dutch.date_short(end)}).")  # fmt: skip
        return Period(start, end, "eigen periode")
    year = args.schooljaar or school_year_name_for(today)
    school_year_bounds(year)  # a Dutch message for "2025/26"
    return quarter_period(year, args.kwartaal) if args.kwartaal else school_year_period(year)


def _target(path: str) -> Path:
    target = Path(path)
    if not target.parent.is_dir():
        raise VerzuimdeskError(f"De map {target.parent} bestaat niet; het bestand is niet geschreven.")
    return target


def _pupil(db: Database, args: argparse.Namespace, today: dt.date) -> str:
    from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf

    target, period = _target(args.pdf), period_from(args, today).clipped(today)
    with db.session() as s:
        pupil = find_pupil(s, args.leerling)
        assert pupil.id is not None
        data = pupil_overview_pdf(s, pupil.id, period, include_sickness_details=args.met_ziekte, today=today)
    target.write_bytes(data)
    return f"Overzicht van {display_name(pupil)} ({pupil.key}), {period.title}, geschreven naar {target}."


def _group_or_school(db: Database, args: argparse.Namespace, today: dt.date) -> str:
    from verzuimdesk.reports.overviews.group import render_group_overview
    from verzuimdesk.reports.overviews.group_data import build_group_overview
    from verzuimdesk.reports.overviews.xlsx import group_overview_xlsx

    period = period_from(args, today).clipped(today)
    with db.session() as s:
        group = find_group(s, args.groep) if args.overzicht_soort == "groep" else None
    group_id = group.id if group else None
    if args.per_leerling or args.alle_leerlingen:
        return _batch(db, args, period, group_id, today)
    target = _target(args.pdf or args.xlsx)
    with db.session() as s:
        data = build_group_overview(s, period, group_id, today=today, include_names=not args.zonder_namen)
    if args.pdf:
        target.write_bytes(render_group_overview(data))
    else:
        group_overview_xlsx(data, target)
    return (f"Verzuimoverzicht {data.title} ({dutch.plural(len(data.pupils), 'leerling', 'leerlingen')}), "
            f"{period.title}, geschreven naar {target}.")  # fmt: skip


def _batch(db: Database, args: argparse.Namespace, period: Period, group_id: int | None, today: dt.date) -> str:
    from verzuimdesk.reports.overviews.batch import run_batch

    if args.zonder_namen:
        raise VerzuimdeskError("Een leerlingoverzicht is voor het gesprek met de ouders en heeft altijd de naam; "
                               "--zonder-namen kan hier niet.")  # fmt: skip
    one_file = bool(args.alle_leerlingen)
    target = _target(args.alle_leerlingen) if one_file else Path(args.per_leerling)
    if not one_file and target.exists() and not target.is_dir():
        raise VerzuimdeskError(f"{target} is een bestand, geen map.")
    paths: tuple[Path, ...] = ()
    total = 0
    for step in run_batch(db, period, target, group_id=group_id, one_file=one_file,
                          include_sickness_details=args.met_ziekte, today=today):  # fmt: skip
        total = step.total
        if step.finished:
            paths = step.paths
    where = target if one_file else f"{dutch.plural(len(paths), 'bestand', 'bestanden')} in {target}"
    return f"{dutch.plural(total, 'leerlingoverzicht', 'leerlingoverzichten')}, {period.title}, geschreven: {where}."


def _year(db: Database, args: argparse.Namespace, today: dt.date) -> str:
    from verzuimdesk.reports.overviews.xlsx import school_year_workbook

    school_year_bounds(args.schooljaar)
    target = _target(args.xlsx)
    with db.session() as s:
        school_year_workbook(s, args.schooljaar, target, today=today, include_names=not args.zonder_namen)
    return f"Werkmap schooljaar {args.schooljaar} geschreven naar {target}."


def run(db: Database, args: argparse.Namespace) -> int:
    today = args.datum or dt.date.today()
    try:
        if args.overzicht_soort == "leerling":
            message = _pupil(db, args, today)
        elif args.overzicht_soort == "jaar":
            message = _year(db, args, today)
        else:
            message = _group_or_school(db, args, today)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Fout: het bestand kon niet worden geschreven: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0
