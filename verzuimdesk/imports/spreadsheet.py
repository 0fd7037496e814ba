"""Pupils and groups from a spreadsheet (.xlsx or .csv): the common path for a school coming from Excel.

Headers are Dutch and matched loosely (case, accents, spaces and punctuation ignored; synonyms listed in
``PUPIL_COLUMNS`` / ``GROUP_COLUMNS``). A spreadsheet is typed by people, so an invalid BSN or
onderwijsnummer is an error here (unlike EDEXML, see edexml.py and docs/imports.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.common import (
    PUPIL_DATES,
    ImportResult,
    audit_import,
    default_membership_from,
    fail_if,
    headers_found,
    match_columns,
    parse_date,
    pupil_date_problems,
    school_year_problem,
    set_if_changed,
)
from verzuimdesk.imports.guard import Progress
from verzuimdesk.imports.pupils import Index, membership_start, place
from verzuimdesk.imports.tables import Table, get, read_table, row_text_problems, text
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.records import check_bsn, check_onderwijsnummer, school_years
from verzuimdesk.model.tables import Group, Guardian, Pupil

PUPIL_COLUMNS: dict[str, list[str]] = {
    "key": ["Leerlingnummer", "Leerlingnr", "Llnr", "Nr", "Nummer", "Sleutel", "Key", "Leerling"],
    "achternaam": ["Achternaam", "Familienaam", "Geslachtsnaam"],
    "voorvoegsel": ["Tussenvoegsel", "Voorvoegsel", "Tussenvoegsels", "Voorvoegsels", "Tv"],
    "voornamen": ["Voornamen", "Voornaam"],
    "roepnaam": ["Roepnaam"],
    "birth_date": ["Geboortedatum", "Geb. datum", "Geboren", "Geboortedag"],
    "gender": ["Geslacht"],
    "bsn": ["BSN", "Burgerservicenummer", "Sofinummer"],
    "onderwijsnummer": ["Onderwijsnummer", "Ondwnr"],
    "group": ["Groep", "Stamgroep", "Klas", "Groepsnaam"],
    "woongemeente": ["Woongemeente", "Gemeente", "Woonplaats"],
    "city": ["Woonplaats", "Plaats"],
    "postcode": ["Postcode"],
    "address": ["Adres", "Straat", "Straat en huisnummer"],
    "enrolled_on": ["Datum inschrijving", "Inschrijfdatum", "Inschrijvingsdatum", "Instroomdatum",
                    "Datum instroom", "Ingeschreven"],
    "left_on": ["Datum uitschrijving", "Uitschrijfdatum", "Uitschrijvingsdatum", "Uitstroomdatum",
                "Datum uitstroom", "Uitgeschreven"],
    "notes": ["Opmerking", "Opmerkingen", "Notities"],
}
for _n in (1, 2):
    PUPIL_COLUMNS[f"guardian{_n}_name"] = [f"Ouder {_n} naam", f"Naam ouder {_n}", f"Ouder {_n}",
                                            f"Verzorger {_n} naam", f"Naam verzorger {_n}"]
    PUPIL_COLUMNS[f"guardian{_n}_relation"] = [f"Ouder {_n} relatie", f"Relatie ouder {_n}"]
    PUPIL_COLUMNS[f"guardian{_n}_phone"] = [f"Ouder {_n} telefoon", f"Telefoon ouder {_n}", f"Ouder {_n} tel",
                                             f"Ouder {_n} telefoonnummer", f"Verzorger {_n} telefoon"]
    PUPIL_COLUMNS[f"guardian{_n}_email"] = [f"Ouder {_n} e-mail", f"Ouder {_n} email", f"E-mail ouder {_n}",
                                             f"Ouder {_n} e-mailadres", f"Verzorger {_n} e-mail"]

GROUP_COLUMNS: dict[str, list[str]] = {
    "name": ["Groep", "Naam", "Groepsnaam"],
    "jaargroep": ["Jaargroep", "Leerjaar"],
    "key": ["Sleutel", "Groepscode", "Code", "Key"],
    "vestiging": ["Vestiging", "Locatie"],
    "composite": ["Samengesteld", "Samengestelde groep"],
    "uitstroomprofiel": ["Uitstroomprofiel"],
    "department": ["Afdeling"],
}

TEXT_FIELDS = ("achternaam", "voorvoegsel", "voornamen", "roepnaam", "woongemeente", "city", "postcode",
               "address", "notes")
GENDER_WORDS = {"m": "m", "man": "m", "jongen": "m", "1": "m", "v": "v", "vrouw": "v", "meisje": "v", "2": "v"}


def _missing(table: Table, columns: dict[str, int], required: list[tuple[tuple[str, ...], str]]) -> list[str]:
    problems = []
    for fields, label in required:
        if not any(f in columns for f in fields):
            where = f" op het tabblad '{table.sheet}'" if table.sheet else ""
            problems.append(f"De kolom {label} ontbreekt{where}. Gevonden kolommen: {headers_found(table.headers)}.")
    return problems


def import_pupils(
    db: Database,
    path: str | Path,
    *,
    create_groups: bool = False,
    membership_from: dt.date | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import pupils (with group and parents) from .xlsx/.csv in one transaction, all or nothing.

    ``progress(done, total)`` is called per ten rows; raising ImportCancelled from it rolls back."""
    table = read_table(path, "leerling")
    columns = match_columns(table.headers, PUPIL_COLUMNS)
    fail_if(_missing(table, columns, [
        (("key", "bsn"), "'Leerlingnummer' (of 'BSN')"),
        (("achternaam", "roepnaam", "voornamen"), "'Achternaam' (of 'Roepnaam')"),
        (("group",), "'Groep'"),
    ]))  # fmt: skip
    result = ImportResult("leerlingen", str(path), warnings=list(table.warnings))
    problems: list[str] = []
    with db.transaction() as s:
        index = Index(s)
        years = school_years(s)
        default_from = membership_from or default_membership_from(s, today)
        next_key = _next_key(index)
        guardians: dict[int, list[Guardian]] = {}
        for g in s.exec(select(Guardian).order_by(Guardian.id)).all():
            guardians.setdefault(g.pupil_id, []).append(g)
        seen_keys: dict[str, int] = {}
        seen_bsn: dict[str, int] = {}
        seen_onr: dict[str, int] = {}
        steps = Progress(progress)
        steps.start(len(table.rows))
        for number, row in table.rows:
            steps.step()
            label = f"Rij {number}"
            row_problems = row_text_problems(table, row, columns, label)
            if row_problems:
                problems += row_problems
                continue
            values, row_problems = _pupil_values(row, columns, years, label, today)
            key = text(row, columns, "key")
            bsn = values.get("bsn", "")
            for seen, value, what in ((seen_keys, key, "leerlingnummer"), (seen_bsn, bsn, "BSN"),
                                      (seen_onr, values.get("onderwijsnummer", ""), "onderwijsnummer")):
                if value and value in seen:
                    row_problems.append(f"{label}: {what} '{value}' staat ook in rij {seen[value]}.")
                elif value:
                    seen[value] = number
            group_name = text(row, columns, "group")
            group = index.find_group(group_name) if group_name else None
            if group_name and group is None:
                if create_groups:
                    group = _create_group(s, index, group_name, result)
                else:
                    known = ", ".join(sorted(g.name for g in index.groups_by_key.values())) or "(nog geen groepen)"
                    row_problems.append(f"{label}: de groep '{group_name}' bestaat niet. Bekende groepen: {known}. "
                                        "Lees eerst de groepen in of kies 'groepen aanmaken'.")
            elif not group_name and not values.get("left_on"):
                row_problems.append(f"{label}: de kolom Groep is leeg.")
            if row_problems:
                problems += row_problems
                continue
            if not key:
                found = index.find_pupil("", bsn)
                key = found.key if found else str(next_key)
                next_key += 0 if found else 1
            pupil = index.upsert_pupil(key, values, result, label)
            if isinstance(pupil, str):
                problems.append(pupil)
                continue
            new = index.last_was_new
            _guardians(s, [] if new else guardians.get(pupil.id, []), pupil, row, columns, result)
            start = membership_start(default_from, pupil)
            if group is not None and start is not None:
                place(s, pupil, group, start, result, new_pupil=new,
                      change_from=None if new else membership_from or today or dt.date.today())
        fail_if(problems)
        audit_import(s, "leerlingen", path, result)
    return result


