"""Inzage and deletion per pupil (issue 11 point 4; AVG art. 15 right of access, art. 16 rectification,
art. 17 erasure; domain.md §11 "one export per pupil").

:func:`inzage_export_data` gathers every row the program holds on one pupil (all tables linked to the pupil,
:mod:`verzuimdesk.model.security.pupil_data`) with the names of the reasons and groups they refer to, and
records in the audit trail that an export was made (who, for which pupil number, how many rows). Rendering
(PDF for people, JSON and CSV in a ZIP for machines) is :mod:`verzuimdesk.reports.inzage`.

Correction goes through the normal screens, which audit every change. Deletion (:func:`delete_pupil_on_request`)
removes the same rows as the purge; while the retention period runs (the pupil has not left, or left less than
``bewaartermijn_jaren`` ago) the law asks the school to keep absence data (art. 17 sub 3b AVG), so deletion then
needs an explicit choice and a reason, which the audit line records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.model.audit import audit, erase_pupil_lines
from verzuimdesk.model.dutch import date_long, plural
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.security.pupil_data import counts_text, delete_rows, rows_of
from verzuimdesk.model.security.retention import retention_years
from verzuimdesk.model.tables import Group, Pupil, Reason


@dataclass
class InzageExport:
    school: str
    pupil_key: str
    pupil_name: str
    made_on: dt.date
    made_by: str
    tables: dict[str, list[dict[str, Any]]]
    reasons: dict[int, str] = field(default_factory=dict)  # reason id → "Z – Ziek"
    groups: dict[int, str] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    return pupil


def inzage_export_data(session: Session, pupil_id: int, today: dt.date | None = None) -> InzageExport:
    """Everything on the pupil, for an inzage request; the request is recorded in the audit trail."""
    from verzuimdesk.model.store import current_user

    pupil = _pupil(session, pupil_id)
    school = get_school(session)
    data = InzageExport(
        school=school.name if school else "", pupil_key=pupil.key, pupil_name=display_name(pupil),
        made_on=today or dt.date.today(), made_by=current_user(session), tables=rows_of(session, pupil_id),
        reasons={r.id: f"{r.code} – {r.name}" for r in session.exec(select(Reason)).all() if r.id is not None},
        groups={g.id: g.name for g in session.exec(select(Group)).all() if g.id is not None},
    )  # fmt: skip
    counts = {name: len(rows) for name, rows in data.tables.items()}
    audit(session, "inzage-export gemaakt (art. 15 AVG)", f"leerling {pupil.key}: {counts_text(counts)}")
    return data


def retention_applies(session: Session, pupil_id: int, today: dt.date) -> str:
    """Why the law still asks to keep the pupil's absence data ("" when it does not)."""
    pupil = _pupil(session, pupil_id)
    years = retention_years(session)
    if pupil.left_on is None:
        return (f"{display_name(pupil)} staat nog ingeschreven. Verzuimgegevens bewaart de school tot {years} jaar "
                "na uitschrijving (bewaartermijn); de leerplichtambtenaar en de inspectie kunnen ernaar vragen.")
    until = add_years(pupil.left_on, years)
    if until >= today:
        return (f"{display_name(pupil)} is op {date_long(pupil.left_on)} uitgeschreven; de bewaartermijn van "
                f"{years} jaar loopt tot {date_long(until)}.")
    return ""


def delete_pupil_on_request(session: Session, pupil_id: int, today: dt.date, *, despite_retention: bool = False,
                            reason: str = "") -> dict[str, int]:
    """Remove everything on the pupil at the parents' request (art. 17 AVG)."""
    pupil = _pupil(session, pupil_id)
    legal = retention_applies(session, pupil_id, today)
    if legal and not despite_retention:
        raise ValidationError(f"Er geldt nog een bewaartermijn: {legal} Verwijderen kan alleen met een bewuste keuze "
                              "en een reden. Er is niets verwijderd.")  # fmt: skip
    if legal and not reason.strip():
        raise ValidationError("Geef de reden op waarom de gegevens binnen de bewaartermijn worden verwijderd.")
    key = pupil.key
    counts = delete_rows(session, [pupil_id])
    erased = erase_pupil_lines(session, [pupil_id])
    detail = f"leerling {key}: {counts_text(counts)}; {plural(erased, 'logboekregel', 'logboekregels')} gewist" + \
        (f"; binnen de bewaartermijn, reden: {reason.strip()}" if legal else "")
    audit(session, "verwijderd op verzoek (art. 17 AVG)", detail)
    return counts


def pupil_choices(session: Session) -> list[tuple[int, str]]:
    """Every pupil still in the database (also those who left), as (id, "Naam (nr. 1001, uitgeschreven …)")."""
    out = []
    for p in session.exec(select(Pupil)).all():
        if p.id is None:
            continue
        left = f", uitgeschreven {p.left_on:%d-%m-%Y}" if p.left_on else ""
        out.append((p.id, f"{display_name(p)} (nr. {p.key}{left})"))
    return sorted(out, key=lambda item: item[1].lower())
