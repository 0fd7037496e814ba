"""The ``verlof`` verb: check a leave request against the Leerplichtwet, list requests (headless).

    verzuimdesk verlof toets LEERLING SOORT VAN TOT [--ontvangen DATUM] [--bijlage TEKST] [--json]
    verzuimdesk verlof lijst [--leerling L] [--schooljaar 2025-2026] [--status S] [--json]
    verzuimdesk verlof brief NR --pdf PAD
    verzuimdesk verlof besluit-lpa NR (--toegekend | --geweigerd) --door NAAM --datum D [--motivering TEKST]

``toets`` (alias ``check``, the English name of earlier versions) exits with 1 when the request has
violations (art. 13, 13a, 14 Lpw) or must be forwarded. ``besluit-lpa`` records the leerplichtambtenaar's
decision on a forwarded request (art. 14 lid 3 Lpw) with the same model function as the Verlof screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from sqlmodel import select

from verzuimdesk.cli.common import find_pupil, parse_date, print_table
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.law.leave import (
    STATUS_LABELS,
    blocking,
    check_leave_request,
    kind_label,
    leave_requests,
    leave_school_days,
    record_lpa_decision,
)
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

KIND_ALIASES = {
    "vakantieverlof": LeaveKind.HOLIDAY.value, "vakantie": LeaveKind.HOLIDAY.value, "v": LeaveKind.HOLIDAY.value,
    "gewichtige_omstandigheden": LeaveKind.IMPORTANT.value, "gewichtig": LeaveKind.IMPORTANT.value,
    "g": LeaveKind.IMPORTANT.value, "religieus": LeaveKind.RELIGIOUS.value, "r": LeaveKind.RELIGIOUS.value,
}  # fmt: skip


def _kind(text: str) -> str:
    kind = KIND_ALIASES.get(text.strip().lower())
    if kind is None:
        raise argparse.ArgumentTypeError(f"'{text}' is geen soort verlof; kies vakantieverlof, gewichtig of religieus.")
    return kind


def register(subparsers: Any) -> None:
    """Add the ``verlof`` verb to the main parser's subparsers."""
    verlof = subparsers.add_parser("verlof", help="verlofaanvragen toetsen aan de Leerplichtwet en opsommen (toont persoonsgegevens van leerlingen)")
    actions = verlof.add_subparsers(dest="verlof_actie", metavar="ACTIE", required=True)

    check = actions.add_parser("toets", aliases=["check"], help="toets een aanvraag (art. 13, 13a, 14 Leerplichtwet); "
                               "uitkomst 1 bij bezwaren")  # fmt: skip
    check.add_argument("leerling", help="leerlingnummer")
    check.add_argument("soort", type=_kind, help="vakantieverlof, gewichtig (gewichtige omstandigheden) of religieus")
    check.add_argument("van", type=parse_date, help="eerste verlofdag")
    check.add_argument("tot", type=parse_date, help="laatste verlofdag (tot en met)")
    check.add_argument("--ontvangen", type=parse_date, help="datum waarop de aanvraag binnenkwam (standaard: vandaag)")
    check.add_argument("--bijlage", default="", help="meegestuurde bijlage, bijvoorbeeld 'werkgeversverklaring'")
    check.add_argument("--json", action="store_true", help="uitvoer als JSON")

    lijst = actions.add_parser("lijst", help="toon verlofaanvragen")
    lijst.add_argument("--leerling", help="alleen deze leerling (leerlingnummer)")
    lijst.add_argument("--schooljaar", help="alleen dit schooljaar, bijvoorbeeld 2025-2026")
    lijst.add_argument("--status", choices=[s.value for s in LeaveStatus], help="alleen aanvragen met deze status")
    lijst.add_argument("--json", action="store_true", help="uitvoer als JSON")

    letter = actions.add_parser("brief", help="de besluitbrief van een besliste aanvraag (PDF)")
    letter.add_argument("nr", type=int, help="nummer van de aanvraag (zie: verzuimdesk verlof lijst)")
    letter.add_argument("--pdf", metavar="PAD", required=True, help="schrijf de brief als PDF")

    lpa = actions.add_parser("besluit-lpa", help="leg het besluit van de leerplichtambtenaar vast over een "
                             "doorgestuurde aanvraag (art. 14 lid 3 Leerplichtwet)")  # fmt: skip
    lpa.add_argument("nr", type=int, help="nummer van de aanvraag (zie: verzuimdesk verlof lijst)")
    choice = lpa.add_mutually_exclusive_group(required=True)
    choice.add_argument("--toegekend", dest="besluit", action="store_const", const=LeaveStatus.GRANTED.value,
                        help="de leerplichtambtenaar kende het verlof toe (de dagen komen in het register)")
    choice.add_argument("--geweigerd", dest="besluit", action="store_const", const=LeaveStatus.REFUSED.value,
                        help="de leerplichtambtenaar weigerde het verlof (motivering verplicht)")
    lpa.add_argument("--door", required=True, metavar="NAAM", help="naam van de leerplichtambtenaar die besliste")
    lpa.add_argument("--datum", required=True, type=parse_date, help="datum van het besluit")
    lpa.add_argument("--motivering", default="", help="motivering van het besluit (verplicht bij een weigering)")


