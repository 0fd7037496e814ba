"""School set-up file (TOML): set up or restore a school without clicking, and write it back.

Why this file is long: reading and writing the set-up file are one format; keeping both sides together
keeps every key's check next to the key it writes.

TOML is read with ``tomllib`` and written by the small writer below, in one canonical order, so that
``export_setup_file`` of an imported file gives the same text (docs/imports.md, "Schoolinrichting").
Regional holidays come from the table (calendar.py); a school year lists ``vakanties`` only when the
school changed them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.common import ImportResult, fail, fail_if, normalise_header, set_if_changed
from verzuimdesk.imports.setup_writer import lesson_text, render, time_span
from verzuimdesk.model.audit import audit
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.timetable import check_lessons
from verzuimdesk.model.school.calendar import (
    WEEKDAY_NAMES,
    add_day_off,
    create_school_year,
    parse_time,
    public_days_off,
    regional_school_holidays,
)
from verzuimdesk.model.school.records import get_school, save_group, save_school, setup_school
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
LESSON_RE = re.compile(r"^\s*(\d+)\s*=\s*(\d{1,2}[:.]?\d{2})\s*-\s*(\d{1,2}[:.]?\d{2})\s*(.*)$")
KINDS = {k.value for k in DayOffKind}


# ------------------------------------------------------------------------------------------ reading


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise fail(f"Het bestand {path} bestaat niet.")
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise fail(f"{path.name} is geen UTF-8-tekstbestand.") from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f" (regel {line.group(1)})" if line else ""
        raise fail(f"{path.name} is geen geldig inrichtingsbestand{where}: {exc}. Controleer aanhalingstekens "
                   "en de notatie key = waarde.") from None
    version = data.get("formaat", FORMAT)
    if version != FORMAT:
        raise fail(f"{path.name} heeft formaat {version}; deze versie van verzuimdesk leest formaat {FORMAT}.")
    return data


def _date(value: Any, label: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{label}: '{value}' is geen datum; schrijf bijvoorbeeld 2025-10-10 (zonder aanhalingstekens).")
    return None


def parse_lessons(rooster: dict[str, Any], label: str, problems: list[str]) -> list[tuple[int, int, int, int, str]]:
    """``maandag = ["1 = 08:30-09:30", …]`` → (weekday, number, start, end, label) rows."""
    rows: list[tuple[int, int, int, int, str]] = []
    for day_name, lessons in rooster.items():
        if day_name in ("geldig_vanaf", "geldig_tot"):
            continue
        if day_name not in WEEKDAY_NAMES:
            problems.append(f"{label}: '{day_name}' is geen weekdag; gebruik maandag … vrijdag.")
            continue
        for item in lessons if isinstance(lessons, list) else [lessons]:
            m = LESSON_RE.match(str(item))
            try:
                if m is None:
                    raise ValidationError("")
                rows.append((WEEKDAY_NAMES.index(day_name), int(m.group(1)), parse_time(m.group(2)),
                             parse_time(m.group(3)), m.group(4).strip()))
            except ValidationError:
                problems.append(f"{label}, {day_name}: '{item}' is geen les; schrijf bijvoorbeeld \"1 = 08:30-09:30\".")
    try:
        check_lessons(rows)
    except ValidationError as exc:
        problems.append(f"{label}: {exc}")
    return rows


def import_setup_file(db: Database, path: str | Path) -> ImportResult:
    """Set up or update the school from a TOML set-up file, in one transaction, all or nothing."""
    p = Path(path)
    data = _load(p)
    result = ImportResult("inrichting", str(p))
    problems: list[str] = []
    with db.transaction() as s:
        years = [str(y.get("naam", "")) for y in data.get("schooljaren", [])]
        created_years = _school(s, data.get("school", {}), years, result, problems)
        fail_if(problems)
        for c in data.get("leerplicht", []):
            _contact(s, c, result, problems)
        vestigingen = _vestigingen(s, data.get("vestigingen", []), result)
        region = get_school(s).region  # type: ignore[union-attr]
        for y in data.get("schooljaren", []):
            _year(s, y, region, created_years, result, problems)
        groups = {g.key: g for g in s.exec(select(Group)).all()}
        for g in data.get("groepen", []):
            _group(s, g, groups, vestigingen, result, problems)
        for i, d in enumerate(data.get("vrije_dagen", []), start=1):
            _day_off(s, d, i, groups, result, problems)
        fail_if(problems)
        audit(s, "import inrichting", f"{p.name}: {result.summary()}")
    return result


def _school(s: Session, data: dict[str, Any], years: list[str], result: ImportResult,
            problems: list[str]) -> set[str]:
    """Create (with its school years) or update the school; returns the names of the years created."""
    school = get_school(s)
    values = {attr: data[key] for key, attr in SCHOOL_FIELDS if key in data}
    try:
        if school is None:
            if not values.get("name"):
                problems.append("[school]: geef de naam van de school op (naam = \"…\").")
                return set()
            school = setup_school(s, values["name"], brin=values.get("brin", ""), region=values.get("region", "midden"),
                                  sector=values.get("sector", "po"), school_years=years or None)
            set_if_changed(school, values)
            save_school(s, school)
            result.count("school", "created")
            return {y.name for y in s.exec(select(SchoolYear)).all()}
        if values.get("brin") and school.brin and values["brin"].upper() != school.brin:
            problems.append(f"Dit inrichtingsbestand hoort bij BRIN {values['brin']}, deze database bij "
                            f"{school.name} (BRIN {school.brin}).")
            return set()
        if set_if_changed(school, values):
            save_school(s, school)
            result.count("school", "updated")
        else:
            result.count("school", "unchanged")
    except ValidationError as exc:
        problems.append(f"[school]: {exc}")
    return set()


def _contact(s: Session, data: dict[str, Any], result: ImportResult, problems: list[str]) -> None:
    values = {attr: str(data.get(key, "")) for key, attr in CONTACT_FIELDS}
    if not values["gemeente"]:
        problems.append("[[leerplicht]]: geef de gemeente op.")
        return
    wanted = normalise_header(values["gemeente"])
    row = next((c for c in s.exec(select(LeerplichtContact)).all() if normalise_header(c.gemeente) == wanted), None)
    if row is None:
        s.add(LeerplichtContact(**values))
        result.count("leerplicht", "created")
    else:
        result.count("leerplicht", "updated" if set_if_changed(row, values) else "unchanged")
        s.add(row)
    s.flush()


def _vestigingen(s: Session, rows: list[dict[str, Any]], result: ImportResult) -> dict[str, Vestiging]:
    known = {v.key: v for v in s.exec(select(Vestiging)).all()}
    for data in rows:
        key, name = str(data.get("sleutel", "")), str(data.get("naam", ""))
        row = known.get(key)
        if row is None:
            row = known[key] = Vestiging(key=key, name=name or key)
            result.count("vestigingen", "created")
        else:
            result.count("vestigingen", "updated" if set_if_changed(row, {"name": name or key}) else "unchanged")
        s.add(row)
    s.flush()
    return known


def _year(s: Session, data: dict[str, Any], region: str, created: set[str], result: ImportResult,
          problems: list[str]) -> None:
    name = str(data.get("naam", ""))
    year = s.exec(select(SchoolYear).where(SchoolYear.name == name)).first()
    try:
        if year is None:
            year = create_school_year(s, name, region)
            created.add(name)
        if name in created:
            result.count("schooljaren", "created")
        elif "vakanties" not in data:
            result.count("schooljaren", "unchanged")
    except ValidationError as exc:
        problems.append(f"Schooljaar '{name}': {exc}")
        return
    if "vakanties" not in data:
        return
    wanted = []
    for h in data["vakanties"]:
        lo = _date(h.get("van"), f"Schooljaar {name}, vakantie", problems)
        hi = _date(h.get("tot", h.get("van")), f"Schooljaar {name}, vakantie", problems)
        if lo and hi:
            wanted.append((lo, hi, str(h.get("soort", DayOffKind.HOLIDAY.value)), str(h.get("omschrijving", ""))))
    current = s.exec(select(DayOff).where(DayOff.school_year_id == year.id, DayOff.from_region_table == True)).all()  # noqa: E712
    if sorted(wanted) == sorted((d.date_from, d.date_to, d.kind, d.description) for d in current):
        if name not in created:
            result.count("schooljaren", "unchanged")
        return
    for d in current:
        s.delete(d)
    for lo, hi, kind, description in wanted:
        s.add(DayOff(school_year_id=year.id, date_from=lo, date_to=hi, kind=kind, description=description,
                     from_region_table=True))
    s.flush()
    if name not in created:
        result.count("schooljaren", "updated")


def _group(s: Session, data: dict[str, Any], groups: dict[str, Group], vestigingen: dict[str, Vestiging],
           result: ImportResult, problems: list[str]) -> None:
    label = f"Groep '{data.get('naam') or data.get('sleutel', '')}'"
    values: dict[str, Any] = {attr: data[key] for key, attr in GROUP_FIELDS if key in data}
    if "vestiging" in data:
        v = vestigingen.get(str(data["vestiging"]))
        if data["vestiging"] and v is None:
            problems.append(f"{label}: vestiging '{data['vestiging']}' staat niet bij [[vestigingen]].")
            return
        values["vestiging_id"] = v.id if v else None
    key = str(values.get("key") or values.get("name") or "")
    group = groups.get(key)
    try:
        if group is None:
            group = save_group(s, Group(**values))
            result.count("groepen", "created")
        elif set_if_changed(group, values):
            save_group(s, group)
            result.count("groepen", "updated")
        else:
            result.count("groepen", "unchanged")
    except ValidationError as exc:
        problems.append(f"{label}: {exc}")
        return
    groups[group.key] = group
    if "roosters" not in data:
        return
    wanted: list[tuple[Any, ...]] = []
    for r in data["roosters"]:
        lo = _date(r["geldig_vanaf"], label, problems) if "geldig_vanaf" in r else None
        hi = _date(r["geldig_tot"], label, problems) if "geldig_tot" in r else None
        wanted += [(*row, lo, hi) for row in parse_lessons(r, label, problems)]
    current = s.exec(select(Lesson).where(Lesson.group_id == group.id)).all()
    have = [(x.weekday, x.number, x.start_minute, x.end_minute, x.label, x.valid_from, x.valid_to) for x in current]
    if sorted(have, key=repr) == sorted(wanted, key=repr):
        result.count("roosters", "unchanged")
        return
    for x in current:
        s.delete(x)
    s.flush()
    for wd, number, start, end, text, lo, hi in wanted:
        s.add(Lesson(group_id=group.id, weekday=wd, number=number, start_minute=start, end_minute=end, label=text,
                     valid_from=lo, valid_to=hi))
    s.flush()
    result.count("roosters", "updated" if current else "created")


def _day_off(s: Session, data: dict[str, Any], number: int, groups: dict[str, Group], result: ImportResult,
             problems: list[str]) -> None:
    label = f"Vrije dag {number} ('{data.get('omschrijving', '')}')"
    before = len(problems)
    lo = _date(data.get("van"), label, problems)
    hi = _date(data.get("tot", data.get("van")), label, problems)
    kind = str(data.get("soort", DayOffKind.OTHER.value))
    weekday_name = str(data.get("weekdag", "")).lower()
    start = end = None
    if kind not in KINDS:
        problems.append(f"{label}: soort '{kind}' is onbekend; kies uit {', '.join(sorted(KINDS))}.")
    if weekday_name and weekday_name not in WEEKDAY_NAMES:
        problems.append(f"{label}: '{weekday_name}' is geen weekdag.")
    if "tijd" in data:
        span = time_span(str(data["tijd"]))
        if span is None:
            problems.append(f"{label}: tijd '{data['tijd']}' is geen tijdvak; schrijf bijvoorbeeld \"12:00-15:00\".")
        else:
            start, end = span
    group_ids: list[int | None] = [None]
    if data.get("groepen"):
        missing = [k for k in data["groepen"] if k not in groups]
        if missing:
            problems.append(f"{label}: onbekende {'groep' if len(missing) == 1 else 'groepen'} {', '.join(missing)}.")
            return
        group_ids = [groups[k].id for k in data["groepen"]]
    if lo is None or hi is None or len(problems) > before:
        return
    weekday = WEEKDAY_NAMES.index(weekday_name) if weekday_name else None
    description = str(data.get("omschrijving", ""))
    for gid in group_ids:
        same = s.exec(select(DayOff).where(
            DayOff.date_from == lo, DayOff.date_to == hi, DayOff.description == description, DayOff.kind == kind,
            DayOff.from_region_table == False)).all()  # noqa: E712
        if any((d.group_id, d.weekday, d.start_minute, d.end_minute) == (gid, weekday, start, end) for d in same):
            result.count("vrije_dagen", "unchanged")
            continue
        try:
            add_day_off(s, lo, hi, description, kind, group_id=gid, weekday=weekday, start_minute=start,
                        end_minute=end)
            result.count("vrije_dagen", "created")
        except ValidationError as exc:
            problems.append(f"{label}: {exc}")


# ------------------------------------------------------------------------------------------ writing


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
