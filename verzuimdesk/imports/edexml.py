"""EDEXML 2.x import: school, vestigingen, groepen (incl. samengestelde groepen), leerlingen.

Parsed leniently (research/domain-anchors.md §3.3): any schooljaar value, unknown elements ignored,
namespaces dropped. Decision on identifiers (docs/imports.md, "BSN"): EDEXML comes from another school
system, so an invalid BSN or onderwijsnummer there is not fatal: the pupil is imported without it and a
warning is given (DUO meldingen need the full number, Besluit Verzuimmelding annex). A spreadsheet typed
by people is different: there an invalid BSN is an error (see spreadsheet.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from verzuimdesk.imports.common import (
    FAILED,
    ImportResult,
    audit_import,
    default_membership_from,
    fail_if,
    parse_date,
    plausible_date,
    pupil_date_problems,
    shown,
)
from verzuimdesk.imports.guard import (
    KEY_MAX,
    NAME_MAX,
    TEXT_MAX,
    Progress,
    check_file,
    fail,
    text_problem,
    xml_message,
)
from verzuimdesk.imports.pupils import Index, end_composite_memberships, membership_start, place
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.records import (
    check_brin,
    check_bsn,
    check_onderwijsnummer,
    get_school,
    save_school,
    setup_school,
)
from verzuimdesk.model.tables import Group, Pupil

GENDER = {"1": "m", "2": "v"}  # NEN-ISO 5218 as used by EDEXML: 0 onbekend, 1 jongen, 2 meisje, 9 n.v.t.
LEFT_JAARGROEP = "H"  # EDEXJaargroepType "H": historisch (pupil has left)


def parse_edexml(path: str | Path) -> etree._Element:
    """Parse the file and return the ``<EDEX>`` root with namespaces removed; ImportFailed on any error."""
    p = check_file(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                             load_dtd=False)
    data = p.read_bytes()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        truncated = b"</EDEX" not in data[-200:]  # a complete export ends with its root's end tag
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise fail(xml_message(p.name, str(exc.msg or exc), line, truncated)) from None
    except ValueError:  # lxml refuses some inputs outright (e.g. a text with a declared encoding it lacks)
        raise fail(f"{p.name} is geen leesbaar XML-bestand. Maak een nieuwe export uit de leerlingadministratie.") from None
    if root is None:
        raise fail(f"{p.name} is leeg of geen XML-bestand.")
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    if root.tag != "EDEX":
        raise fail(
            f"{p.name} is geen EDEXML-bestand: het begint met <{shown(root.tag)}> in plaats van <EDEX>. "
            "Maak in uw leerlingadministratie een export in het formaat EDEXML 2.0 of 2.1."
        )
    fail_if(_text_problems(root))
    return root


NAME_TAGS = {"achternaam", "voorvoegsel", "voornamen", "roepnaam", "naam"}


def _text_problems(root: etree._Element) -> list[str]:
    """Control characters and over-long texts in the parts that are read (limits: guard.py)."""
    problems: list[str] = []
    for part in ("school", "vestigingen", "groepen", "leerlingen"):
        for el in root.iterfind(f"{part}//*") if part != "school" else root.iterfind("school/*"):
            if not isinstance(el.tag, str) or el.tag == "toevoegingen" or _inside_additions(el):
                continue
            where = f"regel {el.sourceline}, <{el.tag}>"
            for attr in ("key",):
                problem = text_problem(el.get(attr) or "", f"Het kenmerk key ({where})", KEY_MAX)
                if problem:
                    problems.append(problem + ".")
            if len(el):
                continue
            limit = NAME_MAX if el.tag in NAME_TAGS else TEXT_MAX
            problem = text_problem((el.text or "").strip(), f"De tekst op {where}", limit)
            if problem:
                problems.append(problem + ".")
    return problems


def _inside_additions(el: etree._Element) -> bool:
    return any(a.tag == "toevoegingen" for a in el.iterancestors())


def _text(el: etree._Element | None, name: str) -> str:
    if el is None:
        return ""
    child = el.find(name)
    return (child.text or "").strip() if child is not None else ""


def _has(el: etree._Element, name: str) -> bool:
    return el.find(name) is not None


def _date(el: etree._Element, name: str, label: str, problems: list[str]) -> dt.date | None:
    raw = _text(el, name)
    try:
        return parse_date(raw)
    except ValueError as exc:
        problems.append(f"{label}: {name} {exc}.")
        return None


def import_edexml(
    db: Database,
    path: str | Path,
    *,
    membership_from: dt.date | None = None,
    school_name: str = "",
    region: str = "midden",
    sector: str = "po",
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import an EDEXML 2.x file in one transaction, all or nothing (docs/imports.md).

    ``progress(done, total)`` is called per ten pupils; raising ImportCancelled from it rolls back."""
    root = parse_edexml(path)
    result = ImportResult("edexml", str(path))
    problems: list[str] = []
    steps = Progress(progress)
    now = today or dt.date.today()
    peildatum = _peildatum(root.find("school"), now, problems)
    problems += _duplicate_keys(root)
    fail_if(problems)
    with db.transaction() as s:
        _school(s, root.find("school"), school_name, region, sector, today, result, problems)
        fail_if(problems)  # without the right school nothing else makes sense
        index = Index(s)
        for v in root.iterfind("vestigingen/vestiging"):
            key = (v.get("key") or "").strip()
            if not key:
                problems.append(f"Vestiging '{_text(v, 'naam')}': het kenmerk key ontbreekt.")
                continue
            index.upsert_vestiging(key, _text(v, "naam"), result)
        for g in root.iterfind("groepen/*"):
            if g.tag not in ("groep", "samengestelde_groep"):
                continue
            key = (g.get("key") or "").strip()
            label = f"Groep '{_text(g, 'naam') or key}'"
            if not key:
                problems.append(f"{label}: het kenmerk key ontbreekt.")
                continue
            values: dict[str, Any] = {"name": _text(g, "naam") or key, "composite": g.tag == "samengestelde_groep"}
            if g.tag == "groep" and _has(g, "jaargroep"):
                values["jaargroep"] = _text(g, "jaargroep")
            found = index.upsert_group(key, values, result, label)
            if isinstance(found, str):
                problems.append(found)
        default_from = membership_from or default_membership_from(s, today)
        fallback_left = peildatum or now
        seen: dict[str, int] = {}
        without_number: list[str] = []
        file_numbers: dict[tuple[str, str], str] = {}  # (bsn|onderwijsnummer, number) → first pupil key
        pupils = root.findall("leerlingen/leerling")
        steps.start(len(pupils))
        for number, el in enumerate(pupils, start=1):
            steps.step()
            key = (el.get("key") or "").strip()
            if not key:
                problems.append(f"Leerling nr. {number} in het bestand: het kenmerk key ontbreekt.")
                continue
            if key in seen:
                problems.append(f"Leerling {key} staat twee keer in het bestand (nr. {seen[key]} en nr. {number}).")
                continue
            seen[key] = number
            dates = (default_from, fallback_left, now, membership_from or now)
            _pupil(s, index, el, key, dates, result, problems, without_number, file_numbers)
        if without_number:
            result.warnings.append(
                f"{dutch.plural(len(without_number), 'leerling', 'leerlingen')} zonder volledig BSN of onderwijsnummer: "
                f"{', '.join(without_number[:20])}{' …' if len(without_number) > 20 else ''}. "
                "Vul het nummer in bij de leerling voordat u een verzuimmelding doet."
            )
        fail_if(problems)
        audit_import(s, "edexml", path, result)
    return result


