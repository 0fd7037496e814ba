"""Gathers a :class:`~verzuimdesk.reports.data.PupilOverview` from the model (issue 4 part 1).

Numbers come from the figures engine of a :class:`~verzuimdesk.reports.source.ReportSource`; leave,
meldingen, signals and the dossier are read as stored (law_tables). Sickness (health data, AVG art. 9) is
shown as "geoorloofd" without the reason's name or code unless ``include_sickness_details`` is chosen; without
it the overview also leaves out care signals (zorgsignaal, MAZL) and replaces free text about health (contact
notes, plan titles, handling notes; :func:`~verzuimdesk.model.security.health.mentions_health`) by a neutral
line, and counts what it withheld so that the document can say so (issue 11 point 5).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.law.dossier import SIGNAL_ACTIONS, SIGNAL_KINDS
from verzuimdesk.model.letters.record import letters_of
from verzuimdesk.model.register.figures import Figures
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.security.health import mentions_health
from verzuimdesk.model.tables import Category, GroupMembership, Pupil
from verzuimdesk.model.tables.law import ContactMoment, Intervention, LeaveRequest, Melding, SignalHandling
from verzuimdesk.reports.data import (
    CategoryLine,
    ContactLine,
    InterventionLine,
    LeaveLine,
    LetterLine,
    MeldingLine,
    Period,
    PupilOverview,
    ReasonLine,
    SignalLine,
    TrendPoint,
    tier_for,
)
from verzuimdesk.reports.source import ReportSource, group_members, reasons_in_order, walk_days

SICKNESS_HIDDEN = "geoorloofd afwezig (reden niet vermeld)"
HEALTH_WITHHELD = "(gaat over gezondheid; niet vermeld)"
CARE_KIND = "zorg"  # the care signal (MAZL) is itself health data
CATEGORY_SHORT = {
    Category.PRESENT.value: "aanwezig",
    Category.AUTHORISED.value: "geoorloofd",
    Category.UNAUTHORISED.value: "ongeoorloofd",
    Category.NOT_COUNTED.value: "niet meegeteld",
}
LEAVE_KINDS = {"vakantieverlof": "vakantieverlof", "gewichtige_omstandigheden": "gewichtige omstandigheden",
               "religieus": "religieuze verplichting"}  # fmt: skip
LEAVE_STATUS = {"doorgestuurd": "doorgestuurd naar de leerplichtambtenaar"}


def source_for_pupil(session: Session, pupil_id: int, period: Period) -> ReportSource:
    """A source that holds the pupil and the members of its groups (for the group's trend)."""
    group_ids = list(set(session.exec(
        select(GroupMembership.group_id).where(
            GroupMembership.pupil_id == pupil_id, GroupMembership.date_from <= period.end,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= period.start),
        )
    ).all()))  # fmt: skip
    members = group_members(session, group_ids, period.start, period.end) if group_ids else []
    return ReportSource(session, period, sorted(set(members) | {pupil_id}))


