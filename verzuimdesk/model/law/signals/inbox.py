"""The signals inbox: every due melding, zorgelijk-verzuim case, lateness step and care signal, most urgent
first, each explained, and what the school did with it (issue 3 parts 1–7; domain.md §7).

Handling (SignalHandling rows): a signal is identified by (pupil, kind, rule, begindatum). A handled
signal is hidden unless its *fingerprint* (a hash of the days, entry ids and minutes behind it) changed
because the register changed; then it returns marked "nieuw verzuim sinds afhandeling". A signal that
was turned into a melding (action "melding") never returns for the same window, and for the 16 hours
the stored V3/V4 meldingen (not withdrawn) are the restart points of the counting, so "counting starts
again after a melding's einddatum" holds across sessions.

Decisions (see also the docstrings of sixteen_hours.py and other.py):

- Urgency: mandatory meldingen (V3, V4, LRV, L) first, then zorgelijk verzuim, the lateness ladder and care
  signals; within each, the longest overdue first (``days_overdue``: days since the signal became due, for
  V3/V4 since the 16 hours were reached).
- The school year of ``on`` is looked at up to ``on``, plus the 3 school lesweken before it, so that a window
  of 4 lesweken can reach back over the summer holiday; signals that became due before the school year are
  not shown (they belong to the previous year's inbox) but still restart the counting. A run of
  langdurig verzuim that began before those 3 weeks is dated from their start.
- A zorgelijk "around a holiday" signal whose days a luxe-verzuim signal already covers is left out.
- Computing for one pupil (``pupil_ids=[id]``) gives exactly that pupil's part of the full computation:
  the incremental path after a register entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.db import select_columns
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.counting import CountedLesson, Counter, entry_days
from verzuimdesk.model.law.signals.other import (
    Finding,
    ladder_findings,
    lrv,
    luxe,
    off_runs,
    rule_findings,
)
from verzuimdesk.model.law.signals.policy import (
    KIND_LABELS,
    RuleSpec,
    active_rules,
    ensure_default_rules,
    get_lateness_policy,
    get_melding_policy,
)
from verzuimdesk.model.law.signals.sixteen_hours import WINDOW_WEEKS, due_meldingen
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import SchoolCalendar, school_year_for, week_monday
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import GroupMembership, Pupil
from verzuimdesk.model.tables.law import (
    ContactMoment,
    LeaveRequest,
    LeaveStatus,
    Melding,
    MeldingStatusValue,
    RuleKind,
    SignalHandling,
)

RULE_KINDS = {k.value for k in RuleKind}
MANDATORY = ("V3", "V4", "LRV", "L")  # art. 21a Lpw (V3/V4, LRV); art. 13a/21 Lpw (L)
KIND_ORDER = {"V3": 0, "V4": 0, "LRV": 0, "L": 0, "zorgelijk": 1, "te_laat_ladder": 2, "zorg": 3}
ACTIONS = {"afgewezen": "afgewezen", "gesprek": "gesprek gepland", "signaal": "signaal zorgelijk verzuim",
           "melding": "melding gemaakt", "brief": "brief aan de ouders gemaakt"}
LOOKBACK = dt.timedelta(days=84)  # how far back to look for the lesweken before the school year
TITLES = {
    "V3": "Melding verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken (V3)",
    "V4": "Melding verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken, 18+ (V4)",
    "LRV": "Melding verplicht: langdurig relatief verzuim (LRV)",
    "L": "Melding verplicht: vermoedelijk luxe verzuim (L)",
}


@dataclass
class Signal:
    pupil_id: int
    kind: str  # "V3" | "V4" | "LRV" | "L" | "zorgelijk" | "zorg" | "te_laat_ladder"
    rule_id: int | None
    begin: dt.date
    end: dt.date  # the day it became due (for V3/V4: the day the 16 hours were reached)
    minutes: int  # unauthorised minutes behind it (counted per the lateness policy); 0 for care signals
    days_overdue: int  # days from ``end`` to the date asked
    title: str
    weeks: list[tuple[dt.date, int]] = field(default_factory=list)  # (Monday of the leswee, minutes)
    lessons: list[CountedLesson] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)
    pupil_key: str = ""
    pupil_name: str = ""
    new_since_handling: bool = False
    previous_action: str = ""
    explanation_prefix: str = ""
    _render: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    _finding: Finding | None = field(default=None, repr=False, compare=False)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the days, entries and minutes behind the signal (made when read)."""
        return fingerprint(self._finding) if self._finding is not None else ""

    @cached_property
    def explanation(self) -> str:
        """The Dutch explanation: what happened, hours per leswee, the entries behind it (made when read)."""
        return self.explanation_prefix + (self._render() if self._render is not None else "")

    @property
    def mandatory(self) -> bool:
        return self.kind in MANDATORY

    @property
    def key(self) -> tuple[int, str, int | None, dt.date]:
        return (self.pupil_id, self.kind, self.rule_id, self.begin)

    @property
    def urgency(self) -> tuple[int, int, str, dt.date]:
        """Sort key: mandatory meldingen first, then the longest overdue."""
        return (KIND_ORDER.get(self.kind, 9), -self.days_overdue, self.pupil_name, self.begin)