def _peildatum(el: etree._Element | None, today: dt.date, problems: list[str]) -> dt.date | None:
    raw = _text(el, "peildatum")
    try:
        day = parse_date(raw)
    except ValueError as exc:
        problems.append(f"School: de peildatum {exc}. Maak een nieuwe export.")
        return None
    if day is not None and not plausible_date(day, today):
        problems.append(f"School: de peildatum {dutch.date_short(day)} kan niet kloppen (vóór 1990 of meer dan een jaar "
                        "vooruit). Maak een nieuwe export.")
        return None
    return day


def _duplicate_keys(root: etree._Element) -> list[str]:
    """Two groups (stamgroep or samengesteld) or two vestigingen with the same key: which one is meant?"""
    problems: list[str] = []
    for path, what in (("groepen/*", "groep"), ("vestigingen/vestiging", "vestiging")):
        seen: dict[str, int] = {}
        for el in root.iterfind(path):
            key = (el.get("key") or "").strip().lower()
            if not key or not isinstance(el.tag, str):
                continue
            if key in seen:
                problems.append(f"De {what} met key '{shown(el.get('key'))}' staat twee keer in het bestand "
                                f"(regel {seen[key]} en regel {el.sourceline}). Een sleutel hoort bij één {what}.")
            else:
                seen[key] = el.sourceline or 0
    return problems