def build_pupil_overview(
    session: Session,
    pupil_id: int,
    period: Period,
    *,
    include_sickness_details: bool = False,
    today: dt.date | None = None,
    source: ReportSource | None = None,
) -> PupilOverview:
    today = today or dt.date.today()
    period = period.clipped(today)
    source = source or source_for_pupil(session, pupil_id, period)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValueError(f"leerling {pupil_id} bestaat niet")
    engine = source.engine
    fig = engine.pupil_period(pupil_id, period.start, period.end)
    walk = walk_days(source, pupil_id, period.start, period.end)
    gid = source.group_of_range(pupil_id, period.start, period.end)
    group_name = source.schedule.groups[gid].name if gid in source.schedule.groups else "(geen groep)"

    trend: list[TrendPoint] = []
    for label, lo, hi in source.buckets:
        own = engine.pupil_period(pupil_id, lo, hi)
        bucket_group = source.group_of_range(pupil_id, lo, hi)
        cmp = source.group_figures(bucket_group, lo, hi) if bucket_group is not None else None
        trend.append(TrendPoint(label, lo, hi, own.absent_pct if own.net_scheduled else None,
                                cmp.absent_pct if cmp is not None and cmp.net_scheduled else None))

    data = PupilOverview(
        school=source.school,
        pupil_key=pupil.key,
        pupil_name=display_name(pupil),
        birth_date=pupil.birth_date,
        group_name=group_name,
        period=period,
        printed_on=today,
        figures=fig,
        tier=tier_for(fig, source.tier_bounds),
        categories=category_lines(fig),
        reasons=reason_lines(source, fig, include_sickness_details),
        days=walk.cells,
        weekdays=[walk.weekdays[wd] for wd in sorted(walk.weekdays)],
        lesson_numbers=sorted(walk.lesson_numbers),
        trend=trend,
        trend_compare_label=f"gemiddelde {group_name}" if gid is not None else "gemiddelde groep",
        leave=_leave(session, pupil_id, period),
        meldingen=_meldingen(session, pupil_id, period),
        signals=_signals(session, pupil_id, period, source),
        contacts=_contacts(session, pupil_id, period),
        interventions=_interventions(session, pupil_id, period),
        include_sickness_details=include_sickness_details,
        letters=[LetterLine(r.made_on, r.title, r.addressee) for r in reversed(letters_of(session, pupil_id))
                 if period.start <= r.made_on <= period.end],
    )
    if not include_sickness_details:
        withhold_health(data, [r.name for r in source.by_code.values() if r.is_sickness])
    return data


def withhold_health(data: PupilOverview, sickness_names: list[str]) -> None:
    """Leave health data out of ``data`` (AVG art. 9): care signals go, free text about health is replaced."""
    withheld = 0

    def clean(text: str) -> str:
        nonlocal withheld
        if mentions_health(text, sickness_names):
            withheld += 1
            return HEALTH_WITHHELD
        return text

    signals = [s for s in data.signals if s.kind != SIGNAL_KINDS[CARE_KIND]]
    withheld += len(data.signals) - len(signals)
    data.signals = [SignalLine(s.kind, s.begin, s.end, s.action, clean(s.reason)) for s in signals]
    contacts = []
    for c in data.contacts:
        about_health = any(mentions_health(t, sickness_names) for t in (c.with_whom, c.summary, c.agreements))
        if about_health:
            withheld += 1
            contacts.append(ContactLine(c.date, c.kind, "", HEALTH_WITHHELD, "", c.planned))
        else:
            contacts.append(c)
    data.contacts = contacts
    data.interventions = [InterventionLine(clean(i.title), i.start, i.evaluation, clean(i.outcome), i.effective)
                          for i in data.interventions]  # fmt: skip
    data.health_withheld = withheld


def category_lines(fig: Figures) -> list[CategoryLine]:
    return [
        CategoryLine("Ingeroosterde lestijd (telt mee)", fig.net_scheduled, 100.0 if fig.net_scheduled else None),
        CategoryLine("Aanwezig", fig.present, fig.present_pct if fig.net_scheduled else None),
        CategoryLine("Geoorloofd afwezig", fig.authorised, fig.authorised_pct if fig.net_scheduled else None),
        CategoryLine("Ongeoorloofd afwezig", fig.unauthorised, fig.unauthorised_pct if fig.net_scheduled else None),
        CategoryLine("Niet meegeteld (lesuitval)", fig.not_counted, None),
    ]


def reason_lines(source: ReportSource, fig: Figures, include_sickness_details: bool) -> list[ReasonLine]:
    """Per reason the hours and times; sickness reasons folded into one anonymous line unless chosen."""
    out: list[ReasonLine] = []
    hidden_minutes = hidden_times = 0
    for code in reasons_in_order(source, list(fig.by_reason)):
        reason = source.by_code.get(code)
        minutes, times = fig.by_reason[code], fig.occurrences_by_reason.get(code, 0)
        if reason is not None and reason.is_sickness and not include_sickness_details:
            hidden_minutes += minutes
            hidden_times += times
            continue
        out.append(ReasonLine(code, reason.name if reason else code,
                              CATEGORY_SHORT.get(reason.category, "") if reason else "", minutes, times))
    if hidden_minutes or hidden_times:
        out.insert(0, ReasonLine("", SICKNESS_HIDDEN, "geoorloofd", hidden_minutes, hidden_times))
    return out