def _pupil_values(row: list[object], columns: dict[str, int], years: list[Any], label: str,
                  today: dt.date | None) -> tuple[dict[str, Any], list[str]]:
    """The pupil fields present in the file, checked; problems as Dutch per-row messages."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name in TEXT_FIELDS:
        if name in columns:
            values[name] = text(row, columns, name)
    if "gender" in columns:
        values["gender"] = GENDER_WORDS.get(text(row, columns, "gender").lower(), "")
    for name, check, what in (("bsn", check_bsn, "BSN"), ("onderwijsnummer", check_onderwijsnummer,
                                                          "onderwijsnummer")):
        raw = text(row, columns, name)
        if not raw:
            continue  # an empty cell does not erase a number that is already known
        try:
            values[name] = check(raw.zfill(9) if raw.isdigit() and len(raw) == 8 else raw)
        except ValidationError:
            problems.append(f"{label}: het {what} '{raw}' is ongeldig (elfproef).")
    for name, what in PUPIL_DATES.items():
        if name not in columns:
            continue
        try:
            values[name] = parse_date(get(row, columns, name))
        except ValueError as exc:
            problems.append(f"{label}: {what} {exc}.")
    problems += pupil_date_problems(values, label, today)
    for name, what in PUPIL_DATES.items():
        day = values.get(name)
        if day is not None and name != "birth_date":
            problem = school_year_problem(years, day, f"de {what}")
            if problem:
                problems.append(f"{label}: {problem}.")
    return values, problems


def _next_key(index: Index) -> int:
    numbers = [int(k) for k in index.pupils_by_key if k.isdigit()]
    return max(numbers, default=0) + 1


def _create_group(s: Session, index: Index, name: str, result: ImportResult) -> Group:
    digits = re.search(r"\d", name)
    group = index.upsert_group(name, {"name": name, "jaargroep": digits.group(0) if digits else ""}, result,
                               f"Groep '{name}'")
    assert isinstance(group, Group)
    result.warnings.append(f"De groep '{name}' is aangemaakt; geef hem nog een rooster.")
    return group


def _guardians(s: Session, existing: list[Guardian], pupil: Pupil, row: list[object], columns: dict[str, int],
               result: ImportResult) -> None:
    """Parent columns "Ouder 1 …" / "Ouder 2 …" update the pupil's first / second guardian."""
    for n in (1, 2):
        fields = {attr: text(row, columns, f"guardian{n}_{attr}") for attr in ("name", "relation", "phone", "email")
                  if f"guardian{n}_{attr}" in columns}
        if not any(fields.values()):
            continue
        if len(existing) >= n:
            guardian = existing[n - 1]
            outcome = "updated" if set_if_changed(guardian, fields) else "unchanged"
        else:
            guardian = Guardian(pupil_id=pupil.id, **fields)
            outcome = "created"
        s.add(guardian)
        result.count("ouders", outcome)