def _school(s: Any, el: etree._Element | None, name: str, region: str, sector: str, today: dt.date | None,
            result: ImportResult, problems: list[str]) -> None:
    if el is None:
        problems.append("Het onderdeel <school> ontbreekt; het bestand is geen volledige EDEXML-export.")
        return
    try:
        brin = check_brin(_text(el, "brincode"))
    except ValidationError as exc:
        problems.append(f"School: {exc}")
        return
    if not brin:
        problems.append("School: de brincode ontbreekt in het bestand, dus het is niet na te gaan of het bij deze "
                        "school hoort. Maak een volledige EDEXML-export (met brincode).")
        return
    vestiging = _text(el, "dependancecode") or "00"
    school = get_school(s)
    try:
        if school is None:
            school = setup_school(s, name or (f"School {brin}" if brin else "Mijn school"), brin=brin,
                                  region=region, sector=sector, today=today)
            if vestiging.isdigit() and len(vestiging) == 2:
                school.vestiging = vestiging
                save_school(s, school)
            result.count("school", "created")
            result.warnings.append(
                "EDEXML bevat de naam van de school niet: vul de naam en de gegevens van de school aan "
                "onder Inrichting." if not name else "De school is ingericht met de gegevens uit het bestand."
            )
        elif brin and school.brin and school.brin != brin:
            problems.append(
                f"Dit bestand hoort bij de school met BRIN {brin}, maar deze database is van {school.name} "
                f"(BRIN {school.brin}). Kies het juiste bestand of de juiste database."
            )
        elif brin and not school.brin:
            school.brin = brin
            save_school(s, school)
            result.count("school", "updated")
        else:
            result.count("school", "unchanged")
    except ValidationError as exc:
        problems.append(f"School: {exc}")


def _identifiers(el: etree._Element, key: str, pupil: Pupil | None, result: ImportResult,
                 without_number: list[str]) -> dict[str, Any]:
    """BSN / onderwijsnummer / last 4 digits; invalid numbers are dropped with a warning (see module doc)."""
    values: dict[str, Any] = {}
    label = f"Leerling {key}"
    for tag, attr, check, what in (
        ("bsn", "bsn", check_bsn, "BSN"), ("sofinummer", "bsn", check_bsn, "BSN"),
        ("onderwijsnummer", "onderwijsnummer", check_onderwijsnummer, "onderwijsnummer"),
    ):  # fmt: skip
        raw = _text(el, tag)
        if not raw:
            continue
        try:
            values[attr] = check(raw)
        except ValidationError:
            result.warnings.append(
                f"{label}: het {what} '{raw}' in het bestand is ongeldig (elfproef) en is niet overgenomen. "
                f"Vul het juiste {what} in voordat u een verzuimmelding doet."
            )
    last4 = _text(el, "bsn_ondwnr-4")
    if last4:
        if len(last4) == 4 and last4.isdigit():
            values["bsn_last4"] = last4
        else:
            result.warnings.append(f"{label}: '{last4}' zijn niet de laatste vier cijfers van een BSN.")
    has_full = bool(values.get("bsn") or values.get("onderwijsnummer")
                    or (pupil is not None and (pupil.bsn or pupil.onderwijsnummer)))
    if not has_full:
        if last4:
            result.warnings.append(
                f"{label}: het bestand bevat alleen de laatste vier cijfers van het BSN of onderwijsnummer "
                f"({last4}). Vul het volledige BSN of onderwijsnummer in voordat u een verzuimmelding doet."
            )
        else:
            without_number.append(key)
    return values


