"""School set-up file (TOML): set up or restore a school without clicking (writing: setup_export.py).

Re-import updates what is there and never rewrites history (issue 10, docs/imports.md): a timetable in
the file that differs from the database replaces it only from a date on, the smallest ``geldig_vanaf`` of
the file's timetable versions, else the file's ``datum``, else today. The versions from before that date,
which the figures of past days were computed from, stay as they are. Everything is checked before
anything is written (setup_checks.py): types, unknown keys, text limits, dates and school years.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.common import (
    ImportResult,
    audit_import,
    fail_if,
    normalise_header,
    set_if_changed,
)
from verzuimdesk.imports.guard import Progress, check_file, fail, toml_message
from verzuimdesk.imports.pupils import composite_change_problem
from verzuimdesk.imports.setup_checks import (
    REGISTERS_PER,
    school_year_name_problem,
    shape_problems,
)
from verzuimdesk.imports.setup_export import (
    CONTACT_FIELDS,
    FORMAT,
    GROUP_FIELDS,
    SCHOOL_FIELDS,
    export_setup_file,
    setup_data,
)
from verzuimdesk.imports.setup_timetable import (
    parse_date,
    parse_lessons,
    store_timetable,
    versions_of,
)
from verzuimdesk.imports.setup_writer import time_span
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import (
    WEEKDAY_NAMES,
    add_day_off,
    create_school_year,
    regional_school_holidays,
)
from verzuimdesk.model.school.records import get_school, save_group, save_school, setup_school
from verzuimdesk.model.tables import (
    DayOff,
    DayOffKind,
    Group,
    LeerplichtContact,
    SchoolYear,
    Vestiging,
)

KINDS = {k.value for k in DayOffKind}


# ------------------------------------------------------------------------------------------ reading


def _load(path: Path) -> dict[str, Any]:
    check_file(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise fail(f"{path.name} is geen UTF-8-tekstbestand. Sla het op als 'UTF-8' en lees het opnieuw in.") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(toml_message(path.name, str(exc))) from None
    except RecursionError:
        raise fail(f"{path.name} is te diep genest (lijsten in lijsten); zo ziet een inrichtingsbestand er niet "
                   "uit.") from None
    version = data.get("formaat", FORMAT)
    if not isinstance(version, int) or isinstance(version, bool):
        raise fail(f"{path.name}: formaat moet een getal zijn, zonder aanhalingstekens: formaat = {FORMAT}.")
    if version != FORMAT:
        raise fail(f"{path.name} heeft formaat {version}; deze versie van verzuimdesk leest formaat {FORMAT}.")
    fail_if(shape_problems(data))
    return data


def import_setup_file(db: Database, path: str | Path, *, today: dt.date | None = None,
                      progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Set up or update the school from a TOML set-up file, in one transaction, all or nothing.

    ``today`` (default: the real date) is the default start of a changed timetable when neither the
    timetable's ``geldig_vanaf`` nor the file's ``datum`` gives one."""
    p = Path(path)
    data = _load(p)
    now = today or dt.date.today()
    result = ImportResult("inrichting", str(p))
    problems: list[str] = []
    file_date = parse_date(data["datum"], "datum", problems, now) if "datum" in data else None
    problems += _precheck(data, now)
    fail_if(problems)
    steps = Progress(progress)
    steps.start(len(data.get("groepen", [])))
    with db.transaction() as s:
        years = [str(y.get("naam", "")) for y in data.get("schooljaren", [])]
        created_years = _school(s, data.get("school", {}), years, result, problems)
        fail_if(problems)
        for c in data.get("leerplicht", []):
            _contact(s, c, result, problems)
        vestigingen = _vestigingen(s, data.get("vestigingen", []), result)
        region = get_school(s).region  # type: ignore[union-attr]
        for y in data.get("schooljaren", []):
            _year(s, y, region, created_years, result, problems, now)
        groups = {g.key: g for g in s.exec(select(Group)).all()}
        for g in data.get("groepen", []):
            steps.step()
            _group(s, g, groups, vestigingen, result, problems, file_date or now, now)
        for i, d in enumerate(data.get("vrije_dagen", []), start=1):
            _day_off(s, d, i, groups, result, problems, now)
        fail_if(problems)
        audit_import(s, "inrichting", p, result)
    return result