def import_groups(db: Database, path: str | Path, *, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import groups (Groep/Naam, Jaargroep, Sleutel, Vestiging) from .xlsx/.csv, all or nothing."""
    table = read_table(path, "groep")
    columns = match_columns(table.headers, GROUP_COLUMNS)
    fail_if(_missing(table, columns, [(("name",), "'Groep' (of 'Naam')")]))
    result = ImportResult("groepen", str(path), warnings=list(table.warnings))
    problems: list[str] = []
    with db.transaction() as s:
        index = Index(s)
        seen: dict[str, int] = {}
        steps = Progress(progress)
        steps.start(len(table.rows))
        for number, row in table.rows:
            steps.step()
            label = f"Rij {number}"
            text_problems = row_text_problems(table, row, columns, label)
            if text_problems:
                problems += text_problems
                continue
            name = text(row, columns, "name")
            key = text(row, columns, "key") or name
            if not name:
                problems.append(f"{label}: de naam van de groep is leeg.")
                continue
            if key.lower() in seen:
                problems.append(f"{label}: de groep '{key}' staat ook in rij {seen[key.lower()]}.")
                continue
            seen[key.lower()] = number
            values: dict[str, Any] = {"name": name}
            for attr in ("jaargroep", "uitstroomprofiel", "department"):
                if attr in columns:
                    values[attr] = text(row, columns, attr).upper() if attr == "jaargroep" else text(row, columns, attr)
            if "composite" in columns:
                values["composite"] = text(row, columns, "composite").lower() in ("ja", "j", "x", "1", "true", "waar")
            vestiging_name = text(row, columns, "vestiging")
            if vestiging_name:
                vestiging = index.find_vestiging(vestiging_name)
                if vestiging is None:
                    vestiging = index.upsert_vestiging(vestiging_name, vestiging_name, result)
                    result.warnings.append(f"{label}: de vestiging '{vestiging_name}' is aangemaakt.")
                values["vestiging_id"] = vestiging.id
            existing = index.groups_by_key.get(key.lower()) if text(row, columns, "key") else index.find_group(name)
            found = index.upsert_group(existing.key if existing else key, values, result, label)
            if isinstance(found, str):
                problems.append(found)
        fail_if(problems)
        audit_import(s, "groepen", path, result)
    return result
