"""Retention and purge (issue 11 point 3; AVG art. 5 sub 1e, storage limitation; domain.md §11).

Default period: **5 years after the pupil left** (``left_on``), the customary term for absence and
enrolment data in primary and secondary education (the sector's retention lists, e.g. Ouders & Onderwijs
"Bewaartermijn" and the PO-Raad/Kennisnet model privacy statement; the former Vrijstellingsbesluit Wbp art. 19
set 2 years for the pupil file in general). The AVG sets no term itself; the school chooses it (setting
``bewaartermijn_jaren``, 1–20) and names it in the schoolgids (:mod:`verzuimdesk.model.policy.themes`).

A pupil is due when ``left_on`` plus the term lies before today. The purge removes everything of that pupil
(:mod:`verzuimdesk.model.security.pupil_data`: registrations, calls, leave, meldingen and their files,
signals, dossier, guardians, the pupil itself) after confirmation, in one transaction, and writes one audit line
with the counts, never the data. Aggregated figures, the DUO delivery log and the schoolgids versions hold no
pupil and stay. The audit trail's lines about the pupil keep their place in the hash chain, but their content
(names, old → new values) is erased (:func:`verzuimdesk.model.audit.erase_pupil_lines`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model.audit import audit, erase_pupil_lines
from verzuimdesk.model.dutch import plural
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.security.pupil_data import count_rows, counts_text, delete_rows
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables import Pupil

RETENTION_KEY = "bewaartermijn_jaren"
DEFAULT_YEARS = 5


def retention_years(session: Session) -> int:
    text = get_setting(session, RETENTION_KEY, "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 20 else DEFAULT_YEARS


@dataclass(frozen=True)
class DuePupil:
    pupil_id: int
    key: str
    name: str
    left_on: dt.date
    due_since: dt.date
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        return counts_text(self.counts)


def due_for_removal(session: Session, today: dt.date) -> list[DuePupil]:
    """Pupils who left more than the retention period ago, with what would be removed."""
    years = retention_years(session)
    pupils = session.exec(select(Pupil).where(col(Pupil.left_on).is_not(None)).order_by(col(Pupil.left_on))).all()
    out = []
    for p in pupils:
        assert p.left_on is not None and p.id is not None
        due = add_years(p.left_on, years)
        if due < today:
            out.append(DuePupil(p.id, p.key, display_name(p), p.left_on, due, count_rows(session, [p.id])))
    return out


def purge(session: Session, pupil_ids: list[int], today: dt.date) -> dict[str, int]:
    """Remove the data of these pupils, all of whom must be due (checked again: a list on screen may be old)."""
    due = {d.pupil_id for d in due_for_removal(session, today)}
    not_due = [pid for pid in pupil_ids if pid not in due]
    if not_due:
        raise ValidationError("Een of meer leerlingen zijn nog niet aan de beurt om te worden verwijderd; vernieuw "
                              "de lijst. Er is niets verwijderd.")  # fmt: skip
    if not pupil_ids:
        raise ValidationError("Er zijn geen leerlingen gekozen; er is niets verwijderd.")
    counts = delete_rows(session, pupil_ids)
    erased = erase_pupil_lines(session, pupil_ids)
    audit(session, "opgeschoond na bewaartermijn",
          f"{plural(len(pupil_ids), 'leerling', 'leerlingen')}, bewaartermijn {retention_years(session)} jaar: "
          f"{counts_text(counts)}; {plural(erased, 'logboekregel', 'logboekregels')} gewist")
    return counts
