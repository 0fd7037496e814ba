"""The signals inbox: every due melding, zorgelijk-verzuim case, lateness step and care signal, most urgent
first, each explained, and what the school did with it (issue 3 parts 1–7; domain.md §7).

Handling (SignalHandling rows): a signal is identified by (pupil, kind, rule, begindatum). A handled
signal is hidden unless its *fingerprint* (a hash of the days, entry ids and minutes behind it) changed
because the register changed; then it returns marked "nieuw verzuim sinds afhandeling". A signal that
was turned into a melding (action "melding") never returns for the same window, and for the 16 hours
the stored V3/V4 meldingen (not withdrawn) are the restart points of the counting, so "counting starts
again after a melding's einddatum" holds across sessions.

Decisions (see also the docstrings of sixteen_hours.py and other.py):

- Duties and the rest: "Melding verplicht" only for V3, LRV, L (the duty cases of other.py) and RMC; V4 is
  offered, never a duty (DUO: "Dit is niet verplicht"); "luxe_controle" is a check, not a melding.
- Urgency: duties first, then the optional V4 and the luxe checks, zorgelijk verzuim, the lateness ladder and
  care signals; within each, the longest overdue first (``days_overdue``: days since the signal became due,
  for V3/V4 since the 16 hours were reached; ``school_days_due``: the school days since then, the Inspectie's
  "within 5 school days").
- A due melding never disappears (issue 9): duties and V4 stay in the inbox across 1 August and across the
  look-back of the school year until a melding is made or the signal is dismissed with a reason. Per pupil the
  counting starts at the earlier of (a) the 3 school lesweken before the school year (a window of 4 lesweken
  may reach back over the summer) and (b) the first day with unauthorised absence after the pupil's last
  *closure*: the latest einddatum of a stored melding (not withdrawn) or of a handled duty. Signals of the
  other kinds that became due before the school year are not shown (they belong to that year).
- **Bound of that second counting** (choice): the full search counts from no earlier than :func:`deep_bound`, the
  look-back start of the *previous* school year, so absence of years ago does not make every count load the
  whole history; and from the oldest open *duty mark* of the pupil when that is older (:mod:`.duties`). Every
  duty found is marked (once a day, the full search), and a mark stays until a melding or a dismissal closes it:
  so a due melding never disappears, however long it is left. After a full search in the school year, the
  everyday count starts before the look-back only for pupils with an open mark (exact; :mod:`.duties`).
- Stored meldingen (not withdrawn, drafts included): a V3/V4, LRV or RMC melding restarts the 16-hour counting
  after its einddatum, and a 16-hour window that overlaps it was reported by it (the same absence is never
  asked for twice); a stored LRV, RMC or L melding that overlaps the period of such a signal is that signal. A
  melding without einddatum covers everything from its begindatum: no V3/V4, L, luxe check, zorgelijk or
  lateness signal is asked for in that span; only the escalation LRV/RMC (a kind of its own) still is.
- Zorgelijk verzuim lies below the threshold only (domain.md §7.3): the school's zorgelijk rules count
  without the lessons of a due duty, of a stored melding's specification (drafts included) and of the
  span of a melding without einddatum; so drafting a melding never brings the same lessons back as another
  signal. Care (MAZL) signals are about sickness and are not affected.
- Computing for one pupil (``pupil_ids=[id]``) gives exactly that pupil's part of the full computation:
  the incremental path after a register entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.db import select_columns
from verzuimdesk.model.law.signals.claims import claimed_lessons, without_lessons
from verzuimdesk.model.law.signals.counting import Counter, PupilDays
from verzuimdesk.model.law.signals.handling import apply_handling, handle_signal
from verzuimdesk.model.law.signals.mandatory import lrv, luxe, rmc
from verzuimdesk.model.law.signals.other import Finding, OffRun, ladder_findings, off_runs, rule_findings
from verzuimdesk.model.law.signals.policy import (
    LatenessPolicy,
    MeldingPolicy,
    RuleSpec,
    active_rules,
    ensure_default_rules,
    get_lateness_policy,
    get_melding_policy,
)
from verzuimdesk.model.law.signals.scheduled import entry_days, signal_reason_ids
from verzuimdesk.model.law.signals.sixteen_hours import WINDOW_WEEKS, due_meldingen
from verzuimdesk.model.law.signals.texts import MELDING_SIGNALS, Signal, make_signal
from verzuimdesk.model.register.figures import FiguresEngine, gc_paused
from verzuimdesk.model.school.calendar import (
    SchoolCalendar,
    school_year_for,
)
from verzuimdesk.model.tables import AbsenceEntry, Category, Group, GroupMembership, Pupil, Reason
from verzuimdesk.model.tables.law import (
    DutyMark,
    DutyScan,
    LeaveRequest,
    LeaveStatus,
    Melding,
    MeldingStatusValue,
    RuleKind,
    RulePurpose,
    SignalHandling,
)

__all__ = ["Signal", "compute_signals", "deep_bound", "handle_signal", "lookback_start"]

LOOKBACK = dt.timedelta(days=84)  # how far back to look for the lesweken before the school year


def compute_signals(
    session: Session,
    on: dt.date,
    pupil_ids: list[int] | None = None,
    group_id: int | None = None,
    *,
    include_handled: bool = False,
    deep: bool | None = None,
) -> list[Signal]:
    """All open signals up to ``on``, most urgent first: those of the school year of ``on``, and every due
    melding not yet handled, whenever it became due (module docstring).

    ``deep``: count older open absence for every pupil (the full search, :mod:`.duties`) or only for pupils with
    an open duty mark; by default the latter when a full search ran in this school year, else the former.

    A school without signal rules gets the default rules (policy.ensure_default_rules) on first use."""
    with gc_paused():  # speed: a school year of small objects (figures.gc_paused)
        return _compute_signals(session, on, pupil_ids, group_id, include_handled, deep)


def _compute_signals(session: Session, on: dt.date, pupil_ids: list[int] | None, group_id: int | None,
                     include_handled: bool, deep: bool | None) -> list[Signal]:
    year = school_year_for(session, on)
    year_start = year.start_date if year else dt.date(on.year if on.month >= 8 else on.year - 1, 8, 1)
    lo, hi = lookback_start(session, year_start), on
    ids = _select_pupils(session, pupil_ids, group_id, year_start, on)
    if ids is not None and not ids:
        return []
    lateness = get_lateness_policy(session)
    melding_policy = get_melding_policy(session)
    ensure_default_rules(session)
    rules = [RuleSpec.of(rule) for rule in active_rules(session)]
    worrying = [r for r in rules if r.purpose == RulePurpose.WORRYING.value]
    care = [r for r in rules if r.purpose != RulePurpose.WORRYING.value]

    births_q = select(col(Pupil.id), col(Pupil.birth_date))
    stored_q = select(col(Melding.pupil_id), col(Melding.kind), col(Melding.begin_date),
                      col(Melding.end_date)).where(Melding.status != MeldingStatusValue.WITHDRAWN.value)
    leave_q = select(col(LeaveRequest.pupil_id), col(LeaveRequest.date_from), col(LeaveRequest.date_to)).where(
        LeaveRequest.status == LeaveStatus.REFUSED.value, LeaveRequest.date_from <= hi)
    handled_q = select(col(SignalHandling.pupil_id), col(SignalHandling.end_date)).where(
        col(SignalHandling.kind).in_(MELDING_SIGNALS), col(SignalHandling.action).in_(["melding", "afgewezen"]))
    profile_q = select(col(GroupMembership.pupil_id), col(GroupMembership.date_from), col(GroupMembership.date_to),
                       col(Group.uitstroomprofiel)).join(Group, col(Group.id) == col(GroupMembership.group_id)).where(
        Group.uitstroomprofiel != "")  # fmt: skip
    if ids is not None:
        births_q = births_q.where(col(Pupil.id).in_(ids))
        stored_q = stored_q.where(col(Melding.pupil_id).in_(ids))
        leave_q = leave_q.where(col(LeaveRequest.pupil_id).in_(ids))
        handled_q = handled_q.where(col(SignalHandling.pupil_id).in_(ids))
        profile_q = profile_q.where(col(GroupMembership.pupil_id).in_(ids))
    births = {pid: born for pid, born in session.exec(births_q).all() if pid is not None}  # primary key: always set
    stored: dict[int, list[tuple[str, dt.date, dt.date | None]]] = {}
    closure: dict[int, dt.date] = {}
    for pid, kind, begin, end in session.exec(stored_q).all():
        stored.setdefault(pid, []).append((kind, begin, end))
        closure[pid] = max(closure.get(pid, begin), end or begin)
    for pid, end in session.exec(handled_q).all():
        closure[pid] = max(closure.get(pid, end), end)
    refused: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for pid, begin, end in session.exec(leave_q).all():
        refused.setdefault(pid, []).append((begin, end))
    profiles: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
    for pid, begin, end, profile in session.exec(profile_q).all():
        profiles.setdefault(pid, []).append((begin, end, profile))
    claims = claimed_lessons(session, ids)
    marks = _open_marks(session, ids, lo, closure)
    if deep is None:
        year_end = year.end_date if year else year_start.replace(year=year_start.year + 1)
        deep = not _searched_this_year(session, lo, year_end)
    chosen_ids = ids if deep else sorted(marks)
    deep_from = _deep_starts(session, chosen_ids, lo, closure, deep_bound(session, year_start), marks) \
        if deep or marks else {}

    relevant = signal_reason_ids(session.exec(select(col(Reason.id), col(Reason.category), col(Reason.is_sickness),
                                                     col(Reason.sick_report))).all())
    findings: list[Finding] = []
    for start, chosen in _passes(ids, births, lo, deep_from):
        # Speed: most of the school is read as the whole school (the few others are read but not counted here): a long
        # list of pupils makes every query of the engine longer and each of its rows a lookup.
        whole = ids is None and (chosen is None or 2 * len(chosen) > len(births))
        engine = FiguresEngine(session, start, hi, None if whole else chosen, reason_ids=relevant)
        counter = Counter(engine, lateness, melding_policy.unit)
        runs = off_runs(engine.calendar, start, hi, long_weekends=melding_policy.luxe_long_weekend)
        with_entries = entry_days(engine)
        for pid in chosen if chosen is not None else list(births):
            if pid not in with_entries:
                continue  # nothing in the register: no signal of any kind
            pupil = counter.pupil(pid, births.get(pid), deep_from.get(pid, lo), hi, profiles.get(pid, ()))
            if not pupil.events:
                continue
            own = _pupil_findings(pupil, stored.get(pid, []), refused.get(pid, []), claims.get(pid, {}),
                                  worrying, care, runs, melding_policy, lateness, year_start)
            findings += [f for f in own if f.end >= year_start or f.kind in MELDING_SIGNALS]

    pupils_rows = _pupils(session, {f.pupil_id for f in findings})
    rules_by_id = {r.id: r for r in rules}
    school_days = _school_days(session, min((f.end for f in findings), default=on), on)
    signals = [make_signal(f, on, pupils_rows[f.pupil_id], rules_by_id, melding_policy.unit_word(), school_days)
               for f in findings]
    signals = apply_handling(session, signals, ids, include_handled)
    signals.sort(key=lambda s: s.urgency)
    return signals


def _overlap(kind: str, begin: dt.date, end: dt.date, stored: list[tuple[str, dt.date, dt.date | None]]) -> bool:
    return any(k == kind and b <= end and begin <= (e or dt.date.max) for k, b, e in stored)


def _pupil_findings(
    pupil: PupilDays, stored: list[tuple[str, dt.date, dt.date | None]], refused: list[tuple[dt.date, dt.date]],
    claims: dict[dt.date, set[int] | None], worrying: list[RuleSpec], care: list[RuleSpec], runs: list[OffRun],
    melding_policy: MeldingPolicy, lateness: LatenessPolicy, year_start: dt.date,
) -> list[Finding]:  # fmt: skip
    """Every finding of one pupil, before texts and handling (the decisions of the module docstring)."""
    pid = pupil.pupil_id
    # An LRV/RMC melding reported the same absence: its span is a 16-hour melding's span too.
    sixteen = [(b, e) for kind, b, e in stored if kind in ("V3", "V4", "LRV", "RMC")]
    open_from = min((b for _k, b, e in stored if e is None), default=None)
    own: list[Finding] = []
    for due in due_meldingen(pupil, sixteen, covered_from=open_from, lrv_weeks=melding_policy.lrv_weeks):
        what = (f"herhaalmelding {due.repeat} van 4 bij aaneengesloten verzuim" if due.repeat else
                "ongeoorloofd verzuim in 4 opeenvolgende lesweken")
        own.append(Finding(pid, due.kind, due.begin, due.end, due.minutes, days=sorted({les.date for les in due.entries}),
                           weeks=due.weeks, lessons=due.entries, repeat=due.repeat,
                           detail=f"{dutch.hours(due.minutes)} {melding_policy.unit_word()} {what}"))
    for f in lrv(pupil, melding_policy.lrv_weeks) + rmc(pupil):
        if not _overlap(f.kind, f.begin, f.until or dt.date.max, stored):
            own.append(f)
    reported = [(f.begin, f.end) for f in own if f.kind in ("V3", "V4")]
    reported += [(f.begin, f.until or dt.date.max) for f in own if f.kind in ("LRV", "RMC")]
    reported += [(b, e or dt.date.max) for b, e in sixteen]
    for f in luxe(pupil, runs, refused, melding_policy):
        if f.adjacent_only and all(any(b <= d <= e for b, e in reported) for d in f.days):
            continue  # part of a 16-hour, LRV or RMC melding: not luxe verzuim as well (mandatory.py)
        if (open_from is None or f.end < open_from) and not _overlap("L", f.begin, f.end, stored):
            own.append(f)
    # Zorgelijk verzuim lies below the threshold: without the lessons of duties and stored meldingen.
    claimed = dict(claims)
    for f in own:
        if f.kind in MELDING_SIGNALS:
            for d in f.days:
                claimed[d] = None
    for d in pupil.events if reported else ():  # the days of a 16-hour melding's window, an LRV/RMC run (until its end)
        if any(b <= d <= e for b, e in reported):
            claimed[d] = None
    below = without_lessons(pupil, claimed, open_from)
    duty_days = {d for f in own if f.kind == "L" for d in f.days}
    for rule in worrying:
        for f in rule_findings(below, rule, runs):
            if rule.kind == RuleKind.AROUND_HOLIDAY.value and set(f.days) <= duty_days:
                continue  # the luxe-verzuim melding already covers these days
            own.append(f)
    for rule in care:
        own += rule_findings(pupil, rule, runs)
    own += [f for f in ladder_findings(pupil, lateness, year_start) if open_from is None or f.end < open_from]
    return own


def deep_bound(session: Session, year_start: dt.date) -> dt.date:
    """The earliest day the counting of older open absence starts on: the look-back start of the school year
    before the one that starts on ``year_start`` (module docstring: a duty of last school year stays visible
    across 1 August; nothing older loads)."""
    return lookback_start(session, dt.date(year_start.year - 1, year_start.month, year_start.day))


def _deep_starts(session: Session, ids: list[int] | None, lo: dt.date, closure: dict[int, dt.date],
                 bound: dt.date, marks: dict[int, dt.date]) -> dict[int, dt.date]:
    """Per pupil whose counting must start before ``lo``: the first day on or after ``bound`` (or the pupil's
    oldest open duty mark, when older) with unauthorised absence after the pupil's last closure (module
    docstring: a due melding never disappears)."""
    if ids is not None and not ids:
        return {}
    q = select(col(AbsenceEntry.pupil_id), col(AbsenceEntry.date)).join(
        Reason, col(Reason.id) == col(AbsenceEntry.reason_id)).where(
        Reason.category == Category.UNAUTHORISED.value, AbsenceEntry.date < lo,
        AbsenceEntry.date >= min([bound, *marks.values()])).distinct()  # fmt: skip
    if ids is not None:
        q = q.where(col(AbsenceEntry.pupil_id).in_(ids))
    out: dict[int, dt.date] = {}
    for pid, day in session.exec(q).all():
        if day < min(bound, marks.get(pid, bound)):
            continue
        if (pid not in closure or day > closure[pid]) and day < out.get(pid, lo):
            out[pid] = day
    return out


def _open_marks(session: Session, ids: list[int] | None, lo: dt.date,
                closure: dict[int, dt.date]) -> dict[int, dt.date]:
    """Per pupil: the begindatum of the oldest duty mark before ``lo`` that no melding or handled duty closed
    (:mod:`.duties`)."""
    q = select(col(DutyMark.pupil_id), col(DutyMark.begin_date), col(DutyMark.end_date)).where(
        DutyMark.begin_date < lo)
    if ids is not None:
        q = q.where(col(DutyMark.pupil_id).in_(ids))
    out: dict[int, dt.date] = {}
    for pid, begin, end in session.exec(q).all():
        if (pid not in closure or end > closure[pid]) and begin < out.get(pid, lo):
            out[pid] = begin
    return out


def _searched_this_year(session: Session, lo: dt.date, year_end: dt.date) -> bool:
    """Whether the full search for duties (:func:`.duties.record_duties`) ran in this school year."""
    scan = session.get(DutyScan, 1)
    return scan is not None and lo <= scan.scanned_on <= year_end


def _passes(ids: list[int] | None, births: dict[int, Any], lo: dt.date,
            deep: dict[int, dt.date]) -> list[tuple[dt.date, list[int] | None]]:
    """(start, pupils) of the engines to load: the school from ``lo``, the pupils with older open absence
    from their own start (one engine over the earliest of them)."""
    if not deep:
        return [(lo, ids)]
    everyone = ids if ids is not None else sorted(births)
    rest = [p for p in everyone if p not in deep]
    out: list[tuple[dt.date, list[int] | None]] = [(min(deep.values()), sorted(deep))]
    if rest:
        out.insert(0, (lo, rest))
    return out


def _school_days(session: Session, first: dt.date, on: dt.date) -> list[dt.date]:
    return SchoolCalendar(session, first, on).school_days(first, on) if first < on else []


def lookback_start(session: Session, year_start: dt.date) -> dt.date:
    """The Monday of the 3rd school leswee before ``year_start``: a window of 4 lesweken that ends early in the
    school year may reach back over the summer holiday (lesweken are consecutive across it). Days before
    that only matter through stored meldingen, which are restart points wherever they lie, and through due
    meldingen not yet handled (compute_signals starts earlier for those pupils)."""
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


