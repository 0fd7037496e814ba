"""The demo school's dealings with the law: leave requests, a luxe-verzuim melding, conversations and
plans for the chronic absentees, a thuiszitter (the V3 and its weekly repeats reported, the one LRV with an
open einddatum due since 3 school days), handled older signals and a verzuimbeleid the MR consented to.

The 18-year-old (V4 optional), art. 4a lid 2 and RMC are in the demo's vso department (demo/vso.py); its open
signals stay open here (the V4 is recent, the RMC melding is still to be made).

Everything goes through the same model operations the screens use, so the demo shows each screen with
data that the program itself could have produced.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session

from verzuimdesk.model.audit import history_time
from verzuimdesk.model.law import dossier, leave, meldingen
from verzuimdesk.model.law.signals.inbox import Signal, compute_signals
from verzuimdesk.model.law.signals.inbox import handle_signal as _handle_signal
from verzuimdesk.model.law.signals.policy import ensure_default_rules
from verzuimdesk.model.policy.versions import record_consent, save_version
from verzuimdesk.model.school.calendar import SchoolCalendar, daterange, school_year_name_for
from verzuimdesk.model.school.records import leerplicht_contact_for
from verzuimdesk.model.tables import Pupil


def _dated(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn`` with its logboek lines dated as the history goes (audit.history_time): at its ``now``, or at two in
    the afternoon of its ``on``; a call with neither is dated by the moment around it."""

    def call(session: Session, *args: Any, **kwargs: Any) -> T:
        now, on = kwargs.get("now"), kwargs.get("on")
        moment = now if isinstance(now, dt.datetime) else dt.datetime.combine(on, dt.time(14)) if isinstance(
            on, dt.date) else None
        if moment is None:
            return fn(session, *args, **kwargs)
        with history_time(session, moment):
            return fn(session, *args, **kwargs)

    return call


add_contact, add_intervention = _dated(dossier.add_contact), _dated(dossier.add_intervention)
evaluate_intervention, mark_contact_held = _dated(dossier.evaluate_intervention), dossier.mark_contact_held
contacts = dossier.contacts
decide_leave_request, record_lpa_decision = _dated(leave.decide_leave_request), _dated(leave.record_lpa_decision)
submit_leave_request = _dated(leave.submit_leave_request)
create_melding, set_melding_status = _dated(meldingen.create_melding), _dated(meldingen.set_melding_status)
set_duo_number = meldingen.set_duo_number
handle_signal = _dated(_handle_signal)


T = TypeVar("T")
DIRECTOR = "Marieke Hoogendoorn"
IB = "Anouk de Graaf (intern begeleider)"


def add_law_events(
    session: Session,
    *,
    today: dt.date,
    calendar: SchoolCalendar,
    administrator: str,
    luxe_pupil: int,
    leave_pupil: int,
    thuiszitter: int,
    chronic_pupils: list[int],
    other_pupils: list[int],
    prev_year: str,
    prev_start: dt.date,
    cur_start: dt.date,
    seed: int,
) -> None:
    rng = random.Random(seed + 7)
    with history_time(session, _at(_workday(prev_start - dt.timedelta(days=7)), 10, 30)):
        ensure_default_rules(session)
    _leave(session, today, calendar, administrator, luxe_pupil, leave_pupil, other_pupils, prev_start, cur_start)
    _dossiers(session, today, administrator, chronic_pupils, rng)
    _signals(session, today, administrator, (luxe_pupil, thuiszitter),
             prev_start.replace(year=prev_start.year + 1) - dt.timedelta(days=1))
    _letters(session, today, administrator, chronic_pupils, cur_start)
    with history_time(session, dt.datetime(today.year - 1, 6, 2, 15, 0)):
        version = save_version(session, school_year=prev_year, note="Vastgesteld na bespreking in het team.",
                               by=DIRECTOR, now=dt.datetime(today.year - 1, 6, 2, 15, 0))
    consent = dt.date(today.year if today.month >= 8 else today.year - 1, 6, 20)
    with history_time(session, _at(min(consent, today), 16)):
        record_consent(session, version.id or 0, consent, by=DIRECTOR, today=today)


