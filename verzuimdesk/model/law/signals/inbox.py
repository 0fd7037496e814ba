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
- A due melding never disappears (issue 9): duties and V4 stay in the inbox across 1 August and across every
  look-back limit until a melding is made or the signal is dismissed with a reason. Per pupil the counting
  starts at the earlier of (a) the 3 school lesweken before the school year (a window of 4 lesweken may reach
  back over the summer) and (b) the first day with unauthorised absence after the pupil's last *closure*: the
  latest einddatum of a stored melding (not withdrawn) or of a handled duty. Signals of the other kinds that
  became due before the school year are not shown (they belong to that year).
- Stored meldingen (not withdrawn, drafts included): a V3/V4 melding restarts the 16-hour counting after its
  einddatum; a stored LRV, RMC or L melding that overlaps the period of such a signal is that signal. A
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
import hashlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.model.db import select_columns
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.claims import claimed_lessons, without_lessons
from verzuimdesk.model.law.signals.counting import CountedLesson, Counter, PupilDays, entry_days
from verzuimdesk.model.law.signals.other import (
    Finding,
    OffRun,
    ladder_findings,
    lrv,
    luxe,
    off_runs,
    rmc,
    rule_findings,
)
from verzuimdesk.model.law.signals.policy import (
    KIND_LABELS,
    LatenessPolicy,
    MeldingPolicy,
    RuleSpec,
    active_rules,
    ensure_default_rules,
    get_lateness_policy,
    get_melding_policy,
)
from verzuimdesk.model.law.signals.sixteen_hours import WINDOW_WEEKS, due_meldingen
from verzuimdesk.model.register.figures import FiguresEngine, format_hours
from verzuimdesk.model.school.calendar import (
    SchoolCalendar,
    format_date,
    format_time,
    school_year_for,
    week_monday,
)
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import AbsenceEntry, Category, Group, GroupMembership, Pupil, Reason
from verzuimdesk.model.tables.law import (
    ContactMoment,
    LeaveRequest,
    LeaveStatus,
    Melding,
    MeldingStatusValue,
    RuleKind,
    RulePurpose,
    SignalHandling,
)

RULE_KINDS = {k.value for k in RuleKind}
# art. 21a Lpw (V3, LRV); art. 13a/21 Lpw (L, the duty cases); Wet RMC (RMC). V4 is optional (DUO).
MANDATORY = ("V3", "LRV", "L", "RMC")
MELDING_SIGNALS = ("V3", "V4", "LRV", "L", "RMC")  # signals that stand for a melding (duty or optional)
KIND_ORDER = {"V3": 0, "LRV": 0, "L": 0, "RMC": 0, "V4": 1, "luxe_controle": 1, "zorgelijk": 2,
              "te_laat_ladder": 3, "zorg": 4}
ACTIONS = {"afgewezen": "afgewezen", "gesprek": "gesprek gepland", "signaal": "signaal zorgelijk verzuim",
           "melding": "melding gemaakt"}
LOOKBACK = dt.timedelta(days=84)  # how far back to look for the lesweken before the school year
TITLES = {
    "V3": "Melding verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken (V3)",
    "V4": "Melding mogelijk, niet verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken, 18+ (V4)",
    "LRV": "Melding verplicht: langdurig relatief verzuim (LRV)",
    "L": "Melding verplicht: luxe verzuim (L)",
    "RMC": "Melding verplicht: RMC, een maand niet op school (18 tot 23 jaar)",
    "luxe_controle": "Controleren: deel van de dag afwezig naast een vakantie (mogelijk luxe verzuim)",
}


