"""The ``brief`` and ``brieven`` verbs: letters to parents from the school's templates, headless (issue 13).

    verzuimdesk brief SJABLOON --leerling N [--pdf PAD | --docx PAD] [--eml PAD] [--datum D]
                               [--melding ID] [--gesprek ID]
    verzuimdesk brief lijst                       the templates and their merge fields
    verzuimdesk brieven --week D --pdf PAD [--datum D]

Without ``--pdf``/``--docx`` ``brief`` prints the merged text and records nothing; with a file it writes the
letter(s) (one per address: separated parents get a letter each), records them in the dossier and marks the
signal they answer as handled. ``brieven`` writes every letter due in the week of D in one PDF and records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from sqlmodel import select

from verzuimdesk.cli.common import parse_date
from verzuimdesk.cli.login import PERSONAL_DATA_NOTE
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError, VerzuimdeskError
from verzuimdesk.model.tables import Pupil

VERBS = ("brief", "brieven")


def register(subparsers: Any) -> None:
    from verzuimdesk.model.letters.defaults import DEFAULTS

    keys = ", ".join(t.key for t in DEFAULTS)
    brief = subparsers.add_parser(
        "brief", help="maak een brief aan de ouders uit een sjabloon (PDF of Word)" + PERSONAL_DATA_NOTE,
        description=f"Maak een brief aan de ouders. Sjablonen: {keys}. 'brief lijst' toont de sjablonen en velden.",
    )  # fmt: skip
    brief.add_argument("sjabloon", help="sleutel van het sjabloon, of 'lijst'")
    brief.add_argument("--leerling", help="leerlingnummer")
    out = brief.add_mutually_exclusive_group()
    out.add_argument("--pdf", metavar="PAD", help="schrijf de brief als PDF en leg hem vast in het dossier")
    out.add_argument("--docx", metavar="PAD", help="schrijf de brief als Word-bestand en leg hem vast in het dossier")
    brief.add_argument("--eml", metavar="PAD", help="zet ook een e-mail met de PDF als bijlage klaar (.eml)")
    brief.add_argument("--datum", type=parse_date, help="datum van de brief (standaard: vandaag)")
    brief.add_argument("--melding", type=int, metavar="ID", help="bij deze melding (standaard: de laatste)")
    brief.add_argument("--gesprek", type=int, metavar="ID", help="bij dit gesprek (standaard: het laatste)")

    batch = subparsers.add_parser("brieven", help="alle brieven van een week in één PDF",
                                  description="Maak alle brieven die in een week te maken zijn in één PDF en leg "
                                              "ze vast in de dossiers.")  # fmt: skip
    batch.add_argument("--week", type=parse_date, required=True, help="een dag in de week (maandag t/m zondag)")
    batch.add_argument("--pdf", metavar="PAD", required=True, help="het PDF-bestand")
    batch.add_argument("--datum", type=parse_date, help="datum van de brieven (standaard: vandaag)")


def run(db: Database, args: argparse.Namespace) -> int:
    try:
        if args.verb == "brieven":
            return _batch(db, args)
        if args.sjabloon == "lijst":
            return _list()
        return _letter(db, args)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1


def _list() -> int:
    from verzuimdesk.model.letters.defaults import DEFAULTS
    from verzuimdesk.model.letters.fields import FIELDS, MOMENT_LABELS

    print("Sjablonen:")
    for t in DEFAULTS:
        print(f"  {t.key.ljust(24)} {t.title} (bij {MOMENT_LABELS[t.moment]})")
    print("Velden (schrijf ze als {leerling.roepnaam}):")
    for f in FIELDS:
        print(f"  {{{f.name}}}".ljust(34) + f" {f.description}")
    return 0


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ValidationError(f"Het bestand {path} kon niet worden geschreven: {exc.strerror or exc}.") from None


def _letter(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.letters.compose import prepare_letters
    from verzuimdesk.model.letters.moments import moment_for_pupil
    from verzuimdesk.model.letters.record import mark_sent
    from verzuimdesk.reports.letters.make import make_letters
    from verzuimdesk.reports.letters.parents import letter_eml

    if not args.leerling:
        raise ValidationError("Geef de leerling op met --leerling (het leerlingnummer).")
    if args.eml and not args.pdf:
        raise ValidationError("Een e-mail (--eml) heeft de PDF als bijlage: geef ook --pdf op.")
    on = args.datum or dt.date.today()
    fmt, path = ("pdf", args.pdf) if args.pdf else ("docx", args.docx) if args.docx else (None, None)
    with db.transaction() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == args.leerling.strip())).first()
        if pupil is None or pupil.id is None:
            raise ValidationError(f"Er is geen leerling met leerlingnummer '{args.leerling}'.")
        moment = moment_for_pupil(s, args.sjabloon, pupil.id, on, melding_id=args.melding, contact_id=args.gesprek)
        if fmt is None:
            for n, letter in enumerate(prepare_letters(s, args.sjabloon, moment, on)):
                print(("\n" + "=" * 72 + "\n" if n else "") + "\n".join(letter.addressee.lines()))
                print(f"\nBetreft: {letter.subject}\n\n{letter.body}")
            return 0
        made = make_letters(s, moment, key=args.sjabloon, fmt=fmt, on=on)
        _write(path, made.data)
        if args.eml:
            _write(args.eml, letter_eml(s, made.letters, made.data, Path(path).name))
            mark_sent(s, [r.id for r in made.records if r.id is not None], "eml")
    names = "; ".join(letter.addressee.names for letter in made.letters)
    print(f"{dutch.plural(len(made.letters), 'brief', 'brieven')} geschreven naar {path} (aan: {names}) en vastgelegd in het dossier.")
    return 0


def _batch(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.reports.letters.make import make_week_batch

    with db.transaction() as s:
        made = make_week_batch(s, args.week, on=args.datum)
        _write(args.pdf, made.data)
    pupils = len({letter.pupil_id for letter in made.letters})
    print(f"{len(made.letters)} brieven voor {pupils} leerlingen geschreven naar {args.pdf} en vastgelegd in de "
          "dossiers.")
    return 0
