"""Absence reasons and their legal mapping (domain.md §4.1–4.2; art. 11 Lpw grounds a–g).

Choices in the default list (issue 9, point 9; also in ``docs/law.md``):
- *Leerlingenvervoer* (VV): a pupil who misses lessons because the school transport (arranged by the
  municipality) came late or not at all is absent through no fault of his own: authorised absence, counted
  in the figures like any other, not "niet meegeteld" (that category is for lessons the school did not give).
- *Afstandsonderwijs* (AO) counts as present only when the school has an approved afwijking van de
  onderwijstijd for it (setting ``afwijking_onderwijstijd``; the inspectie approves deviations from the
  onderwijstijd); without it, lessons at a distance are no lessons on the timetable and the pupil is
  authorised absent (the school agreed to it). :func:`set_afwijking_onderwijstijd` switches every reason
  marked ``needs_afwijking`` between the two, with an audited mapping change for a reason in use.
- *Art. 11a* (five-year-olds): two reasons of their own, "melding" (lid 1, up to 5 hours a week) and
  "toestemming" (lid 2, up to 5 more), authorised without an art. 11 ground; the weekly check is in
  :mod:`verzuimdesk.model.law.leave.art11a`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, col, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.store import attach, get_setting, set_setting
from verzuimdesk.model.tables import AbsenceEntry, Category, Reason, ReasonMappingChange

# Art. 11 Lpw, grounds for "vrijstelling van geregeld schoolbezoek" (authorised absence).
LEGAL_GROUNDS = {
    "a": "school gesloten of onderwijs geschorst (art. 11 onder a)",
    "b": "schoolbezoek verboden door algemeen verbindend voorschrift (art. 11 onder b)",
    "c": "schorsing als tuchtmaatregel (art. 11 onder c)",
    "d": "ziekte (art. 11 onder d, art. 12)",
    "e": "plichten voortvloeiend uit godsdienst of levensovertuiging (art. 11 onder e, art. 13)",
    "f": "vakantieverlof wegens beroep ouders (art. 11 onder f, art. 13a)",
    "g": "andere gewichtige omstandigheden (art. 11 onder g, art. 14)",
}

CATEGORY_LABELS = {
    Category.PRESENT.value: "aanwezig",
    Category.AUTHORISED.value: "geoorloofd afwezig",
    Category.UNAUTHORISED.value: "ongeoorloofd afwezig",
    Category.NOT_COUNTED.value: "niet meegeteld (door school veroorzaakt)",
}

# The default list of domain.md §4.2: (code, name, category, ground, lateness, unresolved, sickness, colour).
DEFAULT_REASONS: list[tuple[str, str, Category, str, bool, bool, bool, str]] = [
    ("A", "Aanwezig", Category.PRESENT, "", False, False, False, "#FFFFFF"),
    ("Z", "Ziek", Category.AUTHORISED, "d", False, False, True, "#8DB8E8"),
    ("M", "Medisch bezoek (arts, tandarts, therapie)", Category.AUTHORISED, "d", False, False, True, "#A9CCE3"),
    ("V", "Vakantieverlof beroep ouders (toegekend)", Category.AUTHORISED, "f", False, False, False, "#A3D9A5"),
    ("G", "Verlof gewichtige omstandigheden (toegekend)", Category.AUTHORISED, "g", False, False, False, "#C5E1A5"),
    ("R", "Religieuze verplichting", Category.AUTHORISED, "e", False, False, False, "#D7BDE2"),
    ("S", "Schorsing", Category.AUTHORISED, "c", False, False, False, "#BCAAA4"),
    ("U", "Eruit gestuurd / time-out", Category.AUTHORISED, "", False, False, False, "#D7CCC8"),
    ("TG", "Te laat, geoorloofd", Category.AUTHORISED, "", True, False, False, "#FFF59D"),
    ("T", "Te laat, ongeoorloofd", Category.UNAUTHORISED, "", True, False, False, "#FFCC80"),
    ("O", "Ongeoorloofd afwezig (spijbelen, zonder bericht)", Category.UNAUTHORISED, "", False, False, False,
     "#EF9A9A"),
    ("L", "Luxe verzuim (vakantie zonder verlof)", Category.UNAUTHORISED, "", False, False, False, "#E57373"),
    ("X", "Afwezig, reden onbekend (nog nabellen)", Category.UNAUTHORISED, "", False, True, False, "#F48FB1"),
    ("LU", "Lesuitval / niet ingeroosterd", Category.NOT_COUNTED, "a", False, False, False, "#E0E0E0"),
    ("AO", "Afstandsonderwijs volgens afspraak", Category.AUTHORISED, "", False, False, False, "#E8F5E9"),
    ("VV", "Leerlingenvervoer te laat/afwezig", Category.AUTHORISED, "", False, False, False, "#CFD8DC"),
    ("K5", "Thuis, vijfjarige (melding ouders, art. 11a)", Category.AUTHORISED, "", False, False, False, "#FFE0B2"),
    ("K5T", "Thuis, vijfjarige (toestemming directeur, art. 11a)", Category.AUTHORISED, "", False, False, False,
     "#FFCC80"),
]  # fmt: skip
ART11A_CODES = {"K5": "melding", "K5T": "toestemming"}  # art. 11a lid 1 and lid 2 Lpw
NEEDS_AFWIJKING_CODES = {"AO"}  # present only with an approved afwijking onderwijstijd
AFWIJKING_SETTING = "afwijking_onderwijstijd"  # "ja" when the school has an approved afwijking onderwijstijd


def ensure_default_reasons(session: Session) -> None:
    """Insert the default reasons that are missing (by code); never touches existing ones."""
    existing = {r.code for r in session.exec(select(Reason)).all()}
    for order, (code, name, cat, ground, late, unresolved, sick, colour) in enumerate(DEFAULT_REASONS):
        if code in existing:
            continue
        session.add(
            Reason(code=code, name=name, category=cat.value, legal_ground=ground, is_lateness=late,
                   is_unresolved=unresolved, is_sickness=sick, sick_report=code == "Z", color=colour,
                   sort_order=order, art11a=ART11A_CODES.get(code, ""), needs_afwijking=code in NEEDS_AFWIJKING_CODES)
        )
    session.flush()
    if afwijking_approved(session):  # a new AO on a school with an approved afwijking counts as present
        for reason in session.exec(select(Reason).where(Reason.needs_afwijking == True)).all():  # noqa: E712
            if reason.code not in existing and reason.category != Category.PRESENT.value:
                reason.category = Category.PRESENT.value
                session.add(reason)
        session.flush()


def afwijking_approved(session: Session) -> bool:
    """Whether the school has an approved afwijking van de onderwijstijd for afstandsonderwijs."""
    return get_setting(session, AFWIJKING_SETTING, "").strip().lower() == "ja"


def set_afwijking_onderwijstijd(session: Session, approved: bool, *, by: str, why: str = "",
                                now: dt.datetime | None = None) -> list[Reason]:
    """Record whether the afwijking onderwijstijd is approved, and map every ``needs_afwijking`` reason to
    present (approved) or authorised absence (not approved); a reason in use gets an audited mapping change
    (domain.md §4.2). Returns the reasons whose mapping changed."""
    set_setting(session, AFWIJKING_SETTING, "ja" if approved else "")
    target = Category.PRESENT.value if approved else Category.AUTHORISED.value
    note = why.strip() or ("Afwijking onderwijstijd goedgekeurd: afstandsonderwijs telt als aanwezig." if approved
                           else "Geen goedgekeurde afwijking onderwijstijd: afstandsonderwijs is geoorloofd afwezig.")
    changed = []
    for reason in session.exec(select(Reason).where(Reason.needs_afwijking == True)).all():  # noqa: E712
        if reason.category == target:
            continue
        assert reason.id is not None
        if reason_in_use(session, reason.id):
            session.add(ReasonMappingChange(
                reason_id=reason.id, old_category=reason.category, old_legal_ground=reason.legal_ground,
                new_category=target, new_legal_ground="", changed_by=by, changed_at=now or dt.datetime.now(),
                why=note))  # fmt: skip
        reason.category, reason.legal_ground = target, ""
        session.add(reason)
        changed.append(reason)
    session.flush()
    return changed


def reasons_by_code(session: Session) -> dict[str, Reason]:
    return {r.code: r for r in session.exec(select(Reason).order_by(col(Reason.sort_order))).all()}


def reason_by_code(session: Session, code: str) -> Reason:
    reason = session.exec(select(Reason).where(func.upper(Reason.code) == code.strip().upper())).first()
    if reason is None:
        raise ValidationError(f"Onbekende redencode '{code}'. Kies een code uit de lijst met redenen.")
    return reason


def observed_only(reason: Reason) -> bool:
    """Whether a reason records what was seen on the day itself, so that it cannot be entered for a future
    date: being late, absence without a reason yet (nabellen) and unauthorised absence (art. 21 Lpw: the
    school reports absence that took place). Reported absence (ziekte, art. 12) and granted leave (art. 11
    onder e–g, 13a, 14) are known beforehand and may be entered ahead. Choice: every reason of the category
    "ongeoorloofd" counts as observed, luxe verzuim included (it is only established when the pupil stayed
    away); a school's own authorised reason may be entered ahead."""
    return reason.is_lateness or reason.is_unresolved or reason.category == Category.UNAUTHORISED.value


