"""Attendance tiers (domain.md §10; MD-MTSS, Kearney & Graczyk, seed 003): niveau 1 good attendance, niveau 2
emerging absence, niveau 3 chronic absence, from TOTAL absence (authorised and unauthorised) as a share of each
pupil's own scheduled time over a period. The cut-offs and the period are a school setting (``tier_policy``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.model.store import load_json_setting, store_json_setting

TIER_KEY = "tier_policy"
TIER_NAMES = {1: "goede aanwezigheid", 2: "beginnend verzuim (risico)", 3: "chronisch verzuim"}


@dataclass(frozen=True)
class TierPolicy:
    """Tier cut-offs on total absence (authorised + unauthorised) as a share of net scheduled time.

    domain.md §10: no Dutch cut-offs are published; default < 5 % niveau 1, 5–10 % niveau 2, ≥ 10 % niveau 3
    (10 % = "chronic absence" in the international literature). ``weeks`` None = the school year to date,
    otherwise the last N calendar weeks up to the date asked."""

    niveau2_from: float = 5.0
    niveau3_from: float = 10.0
    weeks: int | None = None

    def tier(self, absent_pct: float) -> int:
        if absent_pct >= self.niveau3_from:
            return 3
        if absent_pct >= self.niveau2_from:
            return 2
        return 1


def check_tier_policy(policy: TierPolicy) -> None:
    if not 0 < policy.niveau2_from < policy.niveau3_from <= 100:
        raise ValidationError("De grens voor niveau 2 moet boven 0 % en onder de grens voor niveau 3 liggen.")
    if policy.weeks is not None and not 1 <= policy.weeks <= 52:
        raise ValidationError("Kies een periode van 1 tot en met 52 weken, of het schooljaar tot nu toe.")


def get_tier_policy(session: Session) -> TierPolicy:
    data = load_json_setting(session, TIER_KEY)
    return TierPolicy(**data) if data else TierPolicy()


def save_tier_policy(session: Session, policy: TierPolicy) -> None:
    check_tier_policy(policy)
    store_json_setting(session, TIER_KEY, asdict(policy))


@dataclass(frozen=True)
class TierRow:
    """Attendance tier of a pupil, group or the school (domain.md §10; MD-MTSS)."""

    what: str  # "leerling" | "groep" | "school"
    id: int | None
    start: dt.date
    end: dt.date
    net_scheduled: int
    absent: int
    absent_pct: float
    tier: int


def tier_period(policy: TierPolicy, on: dt.date, year_start: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the tiers: the school year to ``on``, or the last N calendar weeks up to ``on``."""
    if policy.weeks is None:
        return year_start, on
    return on - dt.timedelta(weeks=policy.weeks) + dt.timedelta(days=1), on


def tiers(engine: FiguresEngine, policy: TierPolicy, start: dt.date, end: dt.date,
          pupil_ids: Iterable[int] | None = None, group_ids: Iterable[int] = ()) -> list[TierRow]:
    """Tiers from TOTAL absence (authorised + unauthorised) as a share of net scheduled time (domain.md §10),
    per pupil, per group and for the school (the sum over the pupils)."""
    rows: list[TierRow] = []
    school = Figures()

    def row(what: str, ident: int | None, fig: Figures) -> TierRow:
        pct = fig.absent_pct
        return TierRow(what, ident, start, end, fig.net_scheduled, fig.absent, round(pct, 2), policy.tier(pct))

    for pid in pupil_ids if pupil_ids is not None else engine.pupil_ids:
        fig = engine.pupil_period(pid, start, end)
        if fig.net_scheduled:
            school.add(fig)
            rows.append(row("leerling", pid, fig))
    for gid in group_ids:
        rows.append(row("groep", gid, engine.group_period(gid, start, end)))
    rows.append(row("school", None, school))
    return rows


@dataclass
class TierCounts:
    """How many pupils are in each tier (domain.md §10), and over which period."""

    counts: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0})
    start: dt.date | None = None
    end: dt.date | None = None
    absent_pct: float | None = None  # the whole (school or group) over the period

    @property
    def text(self) -> str:
        return " · ".join(f"niveau {n}: {self.counts.get(n, 0)}" for n in (1, 2, 3))


def pupil_tiers(session: Session, on: dt.date, pupil_ids: Iterable[int] | None = None) -> dict[int, TierRow]:
    """Each pupil's attendance tier on ``on`` over the tier policy's period (school year to date, or the last
    N weeks); pupils without scheduled time in the period are left out. One FiguresEngine pass."""
    ids = list(pupil_ids) if pupil_ids is not None else None
    if ids is not None and not ids:
        return {}
    year = school_year_for(session, on)
    if year is None:
        return {}
    policy = get_tier_policy(session)
    start, end = tier_period(policy, on, year.start_date)
    engine = FiguresEngine(session, start, end, ids)
    return {r.id: r for r in tiers(engine, policy, start, end, ids) if r.what == "leerling" and r.id is not None}


def tier_counts(session: Session, on: dt.date, pupil_ids: Iterable[int] | None = None) -> TierCounts:
    """The tier distribution of the pupils (the whole school when ``pupil_ids`` is None)."""
    ids = list(pupil_ids) if pupil_ids is not None else None
    year = school_year_for(session, on)
    if year is None or (ids is not None and not ids):
        return TierCounts()
    policy = get_tier_policy(session)
    start, end = tier_period(policy, on, year.start_date)
    engine = FiguresEngine(session, start, end, ids)
    out = TierCounts(start=start, end=end)
    for r in tiers(engine, policy, start, end, ids):
        if r.what == "leerling":
            out.counts[r.tier] = out.counts.get(r.tier, 0) + 1
        elif r.what == "school" and r.net_scheduled:
            out.absent_pct = r.absent_pct
    return out


def tier_text(row: TierRow | None) -> str:
    if row is None:
        return ""
    return f"niveau {row.tier}"


def tier_tooltip(row: TierRow | None) -> str:
    if row is None:
        return "Geen ingeroosterde lestijd in de periode: geen niveau."
    pct = dutch.percent(row.absent_pct)
    return (f"Niveau {row.tier} – {TIER_NAMES.get(row.tier, '')}: {pct} afwezig (geoorloofd en ongeoorloofd) "
            f"van de ingeroosterde tijd, {dutch.date_long(row.start)} t/m {dutch.date_long(row.end)}.")
