"""The ``signalen`` verb (alias ``signals``): open signals (due meldingen, zorgelijk verzuim, care, lateness)
headless.

    verzuimdesk signalen [--datum D] [--groep G] [--leerling L] [--json]

Wired into :mod:`verzuimdesk.cli.main` by ``register(subparsers)`` and ``run(db, args)``. JSON keys are Dutch,
as in ``figures``: per signal ``leerling`` (leerlingnummer), ``naam``, ``soort`` (V3, V4, LRV, L,
RMC, luxe_controle, zorgelijk, zorg, te_laat_ladder), ``titel``, ``begindatum``, ``einddatum``, ``minuten``, ``uren``,
``dagen_sinds``, ``schooldagen_sinds``, ``verplicht`` (a real duty), ``plicht`` ("verplicht", "optioneel",
"controleren" or ""), ``lesweken`` ([{``week``: Monday, ``minuten``}]), ``toelichting``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from verzuimdesk.cli.common import find_group, find_pupil, parse_date, print_table
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.register.figures import hours


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "signalen", aliases=["signals"],
        help="open signalen: verplichte meldingen, zorgelijk verzuim, zorg en te laat komen (toont persoonsgegevens van leerlingen)",
        description="Toon de open signalen van het schooljaar tot en met een datum, het dringendste eerst.",
    )  # fmt: skip
    parser.add_argument("--datum", type=parse_date, help="peildatum (standaard: vandaag)")
    parser.add_argument("--groep", help="alleen leerlingen van deze groep (naam of sleutel)")
    parser.add_argument("--leerling", help="alleen deze leerling (leerlingnummer)")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
    return parser


def signal_rows(db: Database, on: dt.date, group: str | None = None, pupil: str | None = None) -> list[dict[str, Any]]:
    from verzuimdesk.model.law.signals import compute_signals

    with db.transaction() as s:  # a transaction: the default rules are stored on first use
        group_id = find_group(s, group).id if group else None
        pupil_ids = [find_pupil(s, pupil).id] if pupil else None
        signals = compute_signals(s, on, pupil_ids, group_id)
        return [
            {
                "leerling": sig.pupil_key, "naam": sig.pupil_name, "soort": sig.kind, "titel": sig.title,
                "begindatum": sig.begin.isoformat(), "einddatum": sig.end.isoformat(), "minuten": sig.minutes,
                "uren": hours(sig.minutes), "dagen_sinds": sig.days_overdue, "verplicht": sig.mandatory,
                "schooldagen_sinds": sig.school_days_due, "plicht": sig.duty_label,
                "nieuw_sinds_afhandeling": sig.new_since_handling,
                "lesweken": [{"week": monday.isoformat(), "minuten": minutes} for monday, minutes in sig.weeks],
                "toelichting": sig.explanation,
            }
            for sig in signals
        ]  # fmt: skip


def run(db: Database, args: argparse.Namespace) -> int:
    on = getattr(args, "datum", None) or dt.date.today()
    try:
        rows = signal_rows(db, on, getattr(args, "groep", None), getattr(args, "leerling", None))
    except VerzuimdeskError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"Geen open signalen op {dutch.date_short(on)}.")
        return 0
    table = [{"leerling": r["leerling"], "naam": r["naam"], "van": dt.date.fromisoformat(r["begindatum"]),
              "tot en met": dt.date.fromisoformat(r["einddatum"]), "uren": r["uren"], "dagen sinds": r["dagen_sinds"],
              "signaal": r["titel"]} for r in rows]  # fmt: skip
    print_table(table)
    print(f"{dutch.plural(len(rows), 'open signaal', 'open signalen')} op {dutch.date_short(on)}; "
          "de toelichting per signaal staat in --json.")
    return 0
