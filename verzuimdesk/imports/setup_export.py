"""Writing the school set-up file (TOML): the school's set-up as data in the file's canonical order, and
:func:`export_setup_file`, whose output :func:`~verzuimdesk.imports.setup_file.import_setup_file` reads back
to the same database (docs/imports.md, "Schoolinrichting"). The field lists are shared with the reader.

Regional holidays come from the table (calendar.py); a school year lists ``vakanties`` only when the
school changed them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.setup_writer import lesson_text, render
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, public_days_off, regional_school_holidays
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import (
    DayOff,
    DayOffKind,
    Group,
    LeerplichtContact,
    Lesson,
    SchoolYear,
    Vestiging,
)

FORMAT = 1
SCHOOL_FIELDS = [  # (file key, School attribute)
    ("naam", "name"), ("brin", "brin"), ("vestiging", "vestiging"), ("sector", "sector"), ("regio", "region"),
    ("niet_bekostigd", "niet_bekostigd"), ("adres", "address"), ("postcode", "postcode"), ("plaats", "city"),
    ("telefoon", "phone"), ("email", "email"), ("directeur", "director"),
    ("samenwerkingsverband", "samenwerkingsverband"), ("samenwerkingsverband_contact", "samenwerkingsverband_contact"),
]  # fmt: skip
CONTACT_FIELDS = [("gemeente", "gemeente"), ("naam", "name"), ("telefoon", "phone"), ("email", "email"),
                  ("adres", "address")]
GROUP_FIELDS = [("sleutel", "key"), ("naam", "name"), ("jaargroep", "jaargroep"), ("samengesteld", "composite"),
                ("uitstroomprofiel", "uitstroomprofiel"), ("afdeling", "department"),
                ("registratie_per", "registers_per"), ("actief", "active")]

def setup_data(s: Session) -> dict[str, Any]:
    """The school's set-up as plain data in the file's structure and canonical order."""
    school = get_school(s)
    if school is None:
        raise ValidationError("Deze database heeft nog geen school; er is niets om op te slaan.")
    data: dict[str, Any] = {"formaat": FORMAT}
    data["school"] = {key: getattr(school, attr) for key, attr in SCHOOL_FIELDS}
    contacts = sorted(s.exec(select(LeerplichtContact)).all(), key=lambda c: (c.gemeente.lower(), c.id))
    data["leerplicht"] = [{key: getattr(c, attr) for key, attr in CONTACT_FIELDS} for c in contacts]
    vestigingen = sorted(s.exec(select(Vestiging)).all(), key=lambda v: v.key)
    data["vestigingen"] = [{"sleutel": v.key, "naam": v.name} for v in vestigingen]
    v_keys = {v.id: v.key for v in vestigingen}
    data["schooljaren"] = []
    for year in sorted(s.exec(select(SchoolYear)).all(), key=lambda y: y.start_date):
        entry: dict[str, Any] = {"naam": year.name}
        rows = s.exec(select(DayOff).where(DayOff.school_year_id == year.id, DayOff.from_region_table == True)).all()  # noqa: E712
        have = sorted((d.date_from, d.date_to, d.kind, d.description) for d in rows)
        table = sorted([(p.start, p.end, DayOffKind.HOLIDAY.value, p.name) for p in regional_school_holidays(school.region, year.name)]
                       + [(p.start, p.end, DayOffKind.PUBLIC_HOLIDAY.value, p.name) for p in public_days_off(year.name)])
        if have != table:
            entry["vakanties"] = [{"van": a, "tot": b, "soort": k, "omschrijving": d} for a, b, k, d in have]
        data["schooljaren"].append(entry)
    groups = sorted(s.exec(select(Group)).all(), key=lambda g: g.key)
    g_keys = {g.id: g.key for g in groups}
    data["groepen"] = [_group_data(s, g, v_keys) for g in groups]
    merged: dict[tuple[Any, ...], list[str]] = {}
    for d in s.exec(select(DayOff).where(DayOff.from_region_table == False)).all():  # noqa: E712
        ident = (d.date_from, d.date_to, d.kind, d.description, d.weekday, d.start_minute, d.end_minute,
                 d.group_id is None)
        merged.setdefault(ident, []).append(g_keys.get(d.group_id, "") if d.group_id else "")
    data["vrije_dagen"] = []
    for ident in sorted(merged, key=repr):
        lo, hi, kind, description, weekday, start, end, whole_school = ident
        item: dict[str, Any] = {"van": lo, "tot": hi, "soort": kind, "omschrijving": description}
        if not whole_school:
            item["groepen"] = sorted(merged[ident])
        if weekday is not None:
            item["weekdag"] = WEEKDAY_NAMES[weekday]
        if start is not None and end is not None:
            item["tijd"] = lesson_text(None, start, end)
        data["vrije_dagen"].append(item)
    return data


def _group_data(s: Session, g: Group, v_keys: dict[int | None, str]) -> dict[str, Any]:
    item: dict[str, Any] = {key: getattr(g, attr) for key, attr in GROUP_FIELDS}
    item["vestiging"] = v_keys.get(g.vestiging_id, "")
    versions: dict[tuple[Any, Any], list[Lesson]] = {}
    for lesson in s.exec(select(Lesson).where(Lesson.group_id == g.id)).all():
        versions.setdefault((lesson.valid_from, lesson.valid_to), []).append(lesson)
    item["roosters"] = []
    for (lo, hi) in sorted(versions, key=lambda k: (k[0] or dt.date.min, k[1] or dt.date.max)):
        rooster: dict[str, Any] = {}
        if lo is not None:
            rooster["geldig_vanaf"] = lo
        if hi is not None:
            rooster["geldig_tot"] = hi
        for wd in range(7):
            day = sorted((x for x in versions[(lo, hi)] if x.weekday == wd), key=lambda x: (x.start_minute, x.number))
            if day:
                rooster[WEEKDAY_NAMES[wd]] = [lesson_text(x.number, x.start_minute, x.end_minute, x.label) for x in day]
        item["roosters"].append(rooster)
    return item


def export_setup_file(db: Database, path: str | Path) -> Path:
    """Write the school's set-up as a TOML file that :func:`import_setup_file` reads back identically."""
    with db.session() as s:
        data = setup_data(s)
    p = Path(path)
    p.write_text(render(data), encoding="utf-8", newline="\n")
    return p