def _letters(session: Session, today: dt.date, administrator: str, chronic: list[int], cur_start: dt.date) -> None:
    """A few letters already made: the notice of this year's melding, and for the first chronic absentee —
    whose parents live apart, so each gets a letter — the record of the conversation and the invitation to the
    follow-up."""
    from sqlmodel import col, select

    from verzuimdesk.model.letters.moments import contact_moment, melding_moment
    from verzuimdesk.model.school.records import guardians_of
    from verzuimdesk.model.tables.law import Melding
    from verzuimdesk.reports.letters.make import make_letters

    if chronic:
        parents = guardians_of(session, chronic[0])
        if len(parents) > 1:
            apart = parents[-1]
            with history_time(session, _at(_workday(cur_start + dt.timedelta(days=20)), 9, 30)):  # a new address
                apart.address, apart.postcode, apart.city = "Lindenhof 7", "3994 KL", "Houten"
                session.add(apart)
        for contact in sorted(contacts(session, chronic[0]), key=lambda c: c.date):
            if contact.date < cur_start or contact.kind != "gesprek":
                continue
            moment = contact_moment(session, contact.id or 0)
            made = contact.date + dt.timedelta(days=1) if not contact.planned else today - dt.timedelta(days=1)
            while made.weekday() >= 5:
                made += dt.timedelta(days=1)
            with history_time(session, dt.datetime.combine(made, dt.time(15, 30))):
                make_letters(session, moment, on=made, by=IB, now=dt.datetime.combine(made, dt.time(15, 30)))
    for melding in session.exec(select(Melding).order_by(col(Melding.id))).all():
        if melding.created_at.date() >= cur_start:
            made = melding.created_at.date()
            with history_time(session, dt.datetime.combine(made, dt.time(11, 0))):
                make_letters(session, melding_moment(session, melding.id or 0), on=made, by=administrator,
                             now=dt.datetime.combine(made, dt.time(11, 0)))  # fmt: skip


