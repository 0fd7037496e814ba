"""The pupil dossier (domain.md §10): contacts with parents and partners, interventions with their
evaluation, and one timeline of everything the school knows and did about a pupil's absence.

Seed 004 L367: the school evaluates "was the absence noticed in time, were interventions timely and
effective?" — hence an evaluation date per intervention and :func:`due_evaluations`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import check_version
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import kind_label, status_label
from verzuimdesk.model.law.meldingen import describe_melding
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import daterange
from verzuimdesk.model.store import attach
from verzuimdesk.model.tables import CallRecord, Category, Pupil, Reason
from verzuimdesk.model.tables.law import (
    ContactMoment,
    Intervention,
    LeaveRequest,
    LeaveStatus,
    Melding,
    MeldingStatus,
    SignalHandling,
)
from verzuimdesk.model.tables.letters import LetterRecord

CONTACT_KINDS = ("gesprek", "telefoon", "e-mail", "huisbezoek", "overleg")
T = TypeVar("T", ContactMoment, Intervention)
CONTACT_FIELDS = {"date", "kind", "with_whom", "summary", "agreements", "planned"}
INTERVENTION_FIELDS = {"title", "description", "start_date", "evaluation_date"}
SIGNAL_ACTIONS = {"melding": "melding opgesteld", "signaal": "signaal gegeven", "gesprek": "gesprek gepland",
                  "afgewezen": "afgewezen", "brief": "brief aan de ouders"}  # fmt: skip
SIGNAL_KINDS = {"zorgelijk": "zorgelijk verzuim", "zorg": "zorgsignaal (ziekteverzuim)", "V3": "16 uur (V3)",
                "V4": "16 uur, 18+ (V4)", "LRV": "langdurig relatief verzuim", "L": "luxe verzuim",
                "te_laat_ladder": "te laat komen (ladder)"}  # fmt: skip


@dataclass(frozen=True)
class TimelineItem:
    """One line of the dossier timeline: what happened on ``date``, in Dutch, and the row it refers to."""

    date: dt.date
    kind: str  # verzuim, verlofaanvraag, verlofbesluit, melding, signaal, nabellen, contact, interventie, evaluatie, brief
    text: str
    ref_id: int | None
    at: dt.datetime | None = None  # time of the action, when known (orders items on one date)


# -------------------------------------------------------------------------------------------- contacts


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    return pupil


def _check_contact(contact: ContactMoment) -> None:
    if contact.kind not in CONTACT_KINDS:
        raise ValidationError(f"Onbekende soort contact '{contact.kind}'. Kies uit: {', '.join(CONTACT_KINDS)}.")
    if not contact.planned and not contact.summary.strip():
        raise ValidationError("Schrijf kort op wat er besproken is (of markeer het contact als gepland).")


def add_contact(
    session: Session, pupil_id: int, date: dt.date, kind: str = "gesprek", *, by: str, with_whom: str = "",
    summary: str = "", agreements: str = "", planned: bool = False, now: dt.datetime | None = None,
) -> ContactMoment:  # fmt: skip
    """A contact with the parents or a partner (domain.md §10: date, who, summary, agreements)."""
    _pupil(session, pupil_id)
    contact = ContactMoment(pupil_id=pupil_id, date=date, kind=kind, with_whom=with_whom.strip(),
                            summary=summary.strip(), agreements=agreements.strip(), planned=planned, created_by=by,
                            created_at=now or dt.datetime.now())  # fmt: skip
    _check_contact(contact)
    session.add(contact)
    session.flush()
    audit(session, "contact", f"{kind} op {date} (leerling {pupil_id})", by=by)
    return contact


def _update(session: Session, row: T | None, missing: str, allowed: set[str], changes: dict[str, Any],
            check: Callable[[T], None], expected_version: int | None = None, what: str = "") -> T:
    """Apply ``changes`` (only the ``allowed`` fields, text stripped) to a stored dossier row and check it. With
    ``expected_version`` (as the screen loaded it) a row changed meanwhile on another PC is a conflict (issue 14)."""
    if row is not None and expected_version is not None:
        check_version(session, type(row), row.id, expected_version, what,
                      fields={k: v.strip() if isinstance(v, str) else v for k, v in changes.items()})
    if row is None:
        raise ValidationError(missing)
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    for key, value in changes.items():
        setattr(row, key, value.strip() if isinstance(value, str) else value)
    check(row)
    return attach(session, row)


def update_contact(session: Session, contact_id: int, *, by: str, expected_version: int | None = None,
                   **changes: Any) -> ContactMoment:
    stored = session.get(ContactMoment, contact_id)
    contact = _update(session, stored, "Dit contactmoment bestaat niet (meer).", CONTACT_FIELDS, changes,
                      _check_contact, expected_version, _contact_what(stored))
    audit(session, "contact gewijzigd", f"contact {contact_id}", by=by)
    return contact


def mark_contact_held(session: Session, contact_id: int, *, by: str, summary: str, agreements: str = "",
                      on: dt.date | None = None, expected_version: int | None = None) -> ContactMoment:
    """A planned conversation took place: planned → held, with what was said and agreed."""
    contact = session.get(ContactMoment, contact_id)
    if contact is not None:
        check_version(session, ContactMoment, contact_id, expected_version, _contact_what(contact),
                      (f"verslag: {summary}", f"afspraken: {agreements}"))
    if contact is None:
        raise ValidationError("Dit contactmoment bestaat niet (meer).")
    if not contact.planned:
        raise ValidationError("Dit contact was niet gepland; het is al vastgelegd als gehouden.")
    changes: dict[str, Any] = {"planned": False, "summary": summary, "agreements": agreements or contact.agreements}
    if on is not None:
        changes["date"] = on
    return update_contact(session, contact_id, by=by, **changes)


def _contact_what(contact: ContactMoment | None) -> str:
    return f"Het contact van {dutch.date_long(contact.date)} ({contact.kind})" if contact else "Dit contact"


def delete_contact(session: Session, contact_id: int, *, by: str, expected_version: int | None = None) -> None:
    contact = session.get(ContactMoment, contact_id)
    if contact is not None:
        check_version(session, ContactMoment, contact_id, expected_version, _contact_what(contact),
                      ("Verwijderen",))
    if contact is None:
        raise ValidationError("Dit contactmoment bestaat niet (meer).")
    session.delete(contact)
    session.flush()
    audit(session, "contact verwijderd", f"contact {contact_id} van {contact.date} (leerling {contact.pupil_id})",
          by=by)


def contacts(session: Session, pupil_id: int) -> list[ContactMoment]:
    return list(session.exec(select(ContactMoment).where(ContactMoment.pupil_id == pupil_id)
                             .order_by(col(ContactMoment.date).desc(), col(ContactMoment.id).desc())).all())


# --------------------------------------------------------------------------------------- interventions


def _check_intervention(item: Intervention) -> None:
    if not item.title.strip():
        raise ValidationError("Geef de interventie een titel, bijvoorbeeld 'Dagelijks ochtendgesprek met IB'.")
    if item.evaluation_date is not None and item.evaluation_date < item.start_date:
        raise ValidationError("De evaluatiedatum ligt vóór de start van de interventie.")
    if item.evaluated_on is not None and item.evaluated_on < item.start_date:
        raise ValidationError("De interventie kan niet geëvalueerd zijn vóór de start.")


def add_intervention(
    session: Session, pupil_id: int, title: str, start_date: dt.date, *, by: str, description: str = "",
    evaluation_date: dt.date | None = None, now: dt.datetime | None = None,
) -> Intervention:  # fmt: skip
    """An intervention / plan van aanpak with a date on which it will be evaluated."""
    _pupil(session, pupil_id)
    item = Intervention(pupil_id=pupil_id, title=title.strip(), description=description.strip(),
                        start_date=start_date, evaluation_date=evaluation_date, created_by=by,
                        created_at=now or dt.datetime.now())  # fmt: skip
    _check_intervention(item)
    session.add(item)
    session.flush()
    audit(session, "interventie", f"{item.title} (leerling {pupil_id})", by=by)
    return item


def update_intervention(session: Session, intervention_id: int, *, by: str, expected_version: int | None = None,
                        **changes: Any) -> Intervention:
    stored = session.get(Intervention, intervention_id)
    item = _update(session, stored, "Deze interventie bestaat niet (meer).", INTERVENTION_FIELDS, changes,
                   _check_intervention, expected_version, _intervention_what(stored))
    audit(session, "interventie gewijzigd", f"interventie {intervention_id}", by=by)
    return item


def evaluate_intervention(session: Session, intervention_id: int, *, by: str, on: dt.date, outcome: str,
                          effective: bool | None, expected_version: int | None = None) -> Intervention:
    """Record the evaluation: what came of it and whether it worked (seed 004 L367)."""
    item = session.get(Intervention, intervention_id)
    if item is not None:
        check_version(session, Intervention, intervention_id, expected_version, _intervention_what(item),
                      (f"evaluatie op {dutch.date_long(on)}: {outcome}",))
    if item is None:
        raise ValidationError("Deze interventie bestaat niet (meer).")
    if not outcome.strip():
        raise ValidationError("Beschrijf de uitkomst van de evaluatie.")
    item.evaluated_on, item.outcome, item.effective = on, outcome.strip(), effective
    _check_intervention(item)
    audit(session, "interventie geëvalueerd", f"interventie {intervention_id}", by=by)
    return attach(session, item)


def _intervention_what(item: Intervention | None) -> str:
    return f"De interventie ‘{item.title}’" if item else "Deze interventie"


def delete_intervention(session: Session, intervention_id: int, *, by: str, expected_version: int | None = None) -> None:
    item = session.get(Intervention, intervention_id)
    if item is not None:
        check_version(session, Intervention, intervention_id, expected_version, _intervention_what(item),
                      ("Verwijderen",))
    if item is None:
        raise ValidationError("Deze interventie bestaat niet (meer).")
    session.delete(item)
    session.flush()
    audit(session, "interventie verwijderd", f"{item.title} (leerling {item.pupil_id})", by=by)


def interventions(session: Session, pupil_id: int) -> list[Intervention]:
    return list(session.exec(select(Intervention).where(Intervention.pupil_id == pupil_id)
                             .order_by(col(Intervention.start_date).desc(), col(Intervention.id).desc())).all())


def due_evaluations(session: Session, on: dt.date) -> list[Intervention]:
    """Interventions whose evaluation date is on or before ``on`` and that were not evaluated yet."""
    return list(session.exec(
        select(Intervention).where(col(Intervention.evaluation_date).is_not(None), col(Intervention.evaluation_date) <= on,
                                   col(Intervention.evaluated_on).is_(None))
        .order_by(col(Intervention.evaluation_date), col(Intervention.id))
    ).all())  # fmt: skip


# --------------------------------------------------------------------------------------------- timeline

_KIND_ORDER = {k: i for i, k in enumerate(
    ("evaluatie", "interventie", "brief", "contact", "signaal", "melding", "verlofbesluit", "verlofaanvraag", "nabellen",
     "verzuim"))}  # fmt: skip


def _absence_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    """Absence per day, summarised by reason (the figures engine: the one place minutes are computed)."""
    engine = FiguresEngine(session, start, end, [pupil_id])
    reasons = {r.code: r for r in session.exec(select(Reason)).all()}
    out = []
    for day in daterange(start, end):
        fig = engine.pupil_day(pupil_id, day)
        parts = [
            f"{reasons[code].name} ({code}) {dutch.hours(minutes)} uur"
            for code, minutes in sorted(fig.by_reason.items())
            if code in reasons and reasons[code].category in (Category.AUTHORISED.value, Category.UNAUTHORISED.value)
            and minutes
        ]  # fmt: skip
        if not parts:
            continue
        ids = [eid for outcome in engine.lesson_outcomes(pupil_id, day) for eid in outcome.entry_ids]
        out.append(TimelineItem(day, "verzuim", "Afwezig: " + "; ".join(parts), min(ids) if ids else None))
    return out


def _leave_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    out = []
    for r in session.exec(select(LeaveRequest).where(LeaveRequest.pupil_id == pupil_id)).all():
        period = f"{dutch.date_long(r.date_from)} t/m {dutch.date_long(r.date_to)}"
        if start <= r.received_on <= end:
            out.append(TimelineItem(r.received_on, "verlofaanvraag", f"Aanvraag {kind_label(r.kind)} ontvangen "
                                    f"voor {period}", r.id, r.created_at))  # fmt: skip
        if r.decided_on and r.status != LeaveStatus.RECEIVED.value and start <= r.decided_on <= end:
            by = f" door {r.decided_by}" if r.decided_by else ""
            out.append(TimelineItem(r.decided_on, "verlofbesluit", f"{kind_label(r.kind).capitalize()} {period} "
                                    f"{status_label(r)}{by}", r.id))  # fmt: skip
    return out


def _melding_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    out: list[TimelineItem] = []
    meldingen = {m.id: m for m in session.exec(select(Melding).where(Melding.pupil_id == pupil_id)).all()}
    if not meldingen:
        return out
    rows = session.exec(select(MeldingStatus).where(col(MeldingStatus.melding_id).in_(list(meldingen)))).all()
    for row in rows:
        if not start <= row.set_at.date() <= end:
            continue
        m = meldingen[row.melding_id]
        if row.status == "concept":
            text = describe_melding(m) + " opgesteld"
        else:
            text = f"Melding {m.kind}: status {row.status}"
            text += f" (meldingsnummer {m.duo_number})" if row.status == "geregistreerd" and m.duo_number else ""
            text += f", reden: {row.reason}" if row.reason else ""
        out.append(TimelineItem(row.set_at.date(), "melding", text, m.id, row.set_at))
    return out


def _signal_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    out = []
    for h in session.exec(select(SignalHandling).where(SignalHandling.pupil_id == pupil_id)).all():
        if not start <= h.handled_at.date() <= end:
            continue
        text = (f"Signaal {SIGNAL_KINDS.get(h.kind, h.kind)} ({dutch.date_long(h.begin_date)} t/m {dutch.date_long(h.end_date)}) afgehandeld: "
                f"{SIGNAL_ACTIONS.get(h.action, h.action)}" + (f" — {h.reason}" if h.reason else ""))
        out.append(TimelineItem(h.handled_at.date(), "signaal", text, h.id, h.handled_at))
    return out


def _call_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    out = []
    reasons = {r.id: r for r in session.exec(select(Reason)).all()}
    for c in session.exec(select(CallRecord).where(CallRecord.pupil_id == pupil_id)).all():
        if not start <= c.called_at.date() <= end:
            continue
        text = f"Nagebeld door {c.called_by} over {dutch.date_long(c.date)}: " + (
            f"gesproken met {c.contact or 'thuis'}" if c.reached else "niemand bereikt")
        if c.outcome_reason_id in reasons:
            text += f", reden {reasons[c.outcome_reason_id].name}"
        out.append(TimelineItem(c.called_at.date(), "nabellen", text, c.id, c.called_at))
    return out


def _dossier_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    out = []
    for c in contacts(session, pupil_id):
        if start <= c.date <= end:
            head = f"{c.kind.capitalize()}" + (f" met {c.with_whom}" if c.with_whom else "")
            head += " (gepland)" if c.planned else ""
            body = c.summary + (f" Afspraken: {c.agreements}" if c.agreements else "")
            out.append(TimelineItem(c.date, "contact", f"{head}: {body}".rstrip(": "), c.id, c.created_at))
    for i in interventions(session, pupil_id):
        if start <= i.start_date <= end:
            out.append(TimelineItem(i.start_date, "interventie", f"Interventie gestart: {i.title}", i.id))
        if i.evaluated_on and start <= i.evaluated_on <= end:
            verdict = {True: "effectief", False: "niet effectief", None: "effect onbekend"}[i.effective]
            out.append(TimelineItem(i.evaluated_on, "evaluatie", f"Interventie '{i.title}' geëvalueerd ({verdict}): "
                                    f"{i.outcome}", i.id))  # fmt: skip
        elif i.evaluated_on is None and i.evaluation_date and start <= i.evaluation_date <= end:
            out.append(TimelineItem(i.evaluation_date, "evaluatie", f"Evaluatie gepland van interventie '{i.title}'",
                                    i.id))  # fmt: skip
    return out


def _letter_items(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    """Letters to the parents (model/letters/record.py records them)."""
    rows = session.exec(select(LetterRecord).where(LetterRecord.pupil_id == pupil_id, LetterRecord.made_on >= start,
                                                   LetterRecord.made_on <= end)).all()  # fmt: skip
    return [TimelineItem(r.made_on, "brief", f"Brief '{r.title}' aan {r.addressee} ({r.format}, door {r.made_by})"
                         + (", klaargezet als e-mail" if r.sent_as else ""), r.id, r.made_at) for r in rows]


def timeline(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> list[TimelineItem]:
    """Absence per day, leave, meldingen, handled signals, calls home, contacts and interventions in
    ``[start, end]``, newest first (on one date: later actions first, then by kind)."""
    _pupil(session, pupil_id)
    if end < start:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    items: list[TimelineItem] = []
    for source in (_absence_items, _leave_items, _melding_items, _signal_items, _call_items, _dossier_items,
                   _letter_items):
        items += source(session, pupil_id, start, end)
    items.sort(key=lambda it: (-it.date.toordinal(), -(it.at.timestamp() if it.at else 0.0),
                               _KIND_ORDER.get(it.kind, 99), -(it.ref_id or 0)))  # fmt: skip
    return items


def art11a_notes(session: Session, pupil_id: int, today: dt.date) -> list[str]:
    """Art. 11a Lpw in the pupil's dossier: the weeks of this school year (up to ``today``) in which staying home
    as a five-year-old does not fit the article — the same findings as the Verlof screen
    (:func:`verzuimdesk.model.law.leave.art11a_findings`); empty for every other pupil."""
    from verzuimdesk.model.law.leave import art11a_findings
    from verzuimdesk.model.school.calendar import school_year_bounds, school_year_name_for

    start, _end = school_year_bounds(school_year_name_for(today))
    return [f.message for f in art11a_findings(session, pupil_id, start, today)]
