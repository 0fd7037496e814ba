"""The ``duo`` verb: a melding as file, form or web-form text, and the aggregated DUO file (headless).

    verzuimdesk duo meldingen [--status S] [--leerling N] [--json]
    verzuimdesk duo melding ID (--xml PAD | --pdf PAD | --tekst)
    verzuimdesk duo aggregaat (--periode 2025-2026/1 | --van DATUM --tot DATUM) [--xml PAD] [--csv PAD] [--preview]

Every export is recorded (with the melding, or in the delivery log). Exit status: 0 done, 1 refused (the
melding is incomplete, the school has no delivery duty), 2 wrong input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlmodel import select

from verzuimdesk.cli.common import find_pupil, parse_date, print_table
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError, VerzuimdeskError
from verzuimdesk.model.law.aggregate import (
    CATEGORY_LABELS,
    AggregateReport,
    Period,
    build_aggregate,
    custom_period,
    delivery_refusal,
    klokuren,
    load_settings,
    period_by_code,
)
from verzuimdesk.model.law.meldingen import kind_label
from verzuimdesk.model.register.figures import hours
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import MeldingStatusValue


def register(subparsers: Any) -> None:
    """Add the ``duo`` verb to the main parser's subparsers."""
    duo = subparsers.add_parser("duo", help="meldingen en de geaggregeerde verzuimlevering voor DUO")
    actions = duo.add_subparsers(dest="duo_actie", metavar="ACTIE", required=True)

    listing = actions.add_parser("meldingen", help="toon de verzuimmeldingen met hun nummer, leerling, soort, "
                                                   "periode en status (toont persoonsgegevens)")  # fmt: skip
    statuses = [v.value for v in MeldingStatusValue]
    listing.add_argument("--status", choices=statuses, metavar="STATUS",
                         help="alleen meldingen met deze status: " + ", ".join(f"'{v}'" for v in statuses))
    listing.add_argument("--leerling", metavar="LEERLINGNUMMER", help="alleen de meldingen van deze leerling")
    listing.add_argument("--json", action="store_true", help="uitvoer als JSON")

    melding = actions.add_parser("melding", help="een verzuimmelding als bestand, formulier of tekst "
                             "(bevat persoonsgegevens, waaronder het BSN)")
    melding.add_argument("id", type=int, help="nummer van de melding (zie: verzuimdesk duo meldingen)")
    out = melding.add_mutually_exclusive_group(required=True)
    out.add_argument("--xml", metavar="PAD", help="schrijf het meldingsbestand (XML, formaat 1.0)")
    out.add_argument("--pdf", metavar="PAD", help="schrijf het afdrukbare meldingsformulier (PDF)")
    out.add_argument("--tekst", action="store_true", help="toon de tekst voor het webformulier van DUO")

    agg = actions.add_parser("aggregaat", help="de geaggregeerde verzuimcijfers van een periode (voorlopig formaat)")
    agg.add_argument("--periode", help="schooljaar/nummer, bijvoorbeeld 2025-2026/1 (eerste kwartaal)")
    agg.add_argument("--van", type=parse_date, help="begindatum van een eigen periode")
    agg.add_argument("--tot", type=parse_date, help="einddatum van een eigen periode (tot en met)")
    agg.add_argument("--xml", metavar="PAD", help="schrijf het XML-bestand")
    agg.add_argument("--csv", metavar="PAD", help="schrijf het CSV-bestand")
    agg.add_argument("--preview", action="store_true", help="toon de cijfers (zonder bestand wordt niets geleverd)")


def run(db: Database, args: argparse.Namespace) -> int:
    try:
        if args.duo_actie == "meldingen":
            return _list(db, args)
        if args.duo_actie == "melding":
            return _melding(db, args)
        return _aggregate(db, args)
    except ValidationError as exc:
        print(f"Geweigerd: {exc}", file=sys.stderr)
        return 1
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2