def compute_signals(
    session: Session,
    on: dt.date,
    pupil_ids: list[int] | None = None,
    group_id: int | None = None,
    *,
    include_handled: bool = False,
) -> list[Signal]:
    """All open signals for the school year of ``on`` up to ``on``, most urgent first.

    A school without signal rules gets the default rules (policy.ensure_default_rules) on first use."""
    year = school_year_for(session, on)
    year_start = year.start_date if year else dt.date(on.year if on.month >= 8 else on.year - 1, 8, 1)
    lo, hi = lookback_start(session, year_start), on
    ids = _select_pupils(session, pupil_ids, group_id, year_start, on)
    if ids is not None and not ids:
        return []
    engine = FiguresEngine(session, lo, hi, ids)
    lateness = get_lateness_policy(session)
    melding_policy = get_melding_policy(session)
    ensure_default_rules(session)
    rules = [RuleSpec.of(rule) for rule in active_rules(session)]
    counter = Counter(engine, lateness)

    births_q = select(col(Pupil.id), col(Pupil.birth_date))
    stored_q = select(col(Melding.pupil_id), col(Melding.begin_date), col(Melding.end_date)).where(
        col(Melding.kind).in_(["V3", "V4"]), Melding.status != MeldingStatusValue.WITHDRAWN.value)
    leave_q = select(col(LeaveRequest.pupil_id), col(LeaveRequest.date_from), col(LeaveRequest.date_to)).where(
        LeaveRequest.status == LeaveStatus.REFUSED.value, LeaveRequest.date_from <= hi, LeaveRequest.date_to >= lo)
    if ids is not None:
        births_q = births_q.where(col(Pupil.id).in_(ids))
        stored_q = stored_q.where(col(Melding.pupil_id).in_(ids))
        leave_q = leave_q.where(col(LeaveRequest.pupil_id).in_(ids))
    births = {pid: born for pid, born in session.exec(births_q).all() if pid is not None}  # primary key: always set
    stored: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for pid, begin, end in session.exec(stored_q).all():
        stored.setdefault(pid, []).append((begin, end or begin))
    refused: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for pid, begin, end in session.exec(leave_q).all():
        refused.setdefault(pid, []).append((begin, end))
    runs = off_runs(engine.calendar, lo, hi, long_weekends=melding_policy.luxe_long_weekend)

    findings: list[Finding] = []
    with_entries = entry_days(engine)
    for pid in ids if ids is not None else list(births):
        if pid not in with_entries:
            continue  # nothing in the register: no signal of any kind
        pupil = counter.pupil(pid, births.get(pid), lo, hi)
        if not pupil.events:
            continue
        own: list[Finding] = []
        for due in due_meldingen(pupil, stored.get(pid, ()), report_from=year_start):
            own.append(Finding(pid, due.kind, due.begin, due.end, due.minutes, days=sorted({les.date for les in due.entries}),
                               weeks=due.weeks, lessons=due.entries,
                               detail=f"{dutch.hours(due.minutes)} uur ongeoorloofd verzuim in 4 opeenvolgende lesweken"))
        own += lrv(pupil, melding_policy.lrv_weeks)
        l_found = luxe(pupil, runs, refused.get(pid, ()), melding_policy)
        own += l_found
        l_days = {d for f in l_found for d in f.days}
        for rule in rules:
            for f in rule_findings(pupil, rule, runs):
                if rule.kind == RuleKind.AROUND_HOLIDAY.value and set(f.days) <= l_days:
                    continue  # the luxe-verzuim melding already covers these days
                own.append(f)
        own += ladder_findings(pupil, lateness, year_start)
        findings += [f for f in own if f.end >= year_start]

    pupils = _pupils(session, {f.pupil_id for f in findings})
    rules_by_id = {r.id: r for r in rules}
    signals = [_signal(f, on, pupils[f.pupil_id], rules_by_id) for f in findings]
    signals = _apply_handling(session, signals, ids, include_handled)
    signals.sort(key=lambda s: s.urgency)
    return signals


def lookback_start(session: Session, year_start: dt.date) -> dt.date:
    """The Monday of the 3rd school leswee before ``year_start``: a window of 4 lesweken that ends early in the
    school year may reach back over the summer holiday (lesweken are consecutive across it). Days before
    that only matter through stored meldingen, which are restart points wherever they lie."""
    weeks = SchoolCalendar(session, year_start - LOOKBACK, year_start - dt.timedelta(days=1)).lesweken()
    return weeks[-(WINDOW_WEEKS - 1):][0] if weeks else year_start