def _school_days_before(calendar: SchoolCalendar, holiday: str, after: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` school days before the first day of ``holiday`` on or after ``after``."""
    start = next((d for d in daterange(after, calendar.end) if calendar.describe(d) == holiday), None)
    if start is None:
        return []
    return [d for d in calendar.school_days(after, start - dt.timedelta(days=1))][-count:]


def _leave(session: Session, today: dt.date, calendar: SchoolCalendar, administrator: str, luxe_pupil: int,
           leave_pupil: int, others: list[int], prev_start: dt.date, cur_start: dt.date) -> None:
    """Granted holiday leave before last Christmas, a refused request before the autumn holiday (the pupil
    went anyway: luxe verzuim), a granted day for a wedding, and one request waiting for a decision."""
    xmas = _school_days_before(calendar, "Kerstvakantie", prev_start, 3)
    if xmas:
        request = submit_leave_request(
            session, leave_pupil, "vakantieverlof", xmas[0], xmas[-1],
            received_on=xmas[0] - dt.timedelta(days=45), by=administrator, requested_by="beide ouders",
            now=_at(xmas[0] - dt.timedelta(days=45), 11),
            reason_text="Vader werkt als seizoenskracht in de glastuinbouw; in de schoolvakanties kan hij niet weg.",
            attachments="werkgeversverklaring",
        )  # fmt: skip
        decide_leave_request(session, request.id or 0, "toegekend", by=DIRECTOR, on=xmas[0] - dt.timedelta(days=30),
                             motivation="De werkgeversverklaring toont aan dat vakantie in de schoolvakanties niet kan.")
    autumn = [d for d in _school_days_before(calendar, "Herfstvakantie", cur_start, 1) if d < today]
    if autumn:
        day = autumn[0]
        request = submit_leave_request(
            session, luxe_pupil, "vakantieverlof", day, day, received_on=day - dt.timedelta(days=26),
            now=_at(day - dt.timedelta(days=26), 11), by=administrator, requested_by="moeder", reason_text="Goedkopere vlucht naar familie.",
        )
        decide_leave_request(
            session, request.id or 0, "geweigerd", by=DIRECTOR, on=day - dt.timedelta(days=21),
            motivation="Een goedkopere vlucht is geen reden voor vakantieverlof: verlof kan alleen als het beroep "
                       "van een ouder vakantie in alle schoolvakanties onmogelijk maakt (artikel 13a).",
        )  # fmt: skip
    recent = calendar.school_days(today - dt.timedelta(days=40), today - dt.timedelta(days=1))[:1]
    if recent and others:
        request = submit_leave_request(
            session, others[0], "gewichtige_omstandigheden", recent[0], recent[0],
            received_on=recent[0] - dt.timedelta(days=20), by=administrator, requested_by="vader",
            now=_at(recent[0] - dt.timedelta(days=20), 11),
            reason_text="Huwelijk van een oom (bloedverwant in de derde graad).",
        )
        decide_leave_request(session, request.id or 0, "toegekend", by=DIRECTOR, on=recent[0] - dt.timedelta(days=14))
    _forwarded(session, today, calendar, administrator, others[2:3])
    future = calendar.school_days(today + dt.timedelta(days=60), today + dt.timedelta(days=90))[:4]
    if future and len(others) > 1:
        submit_leave_request(
            session, others[1], "vakantieverlof", future[0], future[-1], received_on=today - dt.timedelta(days=3),
            now=_at(today - dt.timedelta(days=3), 11), by=administrator, requested_by="moeder", reason_text="Ouders hebben een camping; zomer is hoogseizoen.",
        )


def _forwarded(session: Session, today: dt.date, calendar: SchoolCalendar, administrator: str,
               pupils: list[int]) -> None:
    """Twelve school days for a grandparent's illness abroad: forwarded by the head (art. 14 lid 3 Lpw), granted
    by the leerplichtambtenaar of the pupil's woongemeente; the days are in the register ahead of time."""
    days = calendar.school_days(today + dt.timedelta(days=21), today + dt.timedelta(days=60))[:12]
    if not pupils or len(days) < 12 or school_year_name_for(days[0]) != school_year_name_for(days[-1]):
        return
    pupil = session.get(Pupil, pupils[0])
    contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil and pupil.woongemeente else None
    request = submit_leave_request(
        session, pupils[0], "gewichtige_omstandigheden", days[0], days[-1], received_on=today - dt.timedelta(days=24),
        now=_at(_workday(today - dt.timedelta(days=24)), 10), by=administrator, requested_by="moeder", attachments="verklaring van de behandelend arts",
        reason_text="Ernstige ziekte van de grootmoeder in het buitenland (bloedverwant in de tweede graad).",
    )  # fmt: skip
    decide_leave_request(session, request.id or 0, "doorgestuurd", by=DIRECTOR, on=today - dt.timedelta(days=20),
                         motivation="Meer dan tien schooldagen: de leerplichtambtenaar beslist. De directeur "
                                    "steunt de aanvraag.")  # fmt: skip
    record_lpa_decision(session, request.id or 0, "toegekend", by=administrator, on=today - dt.timedelta(days=7),
                        lpa_name=contact.name if contact is not None and contact.name else "de leerplichtambtenaar",
                        motivation="Gewichtige omstandigheid aangetoond met een verklaring van de arts.")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """The moment something was recorded: the history reads as if the school did it on that day."""
    return dt.datetime.combine(day, dt.time(hour, minute))


def _workday(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls in a weekend: a school does not meet on Sunday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _dossiers(session: Session, today: dt.date, administrator: str, chronic: list[int], rng: random.Random) -> None:
    """Conversations and a plan van aanpak for the chronic absentees; one evaluation is overdue. Every
    conversation, start and evaluation falls on a working day."""
    for n, pid in enumerate(chronic):
        talk = _workday(today - dt.timedelta(days=40 + 7 * n))
        add_contact(session, pid, talk, "gesprek", by=IB, with_whom="moeder en groepsleerkracht",
                    summary="Zorgen over het vele ziekteverzuim besproken; moeder herkent vermoeidheid.",
                    agreements="Ouders melden ziekte vóór 08:15; school neemt na drie ziekmeldingen contact op. "
                               "Aanmelding bij de jeugdarts (MAZL) met toestemming van ouders.",
                    now=_at(talk, 16))  # fmt: skip
        plan = add_intervention(
            session, pid, "Plan van aanpak aanwezigheid", _workday(talk + dt.timedelta(days=2)), by=IB,
            description="Wekelijks kort contact met ouders; jeugdarts betrokken; aanwezigheid per week bijhouden.",
            evaluation_date=_workday(talk + dt.timedelta(days=30 + 14 * (n % 2))), now=_at(talk, 16, 30),
        )  # fmt: skip
        if n % 2 == 0:
            evaluate_intervention(session, plan.id or 0, by=IB, on=_workday(talk + dt.timedelta(days=31)),
                                  outcome="Verzuim in de laatste vier weken gehalveerd; afspraken lopen door.",
                                  effective=True)
        if n < 2:
            add_contact(session, pid, _workday(today + dt.timedelta(days=3 + rng.randrange(5))), "gesprek", by=administrator,
                        with_whom="ouders", planned=True, summary="Vervolggesprek over de aanwezigheid.",
                        now=_at(today, 8, 45))
    del administrator


def _signals(session: Session, today: dt.date, administrator: str, reported: tuple[int, int],
             prev_end: dt.date) -> None:
    """Last school year was dealt with: its mandatory meldingen were reported (and closed by the
    municipality), its other signals discussed. This year the luxe-verzuim case and the thuiszitter's V3 with
    its repeats were reported (registered by DUO, in behandeling at the municipality); the thuiszitter's LRV is
    still to be made; signals older than four weeks were discussed, so the inbox shows the recent ones."""
    luxe_pupil, thuiszitter = reported
    for on, this_year in ((prev_end, False), (today, True)):
        for signal in compute_signals(session, on):
            age = (on - signal.end).days
            done = (signal.kind == "L" and signal.pupil_id == luxe_pupil) or \
                (signal.kind == "V3" and signal.pupil_id == thuiszitter)
            if signal.mandatory and (not this_year or done):
                _report(session, signal, administrator, closed=not this_year, today=today)
            elif not signal.mandatory and (not this_year or age > 28):
                _discuss(session, signal, administrator)


def _report(session: Session, signal: Signal, administrator: str, *, closed: bool, today: dt.date) -> None:
    """A melding as it went: drafted and sent the day after, taken up by the municipality some days later,
    closed weeks after that; every status change on its own plausible past date."""
    reported = signal.end + dt.timedelta(days=1 if signal.kind in ("V3", "V4") else 3)

    def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(min(reported + dt.timedelta(days=days), today), dt.time(hour, minute))

    melding = create_melding(
        session, signal.pupil_id, signal.kind, signal.begin, signal.end, by=administrator,
        presumed_reason=("Vakantie buiten de schoolvakanties nadat vakantieverlof was geweigerd." if signal.kind == "L"
                         else "Regelmatig zonder geldige reden afwezig; ouders zeggen geen grip te hebben."),
        school_action="Ouders gebeld en uitgenodigd voor een gesprek; afspraken vastgelegd in het dossier.",
        now=dt.datetime.combine(reported, dt.time(10, 0)), spec_until=signal.end,
    )  # fmt: skip
    handle_signal(session, signal, "melding", by=administrator, melding_id=melding.id,
                  now=dt.datetime.combine(reported, dt.time(10, 5)))
    with history_time(session, at(0, 10, 35)):
        set_duo_number(session, melding.id or 0, f"20{melding.id or 0:02d}1044{signal.pupil_id % 100:02d}",
                       by=administrator)
    set_melding_status(session, melding.id or 0, "geregistreerd", by=administrator, now=at(0, 10, 40))
    set_melding_status(session, melding.id or 0, "in behandeling", by="gemeente (leerplicht)", now=at(4, 14, 15))
    if closed:
        set_melding_status(session, melding.id or 0, "afgesloten", by="gemeente (leerplicht)", reason="terug naar school",
                           now=at(38, 11, 30))


def _discuss(session: Session, signal: Signal, administrator: str) -> None:
    talk = _workday(signal.end + dt.timedelta(days=5))
    handle_signal(session, signal, "gesprek", "Besproken met ouders en groepsleerkracht.", by=administrator,
                  planned_on=talk, now=dt.datetime.combine(signal.end + dt.timedelta(days=2), dt.time(9, 0)))
    for contact in contacts(session, signal.pupil_id):
        if contact.planned and contact.date == talk:
            with history_time(session, dt.datetime.combine(talk, dt.time(16, 0))):
                mark_contact_held(session, contact.id or 0, by=administrator,
                                  summary="Verzuim besproken; ouders gaven uitleg en zien het belang van op tijd "
                                          "komen.",
                                  agreements="Komende vier weken let de leerkracht er extra op.")  # fmt: skip