def reason_in_use(session: Session, reason_id: int) -> bool:
    return session.exec(select(AbsenceEntry.id).where(AbsenceEntry.reason_id == reason_id).limit(1)).first() is not None


def validate_mapping(category: str, legal_ground: str) -> None:
    if category not in {c.value for c in Category}:
        raise ValidationError(f"Onbekende categorie '{category}'.")
    if legal_ground and legal_ground not in LEGAL_GROUNDS:
        raise ValidationError(f"'{legal_ground}' is geen grond uit art. 11 Leerplichtwet (a tot en met g).")
    if legal_ground and category == Category.UNAUTHORISED.value:
        raise ValidationError("Een ongeoorloofde reden heeft geen grond uit art. 11 Leerplichtwet.")


def save_reason(
    session: Session,
    reason: Reason,
    *,
    by: str,
    why: str = "",
    now: dt.datetime | None = None,
) -> Reason:
    """Create or update a reason. Changing the legal mapping of a reason in use needs a reason ``why``
    and is recorded (domain.md §4.2: "never the mapping of a reason in use without an audited change")."""
    code = reason.code.strip().upper()
    if not code or len(code) > 4 or not code.isalnum():
        raise ValidationError("Een redencode bestaat uit 1 tot 4 letters of cijfers, bijvoorbeeld 'Z' of 'TG'.")
    if not reason.name.strip():
        raise ValidationError("Geef de reden een naam.")
    validate_mapping(reason.category, reason.legal_ground)
    if reason.needs_afwijking and reason.category == Category.PRESENT.value and not afwijking_approved(session):
        raise ValidationError("Afstandsonderwijs telt alleen als aanwezig met een goedgekeurde afwijking van de "
                              "onderwijstijd. Leg die eerst vast bij de instellingen, of kies 'geoorloofd afwezig'.")
    with session.no_autoflush:
        clash = session.exec(select(Reason).where(func.upper(Reason.code) == code)).first()
    if clash is not None and clash.id != reason.id:
        raise ValidationError(f"De code '{code}' is al in gebruik voor '{clash.name}'.")
    reason.code = code
    reason.name = reason.name.strip()
    if reason.id is not None:
        with session.no_autoflush:  # read the stored mapping, not the edited object
            stored = session.exec(
                select(Reason.category, Reason.legal_ground).where(Reason.id == reason.id)
            ).one()
        mapping_changed = (stored[0], stored[1]) != (reason.category, reason.legal_ground)
        if mapping_changed and reason_in_use(session, reason.id):
            if not why.strip():
                raise ValidationError(
                    "Deze reden is al gebruikt in de registratie. Geef aan waarom de wettelijke indeling "
                    "verandert; de wijziging wordt vastgelegd."
                )
            session.add(
                ReasonMappingChange(
                    reason_id=reason.id, old_category=stored[0], old_legal_ground=stored[1],
                    new_category=reason.category, new_legal_ground=reason.legal_ground, changed_by=by,
                    changed_at=now or dt.datetime.now(), why=why.strip(),
                )
            )  # fmt: skip
    return attach(session, reason)
