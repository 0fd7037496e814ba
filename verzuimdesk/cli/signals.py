"""The ``signals`` verb: open signals (due meldingen, zorgelijk verzuim, care, lateness) headless.

    verzuimdesk signals [--datum D] [--groep G] [--leerling L] [--json]

Wired into :mod:`verzuimdesk.cli.main` by ``register(subparsers)`` and ``run(db, args)``. JSON keys are Dutch,
as in ``figures``: per signal ``leerling`` (leerlingnummer), ``naam``, ``soort`` (V3, V4, LRV, L,
zorgelijk, zorg, te_laat_ladder), ``titel``, ``begindatum``, ``einddatum``, ``minuten``, ``uren``,
``dagen_sinds``, ``verplicht``, ``lesweken`` ([{``week``: Monday, ``minuten``}]), ``toelichting``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from sqlmodel import select

from verzuimdesk.cli.common import parse_date
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError, VerzuimdeskError
from verzuimdesk.model.register.figures import hours
from verzuimdesk.model.tables import Group, Pupil


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "signals", help="open signalen: verplichte meldingen, zorgelijk verzuim, zorg en te laat komen (toont persoonsgegevens van leerlingen)",
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
        group_id = pupil_ids = None
        if group:
            match = [g for g in s.exec(select(Group)).all() if group.lower() in (g.name.lower(), g.key.lower())]
            if not match:
                raise ValidationError(f"Onbekende groep '{group}'.")
            group_id = match[0].id
        if pupil:
            found = s.exec(select(Pupil).where(Pupil.key == pupil.strip())).first()
            if found is None:
                raise ValidationError(f"Onbekende leerling '{pupil}' (geef het leerlingnummer).")
            pupil_ids = [found.id]
        signals = compute_signals(s, on, pupil_ids, group_id)
        return [
            {
                "leerling": sig.pupil_key, "naam": sig.pupil_name, "soort": sig.kind, "titel": sig.title,
                "begindatum": sig.begin.isoformat(), "einddatum": sig.end.isoformat(), "minuten": sig.minutes,
                "uren": hours(sig.minutes), "dagen_sinds": sig.days_overdue, "verplicht": sig.mandatory,
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
        print(f"Geen open signalen op {on:%d-%m-%Y}.")
        return 0
    headers = ["leerling", "naam", "soort", "begindatum", "einddatum", "uren", "dagen_sinds", "titel"]
    table = [[str(r[h]).replace(".", ",") if h == "uren" else str(r[h]) for h in headers] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in table:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))
    print(f"{len(rows)} open signalen op {on:%d-%m-%Y}; de toelichting per signaal staat in --json.")
    return 0
