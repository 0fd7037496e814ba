"""The board overview: per school the pupils, absence, attendance tiers, open mandatory meldingen and deliveries
(issue 14 point 4). Every figure is the single-school function run on that school's own schema; nothing is
counted a second way:

- pupils: enrolled on the date asked (enrolled_on empty or ≤ the date, left_on empty or ≥ the date; as the
  register's group lists, ``register/entries.group_pupils``);
- absence: authorised and unauthorised minutes as a share of net scheduled time, school year to the date asked
  (``register/figures.FiguresEngine``, domain.md §3);
- tiers: ``register/tiers.tiers`` over the tier policy's period (domain.md §10), from the same engine pass;
- open mandatory meldingen: the signals inbox's duties that are not handled (``law/signals.compute_signals``,
  ``Signal.mandatory``: art. 21a and 13a Lpw, Wet RMC);
- deliveries: DUO aggregate files recorded in the school year (``AggregateDelivery``) and meldingen that went to
  DUO (status past "concept", not withdrawn) made in the school year. Choice: a draft or withdrawn melding is no
  delivery.

Speed (issue 14 point 5: the overview ≤ 5 s for 10 schools × 500 pupils): the schools are independent, so they
are computed side by side in worker processes, one per processor core (at most four; a fresh ``forkserver``
process on Linux and macOS, ``spawn`` on Windows, never a fork of a program that has a window open). The frozen
program computes them one after the other.

The board sees figures only: no pupil's name, number or BSN is in the overview (AVG art. 5 sub 1c).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

from verzuimdesk.model.board.registry import BoardSchool, granted_schools, open_school
from verzuimdesk.model.law.signals import compute_signals
from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.register.tiers import get_tier_policy, tier_period, tiers
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.documents import AggregateDelivery
from verzuimdesk.model.tables.law import Melding, MeldingStatusValue

NOT_DELIVERED = (MeldingStatusValue.DRAFT.value, MeldingStatusValue.WITHDRAWN.value)


@dataclass(frozen=True)
class SchoolFigures:
    """One school's line of the board overview (figures only)."""

    code: str
    name: str
    on: dt.date
    school_year: str
    pupils: int
    net_scheduled: int  # minutes, school year to date
    authorised: int
    unauthorised: int
    tiers: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0})
    open_mandatory: int = 0
    aggregate_deliveries: int = 0
    meldingen_sent: int = 0

    @property
    def authorised_pct(self) -> float:
        return 100.0 * self.authorised / self.net_scheduled if self.net_scheduled else 0.0

    @property
    def unauthorised_pct(self) -> float:
        return 100.0 * self.unauthorised / self.net_scheduled if self.net_scheduled else 0.0

    @property
    def absent_pct(self) -> float:
        return self.authorised_pct + self.unauthorised_pct


def enrolled_pupils(session: Session, on: dt.date) -> int:
    q = select(func.count()).select_from(Pupil).where(
        or_(col(Pupil.enrolled_on).is_(None), col(Pupil.enrolled_on) <= on),
        or_(col(Pupil.left_on).is_(None), col(Pupil.left_on) >= on))  # fmt: skip
    return int(session.exec(q).one())


def school_figures(session: Session, on: dt.date, *, code: str = "", name: str = "") -> SchoolFigures:
    """The overview line of the school this session belongs to (one figures pass, one signals pass)."""
    year = school_year_for(session, on)
    pupils = enrolled_pupils(session, on)
    if year is None:
        return SchoolFigures(code, name, on, "", pupils, 0, 0, 0)
    policy = get_tier_policy(session)
    tier_start, tier_end = tier_period(policy, on, year.start_date)
    engine = FiguresEngine(session, min(year.start_date, tier_start), on)
    total = Figures()
    for pid in engine.pupil_ids:
        total.add(engine.pupil_period(pid, year.start_date, on))
    counts = {1: 0, 2: 0, 3: 0}
    for row in tiers(engine, policy, tier_start, tier_end):
        if row.what == "leerling":
            counts[row.tier] += 1
    mandatory = sum(1 for s in compute_signals(session, on) if s.mandatory)
    start = dt.datetime.combine(year.start_date, dt.time())
    end = dt.datetime.combine(on, dt.time.max)
    deliveries = session.exec(select(func.count()).select_from(AggregateDelivery).where(
        AggregateDelivery.exported_at >= start, AggregateDelivery.exported_at <= end)).one()  # fmt: skip
    sent = session.exec(select(func.count()).select_from(Melding).where(
        col(Melding.status).not_in(NOT_DELIVERED), Melding.created_at >= start, Melding.created_at <= end)).one()
    return SchoolFigures(code, name, on, year.name, pupils, total.net_scheduled, total.authorised,
                         total.unauthorised, counts, mandatory, int(deliveries), int(sent))  # fmt: skip


MAX_WORKERS = 4


def default_workers(schools: int) -> int:
    if getattr(sys, "frozen", False) or schools < 2:
        return 1
    return max(1, min(os.cpu_count() or 1, schools, MAX_WORKERS))


def overview_for(url: str, username: str, on: dt.date, *, workers: int | None = None) -> list[SchoolFigures]:
    """The overview of every school ``username`` sees (granted ones; all for the bestuursbeheerder), in the
    order of their codes; ``workers`` processes side by side (default: one per core, see the module docstring)."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            schools = granted_schools(conn, username)
    finally:
        engine.dispose()
    count = default_workers(len(schools)) if workers is None else workers
    if count <= 1:
        return [_one(url, school, on) for school in schools]
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__])
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            return list(pool.map(_one, repeat(url), schools, repeat(on)))
    except BrokenProcessPool:  # a host program whose main module cannot start a worker: one after the other
        return [_one(url, school, on) for school in schools]


def _one(url: str, school: BoardSchool, on: dt.date) -> SchoolFigures:
    with open_school(url, school.code) as db, db.session() as s:
        return school_figures(s, on, code=school.code, name=school.name)