def run(db: Database, args: argparse.Namespace) -> int:
    """Run a ``verlof`` action: 0 = fine, 1 = violations found, 2 = wrong input."""
    try:
        if args.verlof_actie in ("toets", "check"):
            return _check(db, args)
        if args.verlof_actie == "brief":
            return _letter(db, args)
        if args.verlof_actie == "besluit-lpa":
            return _lpa_decision(db, args)
        return _list(db, args)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2


def _check(db: Database, args: argparse.Namespace) -> int:
    with db.session() as s:
        pupil = find_pupil(s, args.leerling)
        assert pupil.id is not None
        request = LeaveRequest(pupil_id=pupil.id, kind=args.soort, date_from=args.van, date_to=args.tot,
                               received_on=args.ontvangen or dt.date.today(), attachments=args.bijlage,
                               created_at=dt.datetime.now())  # fmt: skip
        findings = check_leave_request(s, request)
        days = len(leave_school_days(s, request))
    bad = blocking(findings)
    forward = any(f.severity == "doorsturen" for f in findings)
    if args.json:
        out = {
            "leerling": pupil.key, "soort": args.soort, "van": args.van.isoformat(), "tot": args.tot.isoformat(),
            "ontvangen": request.received_on.isoformat(), "schooldagen": days, "toekenbaar": not bad,
            "doorsturen": forward,
            "bevindingen": [{"code": f.code, "artikel": f.article, "ernst": f.severity, "tekst": f.message}
                            for f in findings],
        }  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"{kind_label(args.soort).capitalize()} voor {pupil.key}, {dutch.span_short(args.van, args.tot)}: {dutch.plural(days, 'schooldag', 'schooldagen')}.")
        for f in findings:
            print(f"[{f.severity}] {f.article}: {f.message}")
        if forward:
            print("Uitkomst: doorsturen naar de leerplichtambtenaar (art. 14 lid 3 Leerplichtwet).")
        elif bad:
            print("Uitkomst: de directeur kan dit verlof niet toekennen.")
        else:
            print("Uitkomst: geen bezwaren; de directeur kan dit verlof toekennen.")
    return 1 if bad else 0


def _letter(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.reports.letters.leave import leave_letter_pdf

    target = Path(args.pdf)
    if not target.parent.is_dir():
        raise VerzuimdeskError(f"De map {target.parent} bestaat niet; de brief is niet geschreven.")
    with db.transaction() as s:
        data = leave_letter_pdf(s, args.nr)
    target.write_bytes(data)
    print(f"Besluitbrief bij verlofaanvraag {args.nr} geschreven naar {target}.")
    return 0


def _lpa_decision(db: Database, args: argparse.Namespace) -> int:
    """Art. 14 lid 3 Lpw: record the leerplichtambtenaar's decision (one transaction; the same model function as
    the Verlof screen, so the register, the audit trail and later requests follow alike)."""
    by = db.actor.username if db.actor is not None else "beheerder"
    with db.transaction() as s:
        request = record_lpa_decision(s, args.nr, args.besluit, lpa_name=args.door, on=args.datum, by=by,
                                      motivation=args.motivering)
        pupil = s.get(Pupil, request.pupil_id)
        days = len(leave_school_days(s, request))
    who = pupil.key if pupil is not None else str(request.pupil_id)
    print(f"Besluit van de leerplichtambtenaar vastgelegd bij aanvraag {args.nr} (leerling {who}): "
          f"{STATUS_LABELS.get(args.besluit, args.besluit)} door {args.door.strip()} op {dutch.date_short(args.datum)}"
          + (f"; {dutch.plural(days, 'schooldag', 'schooldagen')} in het register." if args.besluit ==
             LeaveStatus.GRANTED.value else "."))
    return 0


def _list(db: Database, args: argparse.Namespace) -> int:
    with db.session() as s:
        pupil_id = find_pupil(s, args.leerling).id if args.leerling else None
        keys = {p.id: p.key for p in s.exec(select(Pupil)).all()}
        rows = [
            {"id": r.id, "leerling": keys.get(r.pupil_id, ""), "soort": r.kind, "van": r.date_from.isoformat(),
             "tot": r.date_to.isoformat(), "schooldagen": len(leave_school_days(s, r)),
             "ontvangen": r.received_on.isoformat(), "status": r.status,
             "besloten_op": r.decided_on.isoformat() if r.decided_on else "", "besloten_door": r.decided_by,
             "besluit_leerplichtambtenaar": (f"{r.lpa_decision} door {r.lpa_decided_by} op "
                                             f"{r.lpa_decided_on.isoformat() if r.lpa_decided_on else '?'}")
                                            if r.lpa_decision else ""}
            for r in leave_requests(s, pupil_id=pupil_id, school_year=args.schooljaar, status=args.status)
        ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Geen verlofaanvragen gevonden.")
        return 0
    print_table([
        {"nr": r["id"], "leerling": r["leerling"], "soort": kind_label(r["soort"]),
         "van": dt.date.fromisoformat(r["van"]), "tot en met": dt.date.fromisoformat(r["tot"]),
         "schooldagen": r["schooldagen"], "ontvangen": dt.date.fromisoformat(r["ontvangen"]),
         "status": STATUS_LABELS.get(r["status"], r["status"]),
         "besloten": dt.date.fromisoformat(r["besloten_op"]) if r["besloten_op"] else None,
         "door": r["besloten_door"]}
        for r in rows
    ])  # fmt: skip
    print(dutch.plural(len(rows), "verlofaanvraag", "verlofaanvragen") + ".")
    return 0