@dataclass
class Signal:
    pupil_id: int
    kind: str  # "V3" | "V4" | "LRV" | "L" | "RMC" | "luxe_controle" | "zorgelijk" | "zorg" | "te_laat_ladder"
    rule_id: int | None
    begin: dt.date
    end: dt.date  # the day it became due (for V3/V4: the day the 16 hours were reached)
    minutes: int  # unauthorised minutes behind it (counted per the lateness policy); 0 for care signals
    days_overdue: int  # days from ``end`` to the date asked
    title: str
    school_days_due: int = 0  # school days after ``end`` up to the date asked (Inspectie: within 5)
    until: dt.date | None = None  # LRV/RMC: the last day of absence once the pupil is back (einddatum)
    repeat: int = 0  # V3/V4: n-th repeat melding during continuous absence (1–4)
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
        """A real duty (art. 21a/13a Lpw, Wet RMC): "Melding verplicht"."""
        return self.kind in MANDATORY

    @property
    def optional_melding(self) -> bool:
        """A melding that may be made, never a duty: V4 (18+; DUO "Dit is niet verplicht")."""
        return self.kind == "V4"

    @property
    def check(self) -> bool:
        """A check ("controleren"), not a melding: part of a day absent next to a holiday."""
        return self.kind == "luxe_controle"

    @property
    def duty_label(self) -> str:
        """"verplicht", "optioneel", "controleren" or "" (the inbox's marker text)."""
        if self.mandatory:
            return "verplicht"
        if self.optional_melding:
            return "optioneel"
        return "controleren" if self.check else ""

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
    """All open signals up to ``on``, most urgent first: those of the school year of ``on``, and every due
    melding not yet handled, whenever it became due (module docstring).

    A school without signal rules gets the default rules (policy.ensure_default_rules) on first use."""
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
    deep = _deep_starts(session, ids, lo, closure)

    findings: list[Finding] = []
    for start, chosen in _passes(ids, births, lo, deep):
        engine = FiguresEngine(session, start, hi, chosen)
        counter = Counter(engine, lateness, melding_policy.unit)
        runs = off_runs(engine.calendar, start, hi, long_weekends=melding_policy.luxe_long_weekend)
        with_entries = entry_days(engine)
        for pid in chosen if chosen is not None else list(births):
            if pid not in with_entries:
                continue  # nothing in the register: no signal of any kind
            pupil = counter.pupil(pid, births.get(pid), deep.get(pid, lo), hi, profiles.get(pid, ()))
            if not pupil.events:
                continue
            own = _pupil_findings(pupil, stored.get(pid, []), refused.get(pid, []), claims.get(pid, {}),
                                  worrying, care, runs, melding_policy, lateness, year_start)
            findings += [f for f in own if f.end >= year_start or f.kind in MELDING_SIGNALS]

    pupils_rows = _pupils(session, {f.pupil_id for f in findings})
    rules_by_id = {r.id: r for r in rules}
    school_days = _school_days(session, min((f.end for f in findings), default=on), on)
    signals = [_signal(f, on, pupils_rows[f.pupil_id], rules_by_id, melding_policy.unit_word(), school_days)
               for f in findings]
    signals = _apply_handling(session, signals, ids, include_handled)
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
    sixteen = [(b, e) for kind, b, e in stored if kind in ("V3", "V4")]
    open_from = min((b for _k, b, e in stored if e is None), default=None)
    own: list[Finding] = []
    for due in due_meldingen(pupil, sixteen, covered_from=open_from):
        what = (f"herhaalmelding {due.repeat} van 4 bij aaneengesloten verzuim" if due.repeat else
                "ongeoorloofd verzuim in 4 opeenvolgende lesweken")
        own.append(Finding(pid, due.kind, due.begin, due.end, due.minutes, days=sorted({les.date for les in due.entries}),
                           weeks=due.weeks, lessons=due.entries, repeat=due.repeat,
                           detail=f"{format_hours(due.minutes)} {melding_policy.unit_word()} {what}"))
    for f in lrv(pupil, melding_policy.lrv_weeks) + rmc(pupil):
        if not _overlap(f.kind, f.begin, f.until or dt.date.max, stored):
            own.append(f)
    for f in luxe(pupil, runs, refused, melding_policy):
        if (open_from is None or f.end < open_from) and not _overlap("L", f.begin, f.end, stored):
            own.append(f)
    # Zorgelijk verzuim lies below the threshold: without the lessons of duties and stored meldingen.
    claimed = dict(claims)
    for f in own:
        if f.kind in MELDING_SIGNALS:
            for d in f.days:
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


