"""A small TOML writer for the school set-up file (tomllib only reads TOML).

Writes exactly the shapes the set-up file uses: scalars, dates, lists of strings, tables and arrays of
tables (one level of nesting), with a Dutch comment above each section.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import parse_time

HEADER = """\
# Schoolinrichting voor verzuimdesk (formaat 1; uitleg in docs/imports.md).
# Inlezen: Bestand > Importeren > Schoolinrichting. Opnieuw inlezen werkt bij wat er al is.
# Datums schrijft u als 2026-10-09 (zonder aanhalingstekens), tijden als "08:30".
"""

COMMENTS = {
    "school": "Gegevens van de school. sector: po, sbo, so of vso; regio: noord, midden of zuid "
              "(bepaalt de schoolvakanties).",
    "leerplicht": "De leerplichtambtenaar van elke gemeente waar leerlingen wonen.",
    "vestigingen": "Vestigingen (locaties) van de school; sleutel zoals in EDEXML.",
    "schooljaren": "Schooljaren. De vakanties en feestdagen komen uit de landelijke tabel voor de regio;\n"
                   "# alleen als de school ze heeft aangepast staan ze hier als [[schooljaren.vakanties]].",
    "groepen": "Groepen met hun rooster per weekdag: \"lesnummer = begin-eind\", eventueel gevolgd door een "
               "omschrijving.\n# samengesteld = true voor een samengestelde groep (heeft geen eigen rooster).",
    "vrije_dagen": "Extra vrije dagen: studiedagen, vrije middagen. Zonder 'groepen' geldt het voor de hele "
                   "school;\n# met 'weekdag' alleen op die dag van de week in de periode; met 'tijd' alleen "
                   "dat dagdeel.\n# soort: vakantie, feestdag, studiedag of vrij.",
}


def quote(text: str) -> str:
    """A TOML basic string."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", out)
    return f'"{out}"'


def value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, list):
        items = [value(x) for x in v]
        if len(items) <= 2:
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"    {i},\n" for i in items) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _body(table: dict[str, Any], prefix: str) -> list[str]:
    lines = [f"{k} = {value(v)}" for k, v in table.items() if not _is_tables(v) and not isinstance(v, dict)]
    for k, v in table.items():
        if _is_tables(v):
            for item in v:
                lines += ["", f"[[{prefix}.{k}]]"] + _body(item, f"{prefix}.{k}")
    return lines


def render(data: dict[str, Any]) -> str:
    """The set-up data as TOML text: scalars first, then each table or array of tables with its comment."""
    lines = HEADER.rstrip("\n").split("\n") + [""]
    lines += [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, (dict, list))]
    for k, v in data.items():
        if not isinstance(v, (dict, list)):
            continue
        lines += ["", f"# {COMMENTS[k]}"] if k in COMMENTS else [""]
        if isinstance(v, dict):
            lines += [f"[{k}]"] + _body(v, k)
        elif not v:
            lines.append(f"# ({k}: geen)")
        else:
            for i, item in enumerate(v):
                lines += ([""] if i else []) + [f"[[{k}]]"] + _body(item, k)
    return "\n".join(lines) + "\n"


def lesson_text(number: int | None, start: int, end: int, label: str = "") -> str:
    """"1 = 08:30-09:30 gym" (or "12:00-15:00" without a number)."""
    span = f"{dutch.clock(start)}-{dutch.clock(end)}"
    text = span if number is None else f"{number} = {span}"
    return f"{text} {label}" if label else text


def time_span(text: str) -> tuple[int, int] | None:
    """"12:00-15:00" → (720, 900); None when it is not a time span."""
    m = re.match(r"^\s*(\d{1,2}[:.]?\d{2})\s*-\s*(\d{1,2}[:.]?\d{2})\s*$", text)
    if m is None:
        return None
    try:
        return parse_time(m.group(1)), parse_time(m.group(2))
    except ValidationError:
        return None