def _pupil(s: Any, index: Index, el: etree._Element, key: str, dates: tuple[dt.date, dt.date, dt.date, dt.date],
           result: ImportResult, problems: list[str], without_number: list[str],
           file_numbers: dict[tuple[str, str], str]) -> None:
    default_from, fallback_left, today, change_day = dates
    label = f"Leerling {key}"
    existing = index.pupils_by_key.get(key)
    values: dict[str, Any] = {}
    # Only what the file contains overwrites: a BSN or birth date typed in by the school stays.
    for tag, attr in (("achternaam", "achternaam"), ("voorvoegsel", "voorvoegsel"), ("voornamen", "voornamen"),
                      ("roepnaam", "roepnaam")):
        if _has(el, tag):
            values[attr] = _text(el, tag)
    if _has(el, "geslacht"):
        values["gender"] = GENDER.get(_text(el, "geslacht"), "")
    if _has(el, "postcodenl"):
        values["postcode"] = _text(el, "postcodenl")
    for tag, attr in (("geboortedatum", "birth_date"), ("instroomdatum", "enrolled_on"),
                      ("uitstroomdatum", "left_on")):
        if _has(el, tag):
            values[attr] = _date(el, tag, label, problems)
    date_problems = pupil_date_problems(values, label, today)
    if date_problems:
        problems += date_problems
        return
    values.update(_identifiers(el, key, existing or index.pupils_by_bsn.get(values.get("bsn", "")), result,
                               without_number))
    jaargroep = _text(el, "jaargroep").upper()
    if jaargroep == LEFT_JAARGROEP and not values.get("left_on"):
        values["left_on"] = (existing.left_on if existing and existing.left_on else None) or fallback_left
        result.warnings.append(
            f"{label}: jaargroep H (vertrokken) zonder uitstroomdatum; als datum van uitschrijving is "
            f"{dutch.date_short(values['left_on'])} genomen. Controleer deze datum."
        )
    v_ref = el.find("vestiging")
    if v_ref is not None and v_ref.get("key"):
        vestiging = index.find_vestiging(v_ref.get("key", ""))
        if vestiging is None:
            problems.append(f"{label}: vestiging '{v_ref.get('key')}' staat niet in het bestand.")
        else:
            values["vestiging_id"] = vestiging.id
    for attr, what in (("bsn", "het BSN"), ("onderwijsnummer", "het onderwijsnummer")):
        number = str(values.get(attr) or "")
        first = file_numbers.setdefault((attr, number), key) if number else key
        if first != key:
            problems.append(f"{label}: {what} {number} staat in het bestand ook bij leerling {first}. Twee leerlingen "
                            f"hebben nooit hetzelfde nummer: verbeter het in de leerlingadministratie.")
            return
    pupil = index.upsert_pupil(key, values, result, label)
    new = index.last_was_new
    if isinstance(pupil, str):
        problems.append(pupil)
        return
    start = membership_start(default_from, pupil)
    groups: list[Group] = []
    refs = [r for r in (el.find("groep"),) if r is not None] + el.findall("samengestelde_groepen/samengestelde_groep")
    for ref in refs:
        group = index.groups_by_key.get((ref.get("key") or "").lower())
        if group is None:
            problems.append(f"{label}: groep '{ref.get('key')}' staat niet in het bestand bij de groepen.")
            continue
        groups.append(group)
    if start is None:
        return  # a former pupil is not placed in a current group
    change_from = None if new else change_day  # an existing pupil changes groups from today, not in the past
    for group in groups:
        place(s, pupil, group, start, result, change_from=change_from)
    end_composite_memberships(s, pupil, {g.id for g in groups if g.composite and g.id is not None},
                              max(start, change_from or start))


__all__ = ["FAILED", "import_edexml", "parse_edexml"]