def _select_pupils(session: Session, pupil_ids: list[int] | None, group_id: int | None, start: dt.date,
                   end: dt.date) -> list[int] | None:
    if group_id is None:
        return list(pupil_ids) if pupil_ids is not None else None
    members = session.exec(select(GroupMembership.pupil_id).where(
        GroupMembership.group_id == group_id, GroupMembership.date_from <= end,
        or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= start))).all()  # fmt: skip
    chosen = sorted(set(members))
    return [p for p in chosen if p in set(pupil_ids)] if pupil_ids is not None else chosen


def _pupils(session: Session, ids: set[int]) -> dict[int, Any]:
    """Key and name fields of the pupils (rows with the attributes ``display_name`` reads)."""
    if not ids:
        return {}
    q = select_columns(Pupil.id, Pupil.key, Pupil.roepnaam, Pupil.voornamen, Pupil.voorvoegsel, Pupil.achternaam)
    if len(ids) <= 100:  # a long IN list costs more to compile than reading every pupil's name
        q = q.where(col(Pupil.id).in_(sorted(ids)))
    return {row[0]: row for row in session.exec(q).all() if row[0] in ids}  # row[0]: Pupil.id


def fingerprint(f: Finding) -> str:
    """A hash of what is behind a signal: its window, days, and per lesson the entry ids and minutes."""
    parts = [f.kind, str(f.rule_id), f.begin.isoformat(), f.end.isoformat(), str(f.minutes),
             ",".join(d.isoformat() for d in f.days)]
    parts += [f"{les.date}:{les.lesson_number}:{les.minutes}:{'/'.join(map(str, les.entry_ids))}" for les in f.lessons]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _title(f: Finding, rules: dict[int | None, RuleSpec]) -> str:
    if f.kind in TITLES:
        return TITLES[f.kind]
    if f.kind == "te_laat_ladder":
        return f"Te laat komen: {f.detail}"
    kind = rules[f.rule_id].kind if f.rule_id in rules else f.rule_kind
    label = KIND_LABELS.get(RuleKind(kind), kind) if kind in RULE_KINDS else kind
    prefix = "Zorgsignaal" if f.kind == "zorg" else "Zorgelijk verzuim"
    return f"{prefix}: {label}"


def _short(day: dt.date) -> str:
    return f"{['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'][day.weekday()]} {dutch.date_short(day)}"


def explain(f: Finding, on: dt.date, pupil: Any, rules: dict[int | None, RuleSpec]) -> str:
    """The Dutch explanation: what happened, the hours per lesweek and the absence behind it."""
    lines = [f"{display_name(pupil)} ({pupil.key}): {f.detail}."]
    span = dutch.date_long(f.begin) if f.begin == f.end else f"{dutch.date_long(f.begin)} tot en met {dutch.date_long(f.end)}"
    lines.append(f"Periode: {span}.")
    days = (on - f.end).days
    if f.kind in ("V3", "V4"):
        lines.append(f"De grens van 16 uur (art. 21a Leerplichtwet) is bereikt op {dutch.date_long(f.end, weekday=True)}"
                     + (f", {dutch.plural(days, 'dag', 'dagen')} geleden. Meld onverwijld." if days else ", vandaag. Meld onverwijld."))
    elif f.kind in MANDATORY:
        lines.append("Dit moet gemeld worden bij de leerplichtambtenaar (via DUO)"
                     + (f"; het signaal staat er sinds {dutch.plural(days, 'dag', 'dagen')}." if days else "."))
    elif f.kind == "zorg":
        lines.append("Dit is een zorgsignaal voor de intern begeleider of de jeugdarts, geen melding aan de "
                     "leerplichtambtenaar.")
    rule = rules.get(f.rule_id)
    if rule is not None:
        lines.append(f"Regel uit het verzuimbeleid: {rule.description}")
    if f.weeks:
        lines.append("Per lesweek:")
        lines += [f"  week van {dutch.date_long(w)}: {dutch.hours(m)} uur" for w, m in f.weeks]
    if f.lessons:
        lines.append("Verzuim (ongeoorloofd):")
        for les in f.lessons:
            late = " (te laat)" if les.lateness else ""
            lines.append(f"  {_short(les.date)} les {les.lesson_number} ({dutch.clock(les.start)}–"
                         f"{dutch.clock(les.end)}): {'/'.join(les.reason_codes)}{late}, {les.minutes} min")
    elif f.kind == "zorg" and f.days:
        lines.append("Dagen: " + ", ".join(_short(d) for d in f.days))
    if f.minutes:
        lines.append(f"Totaal: {dutch.hours(f.minutes)} uur ({dutch.plural(f.minutes, 'minuut', 'minuten')}).")
    return "\n".join(lines)