def _list(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.law.views import melding_rows

    with db.session() as s:
        pupil_id = find_pupil(s, args.leerling).id if args.leerling else None
        keys = {p.id: p.key for p in s.exec(select(Pupil)).all()}
        found = [r for r in melding_rows(s) if (pupil_id is None or r.melding.pupil_id == pupil_id)
                 and (args.status is None or r.melding.status == args.status)]  # fmt: skip
    rows = [{"nr": r.id, "leerling": keys.get(r.melding.pupil_id, ""), "naam": r.pupil_name, "groep": r.group,
             "soort": r.melding.kind, "begindatum": r.melding.begin_date, "einddatum": r.melding.end_date,
             "uren": hours(r.melding.minutes_unauthorised), "status": r.melding.status,
             "duo_nummer": r.melding.duo_number} for r in found]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print("Geen verzuimmeldingen gevonden.")
        return 0
    print_table(rows)
    print(f"{dutch.plural(len(rows), 'melding', 'meldingen')}. Soorten: "
          + "; ".join(f"{k} = {kind_label(k)}" for k in sorted({r['soort'] for r in rows})) + ".")
    return 0


def _melding(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.reports.duo.melding import export_melding

    fmt, path = ("xml", args.xml) if args.xml else ("pdf", args.pdf) if args.pdf else ("tekst", None)
    with db.transaction() as s:
        made = export_melding(s, args.id, fmt, by=current_user(s), path=path)
    if isinstance(made, str):
        sys.stdout.write(made)
    else:
        print(f"Melding {args.id} geschreven naar {path} ({fmt}); de export is vastgelegd bij de melding.")
    return 0


def _period(db: Database, args: argparse.Namespace) -> Period:
    if args.periode and (args.van or args.tot):
        raise VerzuimdeskError("Kies --periode of --van/--tot, niet allebei.")
    if args.periode:
        with db.session() as s:
            months = load_settings(s).period_months
        return period_by_code(args.periode, months)
    if args.van and args.tot:
        return custom_period(args.van, args.tot)
    raise VerzuimdeskError("Geef de periode op: --periode 2025-2026/1, of --van en --tot.")


def _aggregate(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.reports.duo.aggregate import export_aggregate

    try:
        period = _period(db, args)
    except ValidationError as exc:  # a malformed period is wrong input, not a refusal
        raise VerzuimdeskError(str(exc)) from None
    if not (args.xml or args.csv or args.preview):
        raise VerzuimdeskError("Geef --xml en/of --csv op om te leveren, of --preview om alleen te kijken.")
    if args.preview:
        with db.session() as s:
            try:
                report = build_aggregate(s, period)
            except ValidationError as exc:  # a period that has not begun: nothing to show
                raise VerzuimdeskError(str(exc)) from None
            refusal = delivery_refusal(s, period)
        sys.stdout.write(preview_text(report))
        if refusal:
            print(f"Let op: {refusal}")
    if args.xml or args.csv:
        with db.transaction() as s:
            report = export_aggregate(s, period, xml_path=args.xml, csv_path=args.csv, by=current_user(s))
        written = " en ".join(p for p in (args.xml, args.csv) if p)
        print(f"{period.label}: geschreven naar {written}; vastgelegd in het leveringslogboek.")
    return 0


def preview_text(report: AggregateReport) -> str:
    """The figures as a plain table: a block per subdivision, then the school total."""
    p = report.period
    lines = [f"Verzuimcijfers {p.label} ({dutch.span_short(p.start, p.end)}), BRIN {report.brin or '?'} "
             f"vestiging {report.vestiging} — voorlopig formaat", ""]  # fmt: skip
    if report.running:
        lines[1:1] = [f"LET OP: {report.running_label}; geteld tot en met die datum, niet te leveren.", ""]
    for row in report.rows:
        lines.append(f"{row.subdivision}: {dutch.plural(row.pupils, 'leerling', 'leerlingen')}, "
                     f"lestijd {dutch.number(klokuren(row.scheduled_minutes), 2)} uur")  # fmt: skip
        lines.append(f"  {'':<40} {'leerlingen':>10} {'uren':>10}")
        for cat in report.settings.categories:
            lines.append(f"  {CATEGORY_LABELS[cat]:<40} {row.pupils_with[cat]:>10} "
                         f"{dutch.number(row.hours(cat), 2):>10}")  # fmt: skip
        for band, count in zip(report.settings.bands, row.bands, strict=True):
            lines.append(f"  {'meer dan ' + dutch.percent(band, 2, trim=True) + ' afwezig':<40} {count:>10}")
        lines.append("")
    if report.excluded:
        lines.append(f"{dutch.plural(report.excluded, 'leerling', 'leerlingen')} niet meegeteld: niet leerplichtig "
                     "of kwalificatieplichtig in deze periode (of geboortedatum onbekend).")  # fmt: skip
    return "\n".join(lines).rstrip() + "\n"