def _deep_starts(session: Session, ids: list[int] | None, lo: dt.date, closure: dict[int, dt.date]) -> dict[int, dt.date]:
    """Per pupil whose counting must start before ``lo``: the first day with unauthorised absence after the
    pupil's last closure (module docstring: a due melding never disappears)."""
    q = select(col(AbsenceEntry.pupil_id), col(AbsenceEntry.date)).join(
        Reason, col(Reason.id) == col(AbsenceEntry.reason_id)).where(
        Reason.category == Category.UNAUTHORISED.value, AbsenceEntry.date < lo).distinct()  # fmt: skip
    if ids is not None:
        q = q.where(col(AbsenceEntry.pupil_id).in_(ids))
    out: dict[int, dt.date] = {}
    for pid, day in session.exec(q).all():
        if (pid not in closure or day > closure[pid]) and day < out.get(pid, lo):
            out[pid] = day
    return out


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


def fingerprint(f: Finding) -> str:
    """A hash of what is behind a signal: its window, days, and per lesson the entry ids and minutes."""
    parts = [f.kind, str(f.rule_id), f.begin.isoformat(), f.end.isoformat(), str(f.minutes),
             ",".join(d.isoformat() for d in f.days)]
    parts += [f"{les.date}:{les.lesson_number}:{les.minutes}:{'/'.join(map(str, les.entry_ids))}" for les in f.lessons]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _title(f: Finding, rules: dict[int | None, RuleSpec]) -> str:
    if f.kind in ("V3", "V4") and f.repeat:
        duty = "Melding verplicht" if f.kind == "V3" else "Melding mogelijk, niet verplicht"
        return f"{duty}: herhaalmelding {f.repeat} van 4 bij aaneengesloten verzuim ({f.kind})"
    if f.kind in TITLES:
        return TITLES[f.kind]
    if f.kind == "te_laat_ladder":
        return f"Te laat komen: {f.detail}"
    kind = rules[f.rule_id].kind if f.rule_id in rules else f.rule_kind
    label = KIND_LABELS.get(RuleKind(kind), kind) if kind in RULE_KINDS else kind
    prefix = "Zorgsignaal" if f.kind == "zorg" else "Zorgelijk verzuim"
    return f"{prefix}: {label}"


def _short(day: dt.date) -> str:
    return f"{['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'][day.weekday()]} {day:%d-%m-%Y}"


