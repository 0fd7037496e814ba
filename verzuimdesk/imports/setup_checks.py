"""Checks on a school set-up file (TOML) before anything is written: the shape of every table and value,
text limits, plausible dates and school years (docs/imports.md, "Wat wordt geweigerd en waarom").

TOML gives typed values (text, number, true/false, date, list, table); a value of the wrong type (``naam =
5``, ``groepen = "g1"``) is refused with the place where it stands, instead of failing somewhere later.
Unknown keys are refused too: a typing error such as ``registratie_pr`` would otherwise be ignored
silently and the school would think it had set something.

Choice on dates: a set-up file plans ahead, so its dates may lie up to the end of the next school year
(a rule of "at most a year ahead", as for pupils, would refuse next year's studiedagen). Before 1990 is
refused, as everywhere. A school year is accepted from 1990-1991 up to the next school year; a school year
for which the national holiday table has no holidays (the government fixes them a few years ahead) is an
error unless the file lists its ``vakanties``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from verzuimdesk.imports.guard import KEY_MAX, NAME_MAX, TEXT_MAX, text_problem
from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, school_year_name_for

TEXT, BOOL, INT, DATE = "tekst", "true of false", "een getal", "een datum"
TYPE_NAMES = {str: TEXT, bool: BOOL, int: INT, dt.date: DATE}
SCHOOL = dict.fromkeys(["naam", "brin", "vestiging", "sector", "regio", "adres", "postcode", "plaats", "telefoon",
                        "email", "directeur", "samenwerkingsverband", "samenwerkingsverband_contact"], TEXT)
SCHOOL["niet_bekostigd"] = BOOL
CONTACT = dict.fromkeys(["gemeente", "naam", "telefoon", "email", "adres"], TEXT)
VESTIGING = {"sleutel": TEXT, "naam": TEXT}
HOLIDAY = {"van": DATE, "tot": DATE, "soort": TEXT, "omschrijving": TEXT}
GROUP = dict.fromkeys(["sleutel", "naam", "jaargroep", "uitstroomprofiel", "afdeling", "registratie_per",
                       "vestiging"], TEXT) | {"samengesteld": BOOL, "actief": BOOL}
DAY_OFF = {"van": DATE, "tot": DATE, "soort": TEXT, "omschrijving": TEXT, "weekdag": TEXT, "tijd": TEXT}
NAME_KEYS = {"naam", "omschrijving"}
REGISTERS_PER = ("les", "klokuur", "dagdeel")
YEAR_RE = re.compile(r"([0-9]{4})-([0-9]{4})")
FIRST_YEAR = 1990


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, dt.datetime):
        return "een datum met tijd"
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, str):
        return TEXT
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een tabel"
    return "een kommagetal" if isinstance(value, float) else "een tijd"


def _fields(table: dict[str, Any], spec: dict[str, str], where: str, problems: list[str],
            extra: tuple[str, ...] = ()) -> None:
    for key, value in table.items():
        if key in extra:
            continue
        wanted = spec.get(key)
        if wanted is None:
            known = ", ".join(list(spec) + list(extra))
            problems.append(f"{where}: onbekende sleutel '{key}'. Bekende sleutels: {known}.")
            continue
        if wanted == DATE and isinstance(value, str):
            continue  # a date written as text; read (and checked) later
        if _kind(value) != wanted:
            problems.append(f"{where}: {key} moet {wanted} zijn, maar is {_kind(value)}.")
            continue
        if isinstance(value, str):
            limit = KEY_MAX if key == "sleutel" else NAME_MAX if key in NAME_KEYS else TEXT_MAX
            problem = text_problem(value, key, limit)
            if problem:
                problems.append(f"{where}: {problem}.")


def _tables(data: dict[str, Any], key: str, where: str, problems: list[str]) -> list[dict[str, Any]]:
    """``data[key]`` as a list of tables ([[key]]); a problem (and []) when it is something else."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(f"{where}: {key} moet een lijst van tabellen zijn ([[{key}]] met sleutel = waarde eronder), "
                        f"maar is {_kind(value)}.")
        return []
    return value