# ------------------------------------------------------------------------------------ stored rows


def _leave(session: Session, pupil_id: int, period: Period) -> list[LeaveLine]:
    rows = session.exec(
        select(LeaveRequest).where(LeaveRequest.pupil_id == pupil_id, LeaveRequest.date_from <= period.end,
                                   LeaveRequest.date_to >= period.start).order_by(col(LeaveRequest.date_from))
    ).all()
    return [LeaveLine(LEAVE_KINDS.get(r.kind, r.kind), r.date_from, r.date_to, LEAVE_STATUS.get(r.status, r.status),
                      r.decided_on) for r in rows]  # fmt: skip


def _meldingen(session: Session, pupil_id: int, period: Period) -> list[MeldingLine]:
    rows = session.exec(
        select(Melding).where(
            Melding.pupil_id == pupil_id, Melding.begin_date <= period.end,
            or_(col(Melding.end_date).is_(None), col(Melding.end_date) >= period.start),
        ).order_by(col(Melding.begin_date))
    ).all()  # fmt: skip
    return [MeldingLine(r.kind, r.begin_date, r.end_date, r.minutes_unauthorised, r.status, r.duo_number)
            for r in rows]  # fmt: skip


def _signals(session: Session, pupil_id: int, period: Period, source: ReportSource) -> list[SignalLine]:
    rows = session.exec(
        select(SignalHandling).where(SignalHandling.pupil_id == pupil_id, SignalHandling.begin_date <= period.end,
                                     SignalHandling.end_date >= period.start)
        .order_by(col(SignalHandling.begin_date))
    ).all()  # fmt: skip
    handled = [SignalLine(SIGNAL_KINDS.get(r.kind, r.kind), r.begin_date, r.end_date,
                          SIGNAL_ACTIONS.get(r.action, r.action), r.reason) for r in rows]  # fmt: skip
    return handled + _open_signals(source, pupil_id, period)


def _open_signals(source: ReportSource, pupil_id: int, period: Period) -> list[SignalLine]:
    """The pupil's signals still open on the period's end (the law engine's inbox for this pupil)."""
    out = []
    for s in source.open_signals(pupil_id, period.end):
        if s.end < period.start:
            continue
        hours = f"{dutch.hours(s.minutes, trim=False)} uur ongeoorloofd. " if s.minutes else ""
        due = "verplichte melding, " if s.mandatory else ""
        out.append(SignalLine(SIGNAL_KINDS.get(s.kind, s.kind), s.begin, s.end, "open: nog af te handelen",
                              f"{due}{hours}{s.title}".strip()))
    return out


def _contacts(session: Session, pupil_id: int, period: Period) -> list[ContactLine]:
    rows = session.exec(
        select(ContactMoment).where(
            ContactMoment.pupil_id == pupil_id, ContactMoment.date >= period.start,
            or_(ContactMoment.date <= period.end, col(ContactMoment.planned).is_(True)),
        ).order_by(col(ContactMoment.date))
    ).all()  # fmt: skip
    return [ContactLine(r.date, r.kind, r.with_whom, r.summary, r.agreements, r.planned) for r in rows]


def _interventions(session: Session, pupil_id: int, period: Period) -> list[InterventionLine]:
    rows = session.exec(
        select(Intervention).where(
            Intervention.pupil_id == pupil_id, Intervention.start_date <= period.end,
            or_(col(Intervention.evaluated_on).is_(None), col(Intervention.evaluated_on) >= period.start),
        ).order_by(col(Intervention.start_date))
    ).all()  # fmt: skip
    return [InterventionLine(r.title, r.start_date, r.evaluated_on or r.evaluation_date, r.outcome, r.effective)
            for r in rows]  # fmt: skip