def explain(f: Finding, on: dt.date, pupil: Any, rules: dict[int | None, RuleSpec], unit: str = "uur",
            school_days: int = 0) -> str:
    """The Dutch explanation: what happened, which rule applies, the hours per lesweek and the absence."""
    lines = [f"{display_name(pupil)} ({pupil.key}): {f.detail}."]
    span = format_date(f.begin) if f.begin == f.end else f"{format_date(f.begin)} tot en met {format_date(f.end)}"
    lines.append(f"Periode: {span}.")
    days = (on - f.end).days
    since = f" Het signaal staat er sinds {school_days} schooldag(en)." if school_days else ""
    if f.kind in ("V3", "V4"):
        reached = f"De grens van 16 {unit} (art. 21a Leerplichtwet) is bereikt op {format_date(f.end, weekday=True)}"
        reached += f", {days} dag(en) geleden." if days else ", vandaag."
        if f.repeat:
            reached = (f"De leerling bleef na de vorige melding aaneengesloten weg. DUO: bij aaneengesloten verzuim "
                       f"ten hoogste één herhaalmelding per 7 kalenderdagen, ten hoogste 4 keer, daarna één melding "
                       f"langdurig relatief verzuim (LRV). Dit is herhaalmelding {f.repeat} van 4.")
        if f.kind == "V3":
            lines.append(reached + " Meld onverwijld (Inspectie: binnen 5 schooldagen)." + since)
        else:
            lines.append(reached + " De leerling is 18 jaar of ouder: een melding V4 is mogelijk, niet verplicht "
                         "(DUO). Alleen verzuim vanaf de 18e verjaardag telt hier.")
    elif f.kind == "LRV":
        lines.append("Langdurig relatief verzuim wordt één keer gemeld (DUO). De einddatum mag open blijven "
                     "(Besluit Verzuimmelding: 'indien bekend') en vult u in wanneer de leerling terugkomt of "
                     "uitgeschreven wordt." + since)
        if f.until is not None:
            lines.append(f"De leerling was aaneengesloten afwezig tot en met {format_date(f.until)}: "
                         "dat is de einddatum.")
    elif f.kind == "RMC":
        lines.append("De leerling valt niet (meer) onder de leerplicht of kwalificatieplicht en is jonger dan 23: "
                     "meld dit verzuim als RMC-melding (Wet RMC), verplicht." + since)
    elif f.kind == "L":
        lines.append("Luxe verzuim (art. 13a Leerplichtwet): (bijna) hele dagen naast een schoolvakantie, verzuim "
                     "in een geweigerde verlofperiode of verzuim met code L moeten gemeld worden bij de "
                     "leerplichtambtenaar (via DUO)." + since)
    elif f.kind == "luxe_controle":
        lines.append("Een deel van de dag afwezig naast een vakantie is geen meldplicht, maar controleer of het "
                     "om vakantie ging. Was het een hele of bijna hele dag, dan is melden verplicht.")
    elif f.kind == "zorg":
        lines.append("Dit is een zorgsignaal voor de intern begeleider of de jeugdarts, geen melding aan de "
                     "leerplichtambtenaar.")
    rule = rules.get(f.rule_id)
    if rule is not None:
        lines.append(f"Regel uit het verzuimbeleid: {rule.description}")
    if f.weeks:
        lines.append("Per lesweek:")
        lines += [f"  week van {format_date(w)}: {format_hours(m)} {unit}" for w, m in f.weeks]
    if f.lessons:
        lines.append("Verzuim (ongeoorloofd):")
        for les in f.lessons:
            late = " (te laat)" if les.lateness else ""
            lines.append(f"  {_short(les.date)} les {les.lesson_number} ({format_time(les.start)}–"
                         f"{format_time(les.end)}): {'/'.join(les.reason_codes)}{late}, {les.minutes} min")
    elif f.kind == "zorg" and f.days:
        lines.append("Dagen: " + ", ".join(_short(d) for d in f.days))
    if f.minutes:
        total = f"{format_hours(f.minutes)} {unit}"
        lines.append(f"Totaal: {total}" + (f" ({f.minutes} minuten)." if unit == "uur" else "."))
    return "\n".join(lines)


def _signal(f: Finding, on: dt.date, pupil: Any, rules: dict[int | None, RuleSpec], unit: str = "uur",
            school_days: list[dt.date] | None = None) -> Signal:
    weeks = f.weeks
    if not weeks and f.lessons:
        per: dict[dt.date, int] = {}
        for les in f.lessons:
            per[week_monday(les.date)] = per.get(week_monday(les.date), 0) + les.counted_units
        weeks = sorted(per.items())
    f.weeks = weeks
    days = school_days or []
    since = len(days) - bisect_right(days, f.end)
    return Signal(
        pupil_id=f.pupil_id, kind=f.kind, rule_id=f.rule_id, begin=f.begin, end=f.end, minutes=f.minutes,
        days_overdue=max(0, (on - f.end).days), title=_title(f, rules),
        _render=lambda: explain(f, on, pupil, rules, unit, since), _finding=f, weeks=weeks, lessons=f.lessons,
        days=f.days, pupil_key=pupil.key, pupil_name=display_name(pupil), school_days_due=since, until=f.until,
        repeat=f.repeat,
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
                         f"{format_date(h.handled_at.date())} door {h.handled_by}).\n")
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
    (plan a conversation: a planned ContactMoment), "signaal" (a signaal zorgelijk verzuim was drafted) or
    "melding" (a melding was drafted; ``melding_id`` links the record made by the meldingen module)."""
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
            summary=f"Gesprek naar aanleiding van: {signal.title} ({format_date(signal.begin)} – "
                    f"{format_date(signal.end)})" + (f". {reason}" if reason else ""),
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