def _signal(f: Finding, on: dt.date, pupil: Any, rules: dict[int | None, RuleSpec]) -> Signal:
    weeks = f.weeks
    if not weeks and f.lessons:
        per: dict[dt.date, int] = {}
        for les in f.lessons:
            per[week_monday(les.date)] = per.get(week_monday(les.date), 0) + les.minutes
        weeks = sorted(per.items())
    f.weeks = weeks
    return Signal(
        pupil_id=f.pupil_id, kind=f.kind, rule_id=f.rule_id, begin=f.begin, end=f.end, minutes=f.minutes,
        days_overdue=max(0, (on - f.end).days), title=_title(f, rules), _render=lambda: explain(f, on, pupil, rules),
        _finding=f, weeks=weeks, lessons=f.lessons, days=f.days, pupil_key=pupil.key,
        pupil_name=display_name(pupil),
    )  # fmt: skip


def _apply_handling(session: Session, signals: list[Signal], ids: list[int] | None, include_handled: bool) -> list[Signal]:
    if not signals:
        return signals
    q = select(SignalHandling).order_by(col(SignalHandling.handled_at), col(SignalHandling.id))
    if ids is not None:
        q = q.where(col(SignalHandling.pupil_id).in_(ids))
    latest: dict[tuple[int, str, int | None, dt.date], SignalHandling] = {}
    melded: set[tuple[int, str, int | None, dt.date]] = set()
    for stored in session.exec(q).all():
        key = (stored.pupil_id, stored.kind, stored.rule_id, stored.begin_date)
        latest[key] = stored
        if stored.action == "melding":
            melded.add(key)
    out = []
    for s in signals:
        h = latest.get(s.key)
        if h is None:
            out.append(s)
            continue
        s.previous_action = h.action
        if s.key in melded or h.fingerprint == s.fingerprint:
            if include_handled:
                out.append(s)
            continue
        s.new_since_handling = True
        s.explanation_prefix = (f"Nieuw verzuim sinds afhandeling ({ACTIONS.get(h.action, h.action)} op "
                         f"{dutch.date_long(h.handled_at.date())} door {h.handled_by}).\n")
        out.append(s)
    return out


def handle_signal(
    session: Session,
    signal: Signal,
    action: str,
    reason: str = "",
    by: str | None = None,
    *,
    melding_id: int | None = None,
    planned_on: dt.date | None = None,
    with_whom: str = "ouders/verzorgers",
    now: dt.datetime | None = None,
) -> SignalHandling:
    """Record what the school did with ``signal``: "afgewezen" (dismiss; a reason is required), "gesprek"
    (plan a conversation: a planned ContactMoment), "signaal" (a signaal zorgelijk verzuim was drafted),
    "melding" (a melding was drafted; ``melding_id`` links the record made by the meldingen module) or "brief"
    (a letter to the parents was made; model/letters/record.py links it)."""
    if action not in ACTIONS:
        raise ValidationError(f"Onbekende actie '{action}'; kies afwijzen, gesprek, signaal of melding.")
    reason = (reason or "").strip()
    if action == "afgewezen" and not reason:
        raise ValidationError("Geef een reden op waarom dit signaal wordt afgewezen; die reden wordt bewaard.")
    if signal.kind == "zorg" and action in ("melding", "signaal"):
        raise ValidationError("Een zorgsignaal gaat niet naar de leerplichtambtenaar: ziekte is geoorloofd "
                              "verzuim. Plan een gesprek of wijs het signaal af.")
    if action == "signaal" and signal.mandatory:
        raise ValidationError("Dit verzuim moet gemeld worden (verplichte melding); een signaal zorgelijk "
                              "verzuim is hier niet genoeg.")
    if melding_id is not None and session.get(Melding, melding_id) is None:
        raise ValidationError("De melding bij dit signaal bestaat niet (meer).")
    stamp = now or dt.datetime.now()
    who = by or current_user(session)
    if action == "gesprek":
        session.add(ContactMoment(
            pupil_id=signal.pupil_id, date=planned_on or stamp.date(), kind="gesprek", with_whom=with_whom,
            summary=f"Gesprek naar aanleiding van: {signal.title} ({dutch.date_long(signal.begin)} – "
                    f"{dutch.date_long(signal.end)})" + (f". {reason}" if reason else ""),
            planned=True, created_by=who, created_at=stamp,
        ))  # fmt: skip
    row = SignalHandling(
        pupil_id=signal.pupil_id, kind=signal.kind, rule_id=signal.rule_id, begin_date=signal.begin,
        end_date=signal.end, action=action, reason=reason, fingerprint=signal.fingerprint, melding_id=melding_id,
        handled_by=who, handled_at=stamp,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row
