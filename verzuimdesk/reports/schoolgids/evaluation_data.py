"""What the yearly evaluation report shows (part 4 of the verzuimbeleid: monitoring and evaluation), as plain
data; :mod:`verzuimdesk.reports.schoolgids.evaluation` writes it as PDF and DOCX.

- Figures per quarter of the school year (aug–okt, nov–jan, feb–apr, mei–jul; clipped to today): every number
  is a :class:`~verzuimdesk.model.register.figures.Figures` total of :class:`FiguresEngine` (one engine for the year),
  "ziekte" is the authorised time on ground d of art. 11 (``Figures.by_ground["d"]``), and the tiers come from
  the school's :class:`TierPolicy` over each pupil's quarter.
- Meldingen whose begindatum lies in the year: the *aanleiding* is the day the signal became due (the
  SignalHandling row that made the melding; for a 16-hour melding the day the 16 hours were reached), or for a
  V3/V4 melding without such a row its einddatum (the program sets it to the day the 16 hours were reached).
  Timely = drafted within the school's ``termijn_melding`` days (the law says "onverwijld").
- Signals handled (SignalHandling rows whose signal became due in the year): days from due to handled, timely
  within ``termijn_signaal`` (for the mandatory kinds ``termijn_melding``); plus the signals still open.
- Interventions started in the year: evaluated, evaluated in time (on or before the planned date), effective.

The report names no pupils: rows carry the program's own numbers so the school can look them up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.meldingen import KIND_LABELS
from verzuimdesk.model.law.signals.texts import MANDATORY
from verzuimdesk.model.letters.record import LetterCounts, letter_counts
from verzuimdesk.model.policy.inputs import policy_settings
from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.register.tiers import TierPolicy, get_tier_policy
from verzuimdesk.model.school.calendar import school_year_bounds
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables.law import Intervention, Melding, SignalHandling
from verzuimdesk.reports.data import Period, quarter_period

MANDATORY_KINDS = set(MANDATORY)  # the real duties (V3, LRV, L, RMC); V4 is optional (domain.md §7.1)
SIGNAL_LABELS = {"V3": "16 uur (V3)", "V4": "16 uur, 18+ (V4)", "LRV": "langdurig verzuim (LRV)",
                 "L": "luxe verzuim (L)", "zorgelijk": "zorgelijk verzuim", "te_laat_ladder": "te laat (ladder)",
                 "zorg": "zorgsignaal (ziekte)"}  # fmt: skip
ACTIONS = ("melding", "signaal", "gesprek", "brief", "afgewezen")


@dataclass
class QuarterFigures:
    period: Period
    figures: Figures
    tiers: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0})

    @property
    def sickness(self) -> int:
        return self.figures.by_ground.get("d", 0)


@dataclass(frozen=True)
class MeldingLine:
    number: int
    kind: str
    begin: dt.date
    cause: dt.date | None  # the day the melding became due (16 hours reached)
    created: dt.date
    status: str

    @property
    def days(self) -> int | None:
        return (self.created - self.cause).days if self.cause else None


@dataclass
class SignalSummary:
    kind: str
    handled: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)
    on_time: int = 0
    open: int = 0
    open_late: int = 0

    @property
    def label(self) -> str:
        return SIGNAL_LABELS.get(self.kind, self.kind)

    @property
    def mean_days(self) -> float | None:
        return sum(self.days) / len(self.days) if self.days else None


@dataclass(frozen=True)
class InterventionLine:
    number: int
    start: dt.date
    planned: dt.date | None
    evaluated: dt.date | None
    effective: bool | None
    overdue: bool  # planned evaluation date passed without an evaluation

    @property
    def in_time(self) -> bool | None:
        if self.evaluated is None:
            return False if self.overdue else None
        return self.planned is None or self.evaluated <= self.planned


@dataclass
class Evaluation:
    school_name: str
    school_year: str
    period: Period  # the school year, clipped to the day the report was made
    made_on: dt.date
    tier_policy: TierPolicy
    quarters: list[QuarterFigures]
    year: QuarterFigures
    melding_days: int
    signal_days: int
    meldingen: list[MeldingLine]
    signals: list[SignalSummary]
    interventions: list[InterventionLine]
    letters: LetterCounts | None = None  # letters to parents and conversations with them (issue 13)

    def meldingen_on_time(self) -> tuple[int, int]:
        known = [m for m in self.meldingen if m.days is not None]
        return sum(1 for m in known if m.days is not None and m.days <= self.melding_days), len(known)


def _figures(engine: FiguresEngine, policy: TierPolicy, period: Period) -> QuarterFigures:
    per_pupil = engine.pupils_period(period.start, period.end)
    out = QuarterFigures(period, engine.total(per_pupil.values()))
    for fig in per_pupil.values():
        if fig.net_scheduled:
            out.tiers[policy.tier(fig.absent_pct)] += 1
    return out


def build_evaluation(session: Session, school_year: str, *, today: dt.date | None = None,
                     open_signals: bool = True) -> Evaluation:  # fmt: skip
    """The evaluation of ``school_year`` ("2025-2026") as far as it has passed on ``today``."""
    start, end = school_year_bounds(school_year.strip())
    today = today or dt.date.today()
    if today < start:
        raise ValidationError(f"Schooljaar {school_year} is nog niet begonnen; er valt nog niets te evalueren.")
    period = Period(start, min(end, today), f"schooljaar {school_year}")
    school = get_school(session)
    settings = policy_settings(session)
    policy = get_tier_policy(session)
    engine = FiguresEngine(session, period.start, period.end)
    quarters = [_figures(engine, policy, q.clipped(today)) for n in range(1, 5)
                if (q := quarter_period(school_year, n)).start <= period.end]  # fmt: skip
    ev = Evaluation(
        school_name=school.name if school else "", school_year=school_year, period=period, made_on=today,
        tier_policy=policy, quarters=quarters, year=_figures(engine, policy, period),
        melding_days=int(settings["termijn_melding"]), signal_days=int(settings["termijn_signaal"]),
        meldingen=_meldingen(session, start, end), signals=_signals(session, start, end, settings),
        interventions=_interventions(session, start, end, today),
        letters=letter_counts(session, period.start, period.end),
    )  # fmt: skip
    if open_signals:
        _open_signals(session, ev)
    return ev


def _meldingen(session: Session, start: dt.date, end: dt.date) -> list[MeldingLine]:
    rows = session.exec(select(Melding).where(Melding.begin_date >= start, Melding.begin_date <= end)
                        .order_by(col(Melding.begin_date), col(Melding.id))).all()  # fmt: skip
    ids = [m.id for m in rows]
    due: dict[int, dt.date] = {}
    for handling in session.exec(select(SignalHandling).where(col(SignalHandling.melding_id).in_(ids))).all():
        if handling.melding_id is not None:
            due[handling.melding_id] = min(handling.end_date, due.get(handling.melding_id, handling.end_date))
    out = []
    for m in rows:
        assert m.id is not None
        cause = due.get(m.id) or (m.end_date if m.kind in ("V3", "V4") else None)
        out.append(MeldingLine(m.id, m.kind, m.begin_date, cause, m.created_at.date(), m.status))
    return out


def _limit(kind: str, settings: dict[str, str]) -> int:
    return int(settings["termijn_melding" if kind in MANDATORY_KINDS else "termijn_signaal"])


def _summary(summaries: dict[str, SignalSummary], kind: str) -> SignalSummary:
    return summaries.setdefault(kind, SignalSummary(kind))


def _signals(session: Session, start: dt.date, end: dt.date, settings: dict[str, str]) -> list[SignalSummary]:
    rows = session.exec(select(SignalHandling).where(SignalHandling.end_date >= start, SignalHandling.end_date <= end)
                        .order_by(col(SignalHandling.end_date), col(SignalHandling.id))).all()  # fmt: skip
    summaries: dict[str, SignalSummary] = {}
    for h in rows:
        s = _summary(summaries, h.kind)
        days = max(0, (h.handled_at.date() - h.end_date).days)
        s.handled += 1
        s.actions[h.action] += 1
        s.days.append(days)
        s.on_time += days <= _limit(h.kind, settings)
    return [summaries[k] for k in SIGNAL_LABELS if k in summaries] + [
        v for k, v in summaries.items() if k not in SIGNAL_LABELS]


def _open_signals(session: Session, ev: Evaluation) -> None:
    """Signals of the year that are still open on the last day of the report (not handled)."""
    from verzuimdesk.model.law.signals.inbox import compute_signals

    settings = {"termijn_melding": str(ev.melding_days), "termijn_signaal": str(ev.signal_days)}
    summaries = {s.kind: s for s in ev.signals}
    for sig in compute_signals(session, ev.period.end):
        s = _summary(summaries, sig.kind)
        s.open += 1
        s.open_late += sig.days_overdue > _limit(sig.kind, settings)
    ev.signals = [summaries[k] for k in SIGNAL_LABELS if k in summaries] + [
        v for k, v in summaries.items() if k not in SIGNAL_LABELS]


def _interventions(session: Session, start: dt.date, end: dt.date, today: dt.date) -> list[InterventionLine]:
    rows = session.exec(select(Intervention).where(Intervention.start_date >= start, Intervention.start_date <= end)
                        .order_by(col(Intervention.start_date), col(Intervention.id))).all()  # fmt: skip
    return [InterventionLine(i.id or 0, i.start_date, i.evaluation_date, i.evaluated_on, i.effective,
                             i.evaluated_on is None and i.evaluation_date is not None and i.evaluation_date < today)
            for i in rows]  # fmt: skip


def melding_kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
