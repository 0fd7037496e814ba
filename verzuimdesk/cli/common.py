"""Small pieces shared by the command-line verbs."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.tables import Group, Pupil


def parse_date(text: str) -> dt.date:
    """A date on the command line: 2025-11-03 or 03-11-2025; a Dutch message otherwise."""
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf 2025-11-03 of 03-11-2025.")


def find_pupil(session: Session, key: str) -> Pupil:
    """A pupil by leerlingnummer, or a Dutch message."""
    pupil = session.exec(select(Pupil).where(Pupil.key == key.strip())).first()
    if pupil is None:
        raise VerzuimdeskError(f"Er is geen leerling met leerlingnummer '{key}'.")
    return pupil


def find_group(session: Session, text: str) -> Group:
    """A group by name or key (either case), or a Dutch message that lists the groups."""
    groups = session.exec(select(Group)).all()
    wanted = text.strip().lower()
    for group in groups:
        if wanted in (group.name.lower(), group.key.lower()):
            return group
    names = ", ".join(sorted(g.name for g in groups)) or "(nog geen groepen)"
    raise VerzuimdeskError(f"Er is geen groep '{text}'. Groepen: {names}.")


def header_text(key: str) -> str:
    """A JSON key as a column heading: "afwezig_pct" → "afwezig %", "ingeroosterd_uur" → "ingeroosterd uur"."""
    for suffix, text in (("_pct", " %"), ("_uur", " uur"), ("_min", " (min)"), ("_keer", "")):
        if key.endswith(suffix):
            key = key[: -len(suffix)] + text
    return key.replace("_", " ")


def cell_text(value: object, key: str = "") -> str:
    """A value as a person reads it: decimal comma (hours with two decimals, a ``…_pct`` column with one),
    Dutch date, ja/nee, "Z 120, A 45" for a dict."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return dutch.number(value, 1 if key.endswith("_pct") else 2)
    if isinstance(value, dt.datetime):
        return dutch.date_time_short(value)
    if isinstance(value, dt.date):
        return dutch.date_short(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {cell_text(v)}" for k, v in value.items())
    if value is None:
        return ""
    return str(value)


def print_table(rows: Sequence[dict[str, Any]], headers: Sequence[str] | None = None) -> None:
    """Rows of dicts as aligned columns with Dutch headings and Dutch numbers and dates; numbers right-aligned."""
    keys = list(headers or rows[0].keys())
    table = [[cell_text(r[k], k) for k in keys] for r in rows]
    titles = [header_text(k) for k in keys]
    numeric = [all(isinstance(r[k], int | float) and not isinstance(r[k], bool) for r in rows) for k in keys]
    widths = [max(len(t), *(len(row[i]) for row in table)) for i, t in enumerate(titles)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)).rstrip()

    print(line(titles))
    for row in table:
        print(line(row))
