"""``verzuimdesk inzage`` and ``verzuimdesk opschonen`` (issue 11 points 3 and 4; beheerder only).

    verzuimdesk inzage 1001 --uit inzage-1001.zip    everything on pupil 1001 (PDF, JSON, CSV in a ZIP)
    verzuimdesk opschonen                            list the pupils whose retention period has passed
    verzuimdesk opschonen --uitvoeren                and remove them (asks for confirmation unless --ja)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sqlmodel import select

from verzuimdesk.cli.common import parse_date
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.security.inzage import inzage_export_data
from verzuimdesk.model.security.retention import due_for_removal, purge, retention_years
from verzuimdesk.model.tables import Pupil
from verzuimdesk.reports.inzage import inzage_zip


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    inzage = subparsers.add_parser("inzage", help="alle gegevens van één leerling voor een inzageverzoek (art. 15 "
                                                  "AVG) als ZIP met PDF, JSON en CSV (bevat persoonsgegevens)")
    inzage.add_argument("leerling", help="leerlingnummer")
    inzage.add_argument("--uit", required=True, metavar="PAD", help="het ZIP-bestand dat wordt geschreven")
    purge_parser = subparsers.add_parser("opschonen", help="leerlingen van wie de bewaartermijn is verstreken: "
                                                           "tonen, en met --uitvoeren verwijderen (toont namen)")
    purge_parser.add_argument("--uitvoeren", action="store_true", help="verwijder de getoonde leerlingen")
    purge_parser.add_argument("--ja", action="store_true", help="niet om bevestiging vragen (voor scripts)")
    purge_parser.add_argument("--vandaag", type=parse_date, help="doe alsof het vandaag deze datum is (voor tests)")


def run(db: Database, args: argparse.Namespace) -> int:
    if args.verb == "inzage":
        return _inzage(db, args.leerling, Path(args.uit))
    return _purge(db, args)


def _inzage(db: Database, key: str, out: Path) -> int:
    with db.session() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == key.strip())).first()
    if pupil is None or pupil.id is None:
        raise ValidationError(f"Er is geen leerling met nummer {key}.")
    with db.transaction() as s:
        data = inzage_export_data(s, pupil.id)
    out.write_bytes(inzage_zip(data))
    print(f"Inzage-export van {data.pupil_name} geschreven naar {out} ({data.row_count} regels); vastgelegd in het "
          "logboek.")
    return 0


def _purge(db: Database, args: argparse.Namespace) -> int:
    today = args.vandaag or dt.date.today()
    with db.session() as s:
        years = retention_years(s)
        due = due_for_removal(s, today)
    if not due:
        print(f"Bewaartermijn {years} jaar: er zijn geen leerlingen om te verwijderen.")
        return 0
    print(f"Bewaartermijn {years} jaar; verstreken voor {len(due)} leerling(en):")
    for d in due:
        print(f"  {d.key:<8} {d.name:<30} uitgeschreven {d.left_on:%d-%m-%Y}: {d.summary}")
    if not args.uitvoeren:
        print("Niets verwijderd; gebruik --uitvoeren om deze leerlingen te verwijderen.")
        return 0
    if not args.ja:
        if not sys.stdin.isatty():
            raise ValidationError("Bevestig met --ja of start de opdracht in een terminal; er is niets verwijderd.")
        if input("Definitief verwijderen? Typ ja: ").strip().lower() != "ja":
            print("Niets verwijderd.")
            return 1
    with db.transaction() as s:
        purge(s, [d.pupil_id for d in due], today)
    print(f"{len(due)} leerling(en) verwijderd; vastgelegd in het logboek (alleen aantallen).")
    return 0