def _precheck(data: dict[str, Any], today: dt.date) -> list[str]:
    """School year names, duplicate keys and group settings that need no database."""
    problems: list[str] = []
    for y in data.get("schooljaren", []):
        problem = school_year_name_problem(str(y.get("naam", "")), today)
        if problem:
            problems.append(f"Schooljaar '{str(y.get('naam', ''))[:20]}': {problem}.")
    for rows, key, what in ((data.get("vestigingen", []), "sleutel", "vestiging"),
                            (data.get("groepen", []), "sleutel", "groep"),
                            (data.get("schooljaren", []), "naam", "schooljaar")):
        seen: dict[str, int] = {}
        for i, row in enumerate(rows, start=1):
            value = str(row.get(key) or (row.get("naam") if what == "groep" else "") or "").strip()
            if what == "vestiging" and not value:
                problems.append(f"[[vestigingen]] nr. {i}: geef de vestiging een sleutel.")
            elif value.lower() in seen:
                article = "Het" if what == "schooljaar" else "De"
                problems.append(f"{article} {what} '{value}' staat twee keer in het bestand (nr. {seen[value.lower()]} "
                                f"en nr. {i}). Een sleutel hoort bij één {what}.")
            elif value:
                seen[value.lower()] = i
    for g in data.get("groepen", []):
        label = f"Groep '{g.get('naam') or g.get('sleutel', '')}'"
        if "registratie_per" in g and g["registratie_per"] not in REGISTERS_PER:
            problems.append(f"{label}: registratie_per '{g['registratie_per']}' is onbekend; kies uit "
                            f"{', '.join(REGISTERS_PER)}.")
        if g.get("samengesteld") and any(len(r) > 0 for r in g.get("roosters", [])):
            problems.append(f"{label}: een samengestelde groep heeft geen eigen rooster; haal de roosters weg of "
                            "maak er een stamgroep van (samengesteld = false).")
    return problems


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
          problems: list[str], today: dt.date) -> None:
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
    if name in created and "vakanties" not in data and not regional_school_holidays(region, name):
        problems.append(f"Schooljaar '{name}': de landelijke tabel heeft (nog) geen schoolvakanties voor dit jaar. "
                        "Zet de vakanties in het bestand ([[schooljaren.vakanties]]) of laat het schooljaar weg.")
        return
    if "vakanties" not in data:
        return
    wanted = []
    for h in data["vakanties"]:
        where = f"Schooljaar {name}, vakantie '{h.get('omschrijving', '')}'"
        lo = parse_date(h.get("van"), where, problems, today)
        hi = parse_date(h.get("tot", h.get("van")), where, problems, today)
        if lo and hi and not (year.start_date <= lo <= hi <= year.end_date):
            problems.append(f"{where}: van {dutch.date_short(lo)} tot {dutch.date_short(hi)} ligt niet binnen het schooljaar, of 'tot' "
                            "ligt vóór 'van'.")
        elif lo and hi:
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
           result: ImportResult, problems: list[str], default_from: dt.date, today: dt.date) -> None:
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
    problem = composite_change_problem(s, group, values)
    if problem:
        problems.append(f"{label}: {problem}")
        return
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
    versions = versions_of(data["roosters"], label, problems, today)
    if versions is not None:
        assert group.id is not None
        store_timetable(s, group.id, versions, label, result, default_from, today)


def _day_off(s: Session, data: dict[str, Any], number: int, groups: dict[str, Group], result: ImportResult,
             problems: list[str], today: dt.date) -> None:
    label = f"Vrije dag {number} ('{data.get('omschrijving', '')}')"
    before = len(problems)
    lo = parse_date(data.get("van"), label, problems, today)
    hi = parse_date(data.get("tot", data.get("van")), label, problems, today)
    if lo and hi and hi < lo:
        problems.append(f"{label}: 'tot' {dutch.date_short(hi)} ligt vóór 'van' {dutch.date_short(lo)}.")
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
            problems.append(f"{label}: onbekende {'groep' if len(missing) == 1 else 'groepen'} "
                            f"{', '.join(m[:20] for m in missing)}.")
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




__all__ = ["export_setup_file", "import_setup_file", "parse_lessons", "setup_data"]
