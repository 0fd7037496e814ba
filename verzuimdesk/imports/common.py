"""Shared parts of the imports: the result, header matching, date parsing and reading xlsx/csv tables.

Every import is all-or-nothing: problems are collected per row and, if there is any, the import raises
:class:`ImportFailed` inside its transaction so that nothing is written (docs/imports.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.guard import (
    FAILED,
)
from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for
from verzuimdesk.model.tables import SchoolYear

KIND_LABELS = {
    "leerlingen": "leerlingen",
    "groepen": "groepen",
    "lidmaatschappen": "groepsplaatsingen",
    "vestigingen": "vestigingen",
    "ouders": "ouders/verzorgers",
    "schooljaren": "schooljaren",
    "vrije_dagen": "vrije dagen",
    "roosters": "roosters",
    "leerplicht": "leerplichtcontacten",
    "school": "school",
    "registraties": "registraties",
}


@dataclass
class ImportResult:
    """What an import did: per kind (``"leerlingen"``, ``"groepen"``, …) the created/updated/unchanged
    counts, plus Dutch warnings that did not stop the import."""

    kind: str
    path: str = ""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # per existing pupil: "Leerling 1001 (…): roepnaam 'A' → 'B'"

    def count(self, kind: str, outcome: str) -> None:
        """Add one to ``outcome`` ("created", "updated" or "unchanged") for ``kind``."""
        target: dict[str, int] = getattr(self, outcome)
        target[kind] = target.get(kind, 0) + 1

    def kinds(self) -> list[str]:
        seen: list[str] = []
        for d in (self.created, self.updated, self.unchanged):
            seen += [k for k in d if k not in seen]
        return seen

    def summary(self) -> str:
        """Dutch one-liner, e.g. "Ingelezen: leerlingen 3 nieuw, 0 bijgewerkt, 0 ongewijzigd; 2 waarschuwingen."."""
        parts = [
            f"{KIND_LABELS.get(k, k)} {self.created.get(k, 0)} nieuw, {self.updated.get(k, 0)} bijgewerkt, "
            f"{self.unchanged.get(k, 0)} ongewijzigd"
            for k in self.kinds()
        ]
        text = "Ingelezen: " + ("; ".join(parts) if parts else "niets te doen")
        if self.warnings:
            n = len(self.warnings)
            text += f"; {dutch.plural(n, 'waarschuwing', 'waarschuwingen')}"
        return text + "."

    def report_text(self) -> str:
        """The whole result as plain Dutch text: summary, every change to an existing pupil, every warning."""
        lines = [f"Importeren: {Path(self.path).name}" if self.path else "Importeren", "", self.summary()]
        if self.changes:
            lines += ["", f"Gewijzigde leerlingen ({len(self.changes)}):"] + [f"- {c}" for c in self.changes]
        if self.warnings:
            lines += ["", f"Waarschuwingen ({len(self.warnings)}):"] + [f"- {w}" for w in self.warnings]
        return "\n".join(lines) + "\n"


def failure_text(path: str | Path, error: ImportFailed) -> str:
    """A refused import as plain Dutch text with every problem (the exception's message shows 50)."""
    lines = [f"Importeren: {Path(path).name}", "", error.summary]
    if error.problems:
        lines += ["", f"Fouten ({len(error.problems)}):"] + [f"- {p}" for p in error.problems]
    return "\n".join(lines) + "\n"


def audit_import(session: Session, kind: str, path: str | Path, result: ImportResult) -> None:
    """One audit row for the import, and one per existing pupil it changed (old → new)."""
    audit(session, f"import {kind}", f"{Path(path).name}: {result.summary()}")
    for change in result.changes:
        audit(session, f"import {kind}: leerling gewijzigd", change)


def fail_if(problems: list[str]) -> None:
    """Raise :class:`ImportFailed` when there are problems (the caller's transaction rolls back)."""
    if problems:
        raise ImportFailed(FAILED, problems)


def set_if_changed(obj: Any, values: dict[str, Any]) -> bool:
    """Assign ``values`` to ``obj``; True when anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# --------------------------------------------------------------------------------------- headers


def normalise_header(text: object) -> str:
    """Case-, accent-, space- and punctuation-insensitive form: "Datum in-schrijving" → "datuminschrijving"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", plain.lower())


def match_columns(headers: list[str], spec: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Map each field of ``spec`` (field → synonyms) to the index of the first header that matches."""
    normalised = [normalise_header(h) for h in headers]
    found: dict[str, int] = {}
    for name, synonyms in spec.items():  # synonyms in order of preference; a column is used once
        for wanted in (normalise_header(s) for s in synonyms):
            i = next((i for i, h in enumerate(normalised) if h == wanted and i not in found.values()), None)
            if i is not None:
                found[name] = i
                break
    return found


def headers_found(headers: list[str]) -> str:
    shown = [f"'{h}'" for h in headers if str(h).strip()]
    return ", ".join(shown) if shown else "(geen)"


# ------------------------------------------------------------------------------------------- values


def cell_text(value: object) -> str:
    """A cell as text: whole floats without ".0" (Excel stores numbers such as leerlingnummers as floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", re.ASCII), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII), ("y", "m", "d")),
]


def parse_date(value: object) -> dt.date | None:
    """Excel date, date serial, "dd-mm-jjjj", "d-m-jjjj" or "jjjj-mm-dd"; None when empty.

    Raises ``ValueError`` with a Dutch message when the value is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"'{shown(value)}' is geen datum")
    text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", text) else text
    text = text.split("T")[0]
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups())))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise ValueError(f"'{shown(text)}' is geen datum; schrijf bijvoorbeeld 31-12-2025")


EARLIEST = dt.date(1990, 1, 1)


def plausible_date(day: dt.date, today: dt.date | None = None) -> bool:
    """Dates before 1990 or more than a year ahead are typing errors in a pupil administration."""
    return EARLIEST <= day <= (today or dt.date.today()) + dt.timedelta(days=366)


def pupil_date_problems(values: dict[str, Any], label: str, today: dt.date | None = None) -> list[str]:
    """Implausible pupil dates, the same for every import: before 1990, more than a year ahead, a birth date
    in the future, enrolment less than two years after birth (no school enrols a baby), leaving before
    enrolment. Problems are Dutch; the dates concerned are removed from ``values``."""
    problems: list[str] = []
    now = today or dt.date.today()
    for name, what in PUPIL_DATES.items():
        day = values.get(name)
        if day is None:
            continue
        if not plausible_date(day, now) or (name == "birth_date" and day > now):
            problems.append(f"{label}: de {what} {dutch.date_short(day)} kan niet kloppen (vóór 1990 of in de toekomst). "
                            "Verbeter de datum.")
            values.pop(name)
    born, enrolled, left = values.get("birth_date"), values.get("enrolled_on"), values.get("left_on")
    if born and enrolled and enrolled < born + dt.timedelta(days=365 * 2):
        problems.append(f"{label}: de datum van inschrijving {dutch.date_short(enrolled)} ligt te kort na (of vóór) de "
                        f"geboortedatum {dutch.date_short(born)}. Verbeter een van beide.")
    if enrolled and left and left < enrolled:
        problems.append(f"{label}: de datum van uitschrijving {dutch.date_short(left)} ligt vóór de inschrijving "
                        f"{dutch.date_short(enrolled)}.")
    return problems


PUPIL_DATES = {"birth_date": "geboortedatum", "enrolled_on": "datum van inschrijving",
               "left_on": "datum van uitschrijving"}


# ----------------------------------------------------------------------------------- school years


def default_membership_from(session: Session, today: dt.date | None = None) -> dt.date:
    """Start of the current school year (the stored one containing today, else 1 August)."""
    day = today or dt.date.today()
    year = session.exec(select(SchoolYear).where(SchoolYear.start_date <= day, SchoolYear.end_date >= day)).first()
    return year.start_date if year else school_year_bounds(school_year_name_for(day))[0]


def school_year_problem(years: list[SchoolYear], day: dt.date, what: str) -> str | None:
    """A Dutch problem when ``day`` lies in no stored school year (dates before the first one are history
    from before the school used verzuimdesk and are accepted)."""
    if not years:
        return "de database heeft nog geen schooljaren; richt eerst de school in"
    first = min(y.start_date for y in years)
    if day < first or any(y.start_date <= day <= y.end_date for y in years):
        return None
    known = ", ".join(y.name for y in sorted(years, key=lambda y: y.start_date))
    return f"{what} {dutch.date_short(day)} ligt buiten de schooljaren in de database ({known})"


def shown(value: object, limit: int = 40) -> str:
    """A value for in a message: control characters as '?', cut to ``limit`` characters."""
    text = "".join("?" if (ord(c) < 32 or ord(c) == 127) else c for c in cell_text(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