def shape_problems(data: dict[str, Any]) -> list[str]:
    """Every wrong type, unknown key, control character or over-long text in the file, with its place."""
    problems: list[str] = []
    top = {"formaat": INT, "datum": DATE}
    for key, value in data.items():
        if key in ("school", "leerplicht", "vestigingen", "schooljaren", "groepen", "vrije_dagen"):
            continue
        _fields({key: value}, top, "Bovenaan het bestand", problems)
    school = data.get("school", {})
    if not isinstance(school, dict):
        problems.append(f"[school] moet een tabel zijn, maar is {_kind(school)}.")
    else:
        _fields(school, SCHOOL, "[school]", problems)
    for i, c in enumerate(_tables(data, "leerplicht", "Bestand", problems), start=1):
        _fields(c, CONTACT, f"[[leerplicht]] nr. {i}", problems)
    for i, v in enumerate(_tables(data, "vestigingen", "Bestand", problems), start=1):
        _fields(v, VESTIGING, f"[[vestigingen]] nr. {i}", problems)
    for i, y in enumerate(_tables(data, "schooljaren", "Bestand", problems), start=1):
        where = f"[[schooljaren]] nr. {i}"
        _fields(y, {"naam": TEXT}, where, problems, extra=("vakanties",))
        for j, h in enumerate(_tables(y, "vakanties", where, problems), start=1):
            _fields(h, HOLIDAY, f"{where}, vakantie nr. {j}", problems)
    for i, g in enumerate(_tables(data, "groepen", "Bestand", problems), start=1):
        where = f"[[groepen]] nr. {i} ('{g.get('sleutel') or g.get('naam') or ''}')"
        _fields(g, GROUP, where, problems, extra=("roosters",))
        for j, r in enumerate(_tables(g, "roosters", where, problems), start=1):
            _rooster_shape(r, f"{where}, rooster nr. {j}", problems)
    for i, d in enumerate(_tables(data, "vrije_dagen", "Bestand", problems), start=1):
        where = f"[[vrije_dagen]] nr. {i}"
        _fields(d, DAY_OFF, where, problems, extra=("groepen",))
        if "groepen" in d and not (isinstance(d["groepen"], list) and all(isinstance(k, str) for k in d["groepen"])):
            problems.append(f"{where}: groepen moet een lijst van groepssleutels zijn, zoals [\"g12\", \"g34\"].")
    return problems


def _rooster_shape(rooster: dict[str, Any], where: str, problems: list[str]) -> None:
    for key, value in rooster.items():
        if key in ("geldig_vanaf", "geldig_tot"):
            if not isinstance(value, (dt.date, str)) or isinstance(value, dt.datetime):
                problems.append(f"{where}: {key} moet een datum zijn (2026-08-17), maar is {_kind(value)}.")
            continue
        if key not in WEEKDAY_NAMES:
            problems.append(f"{where}: '{key}' is geen weekdag; gebruik maandag … vrijdag.")
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            problems.append(f"{where}, {key}: elke les is een tekst zoals \"1 = 08:30-09:30\".")
            continue
        for item in items:
            problem = text_problem(item, f"{key}: een les", TEXT_MAX)
            if problem:
                problems.append(f"{where}: {problem}.")


def latest_school_year_start(today: dt.date) -> int:
    """The first calendar year of the latest school year a set-up file may hold: the next one."""
    return int(school_year_name_for(today).split("-")[0]) + 1


def school_year_name_problem(name: str, today: dt.date) -> str | None:
    """A Dutch problem when ``name`` is not a school year from 1990-1991 up to the next school year."""
    m = YEAR_RE.fullmatch(name.strip())
    if m is None or int(m.group(2)) != int(m.group(1)) + 1:
        return f"'{name}' is geen schooljaar; schrijf het als 2026-2027"
    first, latest = int(m.group(1)), latest_school_year_start(today)
    if first < FIRST_YEAR:
        return f"schooljaar {name} ligt vóór {FIRST_YEAR}; dat kan niet kloppen"
    if first > latest:
        return (f"schooljaar {name} ligt te ver vooruit: een inrichtingsbestand gaat hoogstens tot schooljaar "
                f"{latest}-{latest + 1}. De vakanties van latere jaren zijn nog niet vastgesteld")
    return None


def date_problem(day: dt.date, today: dt.date) -> str | None:
    """Before 1990 or after the end of the next school year: a typing error (see the module docstring)."""
    latest = dt.date(latest_school_year_start(today) + 1, 7, 31)
    if dt.date(FIRST_YEAR, 1, 1) <= day <= latest:
        return None
    return f"{dutch.date_short(day)} kan niet kloppen (vóór 1990 of na {dutch.date_short(latest)})"
