"""The ``schoolgids`` and ``evaluatie`` verbs: the verzuimbeleid chapter and the yearly evaluation, headless.

    verzuimdesk schoolgids (--docx PAD | --pdf PAD | --tekst) [--versie N] [--schooljaar J]
    verzuimdesk evaluatie SCHOOLJAAR (--pdf PAD | --docx PAD) [--datum D]

Without ``--versie`` the current working text (generated from the settings, with the school's edits) is
written; with it the saved version N. A warning goes to stderr when the settings changed since the version the
MR consented to. One :func:`register` adds both verbs (calling it twice is harmless); :func:`run` dispatches on
``args.verb``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from verzuimdesk.cli.common import parse_date
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import VerzuimdeskError

VERBS = ("schoolgids", "evaluatie")


def register(subparsers: Any) -> argparse.ArgumentParser:
    if "schoolgids" in getattr(subparsers, "choices", {}):
        return subparsers.choices["schoolgids"]  # type: ignore[no-any-return]
    guide = subparsers.add_parser(
        "schoolgids", help="het verzuimbeleid voor de schoolgids als Word, PDF of tekst",
        description="Schrijf het hoofdstuk verzuimbeleid van de schoolgids, gemaakt uit de instellingen van de school.",
    )  # fmt: skip
    out = guide.add_mutually_exclusive_group(required=True)
    out.add_argument("--docx", metavar="PAD", help="schrijf een Word-bestand")
    out.add_argument("--pdf", metavar="PAD", help="schrijf een PDF-bestand")
    out.add_argument("--tekst", action="store_true", help="toon de platte tekst")
    guide.add_argument("--versie", type=int, metavar="N", help="een opgeslagen versie (standaard: de huidige tekst)")
    guide.add_argument("--schooljaar", default="", help="schooljaar op het titelblad van de huidige tekst")

    evaluation = subparsers.add_parser(
        "evaluatie", help="de jaarevaluatie van het verzuimbeleid als PDF of Word",
        description="Schrijf de jaarevaluatie: cijfers per kwartaal, meldingen, signalen en interventies.",
    )  # fmt: skip
    evaluation.add_argument("schooljaar", help="schooljaar, bijvoorbeeld 2025-2026")
    out = evaluation.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", metavar="PAD", help="schrijf een PDF-bestand")
    out.add_argument("--docx", metavar="PAD", help="schrijf een Word-bestand")
    evaluation.add_argument("--datum", type=parse_date, help="peildatum (standaard: vandaag)")
    return guide


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    if not target.parent.exists():
        raise OSError(f"De map {target.parent} bestaat niet.")
    target.write_bytes(data)


def schoolgids(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.model.policy.versions import policy_document, policy_out_of_date
    from verzuimdesk.reports.schoolgids.policy import policy_docx, policy_pdf, policy_text

    with db.session() as s:
        doc = policy_document(s, getattr(args, "versie", None), school_year=getattr(args, "schooljaar", "") or "")
        warning = policy_out_of_date(s)
    if warning:
        print(f"Let op: {warning}", file=sys.stderr)
    if getattr(args, "tekst", False):
        sys.stdout.write(policy_text(doc))
        return 0
    if getattr(args, "docx", None):
        _write(args.docx, policy_docx(doc))
        print(f"Verzuimbeleid ({dutch.plural(len(doc.sections), 'sectie', 'secties')}) geschreven naar {args.docx}.")
    else:
        _write(args.pdf, policy_pdf(doc))
        print(f"Verzuimbeleid ({dutch.plural(len(doc.sections), 'sectie', 'secties')}) geschreven naar {args.pdf}.")
    return 0


def evaluatie(db: Database, args: argparse.Namespace) -> int:
    from verzuimdesk.reports.schoolgids.evaluation import evaluation_docx, evaluation_pdf
    from verzuimdesk.reports.schoolgids.evaluation_data import build_evaluation

    with db.session() as s:
        ev = build_evaluation(s, args.schooljaar, today=getattr(args, "datum", None))
    path = getattr(args, "pdf", None) or args.docx
    _write(path, evaluation_pdf(ev) if getattr(args, "pdf", None) else evaluation_docx(ev))
    print(f"Jaarevaluatie {ev.school_year} geschreven naar {path}: {dutch.plural(len(ev.meldingen), 'melding', 'meldingen')}, "
          f"{dutch.plural(sum(s.handled for s in ev.signals), 'afgehandeld signaal', 'afgehandelde signalen')}, {dutch.plural(len(ev.interventions), 'interventie', 'interventies')}.")
    return 0


def run(db: Database, args: argparse.Namespace) -> int:
    verb = getattr(args, "verb", None) or ("evaluatie" if hasattr(args, "datum") else "schoolgids")
    try:
        return evaluatie(db, args) if verb == "evaluatie" else schoolgids(db, args)
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Fout: het bestand kon niet worden geschreven: {exc}", file=sys.stderr)
        return 1
