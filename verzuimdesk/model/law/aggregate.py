"""The periodic aggregated absence figures for DUO (domain.md §8; the format is provisional).

Counts only: per subdivision and for the whole school, per category the number of pupils with any absence
in it and the klokuren absent, and per band the number of pupils absent more than that share of their own
scheduled time. Every number comes from :class:`FiguresEngine` (the one implementation).

Decisions (also in ``docs/duo-formats.md``):
- *Scope*: a pupil counts on the days on which he was leerplichtig or kwalificatieplichtig
  (:func:`leerplicht_status`); his minutes, scheduled time and absence on other days (not yet leerplichtig,
  18 or older, birth date unknown) are left out. That set of days is one interval per pupil (from
  :func:`leerplicht_start` to the day before the 18th birthday), so it is computed as that interval.
  A pupil without scheduled time in scope during the period does not count at all.
- *Ziekte*: the minutes of reasons with legal ground d (art. 11 onder d Lpw: ziekte, including medical
  visits), whatever their ``is_sickness`` flag (a display/AVG flag, not the legal category).
- *Geoorloofd totaal* includes schorsing; the optional category *schorsing en verwijdering* (ground c)
  is shown in addition ("waarvan"), never subtracted.
- *Bands*: pupils whose authorised + unauthorised minutes exceed the band's share of their own net
  scheduled time (strictly more than, exact integer arithmetic).
- *Subdivision*: the stamgroep of the pupil's last day with scheduled time in scope in the period —
  normally the group at the period's end; for a pupil who left, the group he left from.
- *Only finished periods* (issue 9, point 10): a period is delivered only after its last day. A period that
  is still running may be *previewed*, counted up to and including yesterday (today's registers are not
  complete yet) and marked "lopende periode, tot en met <datum>"; a period that starts today or later has
  no finished day and is refused, for preview and delivery alike. Nothing unfinished reaches the log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import leerplicht_start, lpw_scope_end
from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.school.calendar import school_year_bounds
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.model.tables import Group, Pupil, Sector

SETTINGS_KEY = "aggregaat_instellingen"
SUBDIVISIONS = {
    "onderbouw_bovenbouw": "onderbouw en bovenbouw (jaargroep)",
    "afdeling": "per afdeling",
    "uitstroomprofiel": "per uitstroomprofiel",
    "geen": "alleen de school als geheel",
}
CATEGORIES = [
    ("geoorloofd", "Geoorloofd totaal"),
    ("ziekte", "Ziekte"),
    ("ongeoorloofd", "Ongeoorloofd totaal"),
    ("totaal", "Geoorloofd en ongeoorloofd samen"),
    ("schorsing", "Schorsing en verwijdering"),
]
CATEGORY_LABELS = dict(CATEGORIES)
TOTAL_LABEL = "totaal school"
DEFAULT_MONTHS = (8, 11, 2, 5)  # quarters of the school year: aug–okt, nov–jan, feb–apr, mei–jul


@dataclass(frozen=True)
class AggregateSettings:
    """What the school configured (JSON in the Setting ``aggregaat_instellingen``)."""

    period_months: tuple[int, ...] = DEFAULT_MONTHS  # first month of each period of the school year
    bands: tuple[Decimal, ...] = (Decimal(5), Decimal(10), Decimal(20))  # percentages, "more than"
    subdivision: str = "onderbouw_bovenbouw"
    onderbouw_max: int = 4  # onderbouw = jaargroep 1 .. onderbouw_max
    schorsing: bool = False  # the optional category schorsing en verwijdering

    @property
    def categories(self) -> list[str]:
        return [code for code, _label in CATEGORIES if code != "schorsing" or self.schorsing]

    def to_json(self) -> str:
        return json.dumps({
            "perioden": list(self.period_months), "grenzen": [format_percent(b) for b in self.bands],
            "indeling": self.subdivision, "onderbouw_tot_en_met": self.onderbouw_max, "schorsing": self.schorsing,
        }, ensure_ascii=False, sort_keys=True)  # fmt: skip


def format_percent(value: Decimal) -> str:
    """"5", "7.5" (no trailing zeros, no exponent)."""
    return format(value.normalize(), "f")


def default_settings(sector: str) -> AggregateSettings:
    """Po/sbo: onderbouw groups 1–4 and bovenbouw 5–8; (v)so: per department (domain.md §8)."""
    po = sector in (Sector.PO.value, Sector.SBO.value)
    return AggregateSettings(subdivision="onderbouw_bovenbouw" if po else "afdeling")


def check_settings(settings: AggregateSettings) -> AggregateSettings:
    months = settings.period_months
    if not months or any(m not in range(1, 13) for m in months) or len(set(months)) != len(months):
        raise ValidationError("Geef de perioden op als verschillende beginmaanden 1 t/m 12, bijvoorbeeld 8, 11, 2, 5.")
    order = [(m - 8) % 12 for m in months]
    if order != sorted(order) or order[0] != 0:
        raise ValidationError("De eerste periode begint in augustus en de perioden staan in de volgorde van het "
                              "schooljaar (bijvoorbeeld 8, 11, 2, 5).")  # fmt: skip
    if not settings.bands or any(not Decimal(0) < b < Decimal(100) for b in settings.bands):
        raise ValidationError("Elke grens is een percentage tussen 0 en 100, bijvoorbeeld 5, 10, 20.")
    if list(settings.bands) != sorted(set(settings.bands)):
        raise ValidationError("Geef de grenzen van laag naar hoog op, elk maar één keer.")
    if settings.subdivision not in SUBDIVISIONS:
        raise ValidationError(f"Onbekende indeling '{settings.subdivision}'; kies uit {', '.join(SUBDIVISIONS)}.")
    if not 1 <= settings.onderbouw_max <= 7:
        raise ValidationError("De onderbouw loopt tot en met een jaargroep van 1 t/m 7 (standaard 4).")
    return settings


def parse_bands(text: str) -> tuple[Decimal, ...]:
    """"5, 10, 20" or "7,5; 15" (with ';' between them a comma is a decimal comma) → percentages."""
    sep = ";" if ";" in text else ","
    parts = [p for chunk in text.split(sep) for p in chunk.split()]
    try:
        return tuple(Decimal(p.replace(",", ".")) for p in parts)
    except InvalidOperation:
        raise ValidationError(f"'{text}' zijn geen percentages; schrijf bijvoorbeeld 5, 10, 20.") from None


def load_settings(session: Session) -> AggregateSettings:
    school = get_school(session)
    base = default_settings(school.sector if school else Sector.PO.value)
    raw = get_setting(session, SETTINGS_KEY)
    if not raw:
        return base
    try:
        data = json.loads(raw)
        return check_settings(replace(
            base, period_months=tuple(int(m) for m in data.get("perioden", base.period_months)),
            bands=tuple(Decimal(str(b)) for b in data.get("grenzen", base.bands)),
            subdivision=str(data.get("indeling", base.subdivision)),
            onderbouw_max=int(data.get("onderbouw_tot_en_met", base.onderbouw_max)),
            schorsing=bool(data.get("schorsing", base.schorsing)),
        ))  # fmt: skip
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        raise ValidationError(f"De instelling '{SETTINGS_KEY}' is beschadigd; sla de instellingen van de "
                              "DUO-levering opnieuw op.") from None  # fmt: skip


def save_settings(session: Session, settings: AggregateSettings) -> AggregateSettings:
    set_setting(session, SETTINGS_KEY, check_settings(settings).to_json())
    return settings


# ------------------------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    code: str  # "2025-2026/1" or "2025-09-01/2025-12-31"
    label: str  # "2025-2026 kwartaal 1"
    start: dt.date
    end: dt.date


def school_year_periods(year: str, months: tuple[int, ...] = DEFAULT_MONTHS) -> list[Period]:
    """The periods of a school year, each from its first month up to the next period's first month."""
    first, last = school_year_bounds(year)
    starts = [dt.date(first.year if m >= 8 else last.year, m, 1) for m in months]
    word = "kwartaal" if len(months) == 4 else "periode"
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else last
        out.append(Period(f"{year}/{i + 1}", f"{year} {word} {i + 1}", start, end))
    return out


def period_by_code(code: str, months: tuple[int, ...] = DEFAULT_MONTHS) -> Period:
    """"2025-2026/1" → the first period of that school year."""
    year, _slash, number = code.strip().partition("/")
    periods = school_year_periods(year, months)
    if not number.isdigit() or not 1 <= int(number) <= len(periods):
        raise ValidationError(f"'{code}' is geen periode; schrijf schooljaar/nummer, bijvoorbeeld {year}/1 "
                              f"(1 t/m {len(periods)}).")  # fmt: skip
    return periods[int(number) - 1]


def custom_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValidationError("De einddatum van de periode ligt vóór de begindatum.")
    return Period(f"{start.isoformat()}/{end.isoformat()}",
                  f"{dutch.date_short(start)} t/m {dutch.date_short(end)}", start, end)  # fmt: skip


# -------------------------------------------------------------------------------------------- figures


def klokuren(minutes: int) -> Decimal:
    """Minutes as klokuren, two decimals, half up (exact; no float)."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class AggregateRow:
    """One row of the file: a subdivision or the school total."""

    subdivision: str  # "onderbouw (groep 1 t/m 4)", a department, …, or TOTAL_LABEL
    pupils: int = 0
    scheduled_minutes: int = 0  # net scheduled time of the pupils in scope
    minutes: dict[str, int] = field(default_factory=dict)  # category → minutes
    pupils_with: dict[str, int] = field(default_factory=dict)  # category → pupils with any
    bands: list[int] = field(default_factory=list)  # pupils above each band

    def hours(self, category: str) -> Decimal:
        return klokuren(self.minutes.get(category, 0))

    @property
    def is_total(self) -> bool:
        return self.subdivision == TOTAL_LABEL


@dataclass
class AggregateReport:
    brin: str
    vestiging: str
    period: Period
    settings: AggregateSettings
    rows: list[AggregateRow]  # subdivisions in a fixed order, then the school total
    excluded: int = 0  # enrolled pupils left out: never leerplichtig/kwalificatieplichtig in the period
    niet_bekostigd: bool = False
    through: dt.date | None = None  # the last day counted; before period.end while the period runs

    @property
    def running(self) -> bool:
        """The period has not ended: a preview only, never delivered."""
        return self.through is not None and self.through < self.period.end

    @property
    def running_label(self) -> str:
        """"lopende periode, tot en met 30-11-2026" for a running period, else ""."""
        return f"lopende periode, tot en met {self.through:%d-%m-%Y}" if self.running and self.through else ""


def category_minutes(fig: Figures) -> dict[str, int]:
    return {
        "geoorloofd": fig.authorised,
        "ziekte": fig.by_ground.get("d", 0),  # art. 11 onder d Lpw
        "ongeoorloofd": fig.unauthorised,
        "totaal": fig.authorised + fig.unauthorised,
        "schorsing": fig.by_ground.get("c", 0),  # art. 11 onder c Lpw
    }


def in_scope_span(birth_date: dt.date | None, start: dt.date, end: dt.date,
                  uitstroomprofiel: str = "") -> tuple[dt.date, dt.date] | None:
    """The days of ``[start, end]`` on which leerplicht_status is leerplichtig or kwalificatieplichtig: until the
    18th birthday, or for the vso profiles arbeidsmarkt and dagbesteding until the end of full leerplicht
    (art. 4a lid 2 Lpw; ``uitstroomprofiel`` of the pupil's group in the period)."""
    if birth_date is None:
        return None
    lo = max(start, leerplicht_start(birth_date))
    hi = min(end, lpw_scope_end(birth_date, uitstroomprofiel))
    return (lo, hi) if lo <= hi else None


def _subdivision_of(group: Group | None, settings: AggregateSettings) -> str:
    mode = settings.subdivision
    if mode == "onderbouw_bovenbouw":
        jaargroep = group.jaargroep.strip() if group else ""
        if not jaargroep.isdigit():
            return "overige groepen"
        n = settings.onderbouw_max
        if int(jaargroep) <= n:
            return f"onderbouw (groep 1 t/m {n})"
        return f"bovenbouw (groep {n + 1} t/m 8)"
    if mode == "afdeling":
        return (group.department.strip() if group else "") or "geen afdeling"
    if mode == "uitstroomprofiel":
        return (group.uitstroomprofiel.strip() if group else "") or "geen uitstroomprofiel"
    return ""


def _subdivision_order(session: Session, settings: AggregateSettings, found: set[str]) -> list[str]:
    """Fixed rows (both po halves always, every department of a stamgroep), then any others found."""
    if settings.subdivision == "geen":
        return []
    fixed: list[str] = []
    if settings.subdivision == "onderbouw_bovenbouw":
        fixed = [_subdivision_of(Group(key="", name="", jaargroep=j), settings) for j in ("1", "8")]
    else:
        groups = session.exec(select(Group).where(Group.composite == False)).all()  # noqa: E712
        fixed = sorted({_subdivision_of(g, settings) for g in groups if g.active})
    return fixed + sorted(found - set(fixed))


def counted_through(period: Period, today: dt.date) -> dt.date:
    """The last day of ``period`` whose figures are final on ``today``: the period's end once it is over,
    else yesterday. Refused (Dutch) for a period without a finished day (domain.md §8; issue 9 point 10)."""
    if period.end < today:
        return period.end
    if period.start >= today:
        raise ValidationError(f"De periode {period.label} ({period.start:%d-%m-%Y} t/m {period.end:%d-%m-%Y}) is "
                              "nog niet begonnen of begint vandaag; er zijn nog geen cijfers.")  # fmt: skip
    return today - dt.timedelta(days=1)


def build_aggregate(session: Session, period: Period, settings: AggregateSettings | None = None, *,
                    today: dt.date | None = None) -> AggregateReport:
    """The figures of ``period`` per subdivision and for the school (see the module doc for the choices).

    A running period is counted up to yesterday (``report.running``); a period not yet begun is refused."""
    settings = check_settings(settings or load_settings(session))
    through = counted_through(period, today or dt.date.today())
    full_period = period
    period = replace(period, end=through)
    school = get_school(session)
    engine = FiguresEngine(session, period.start, period.end)
    births = dict(session.exec(select(col(Pupil.id), col(Pupil.birth_date))).all())
    groups = engine.schedule.groups
    per_pupil: list[tuple[str, Figures]] = []
    excluded = 0
    for pid in sorted(engine.pupil_ids):
        runs = [g for g, days, _m in engine.schedule.scheduled_runs(pid, period.start, period.end) if days]
        profile = (groups[runs[-1]].uitstroomprofiel or "") if runs and runs[-1] in groups else ""
        span = in_scope_span(births.get(pid), period.start, period.end, profile)
        fig = engine.pupil_period(pid, *span) if span else None
        if fig is None or fig.net_scheduled <= 0:
            if span is None and any(days for _g, days, _m in engine.schedule.scheduled_runs(pid, period.start,
                                                                                          period.end)):
                excluded += 1
            continue
        assert span is not None  # there are figures, so the pupil is in scope
        last_group = None
        for group_id, days, _minutes in engine.schedule.scheduled_runs(pid, *span):
            if days:
                last_group = group_id
        per_pupil.append((_subdivision_of(groups.get(last_group) if last_group else None, settings), fig))
    names = _subdivision_order(session, settings, {name for name, _fig in per_pupil})
    rows = {name: _empty_row(name, settings) for name in names}
    total = _empty_row(TOTAL_LABEL, settings)
    for name, fig in per_pupil:
        for row in ([rows[name]] if name in rows else []) + [total]:
            _add_pupil(row, fig, settings)
    return AggregateReport(
        brin=school.brin if school else "", vestiging=school.vestiging if school else "", period=full_period,
        settings=settings, rows=[rows[n] for n in names] + [total], excluded=excluded,
        niet_bekostigd=bool(school and school.niet_bekostigd), through=through,
    )  # fmt: skip


def _empty_row(name: str, settings: AggregateSettings) -> AggregateRow:
    cats = settings.categories
    return AggregateRow(name, minutes=dict.fromkeys(cats, 0), pupils_with=dict.fromkeys(cats, 0),
                        bands=[0] * len(settings.bands))  # fmt: skip


def _add_pupil(row: AggregateRow, fig: Figures, settings: AggregateSettings) -> None:
    row.pupils += 1
    row.scheduled_minutes += fig.net_scheduled
    minutes = category_minutes(fig)
    for cat in settings.categories:
        row.minutes[cat] += minutes[cat]
        row.pupils_with[cat] += 1 if minutes[cat] > 0 else 0
    absent = fig.authorised + fig.unauthorised
    for i, band in enumerate(settings.bands):
        if Decimal(absent) * 100 > band * fig.net_scheduled:  # more than band % of his own time
            row.bands[i] += 1


def aggregate_preview(
    session: Session, period: Period, settings: AggregateSettings | None = None, *, today: dt.date | None = None
) -> list[AggregateRow]:
    """The rows a preview screen shows: one per subdivision, then the school total."""
    return build_aggregate(session, period, settings, today=today).rows


def period_refusal(period: Period, today: dt.date) -> str:
    """Why ``period`` cannot be delivered on ``today`` (Dutch), or "" once it has ended (issue 9 point 10)."""
    if period.start >= today:
        return (f"De periode {period.label} is nog niet begonnen of begint vandaag; een toekomstige periode kan niet "
                "worden geleverd.")  # fmt: skip
    if period.end >= today:
        return (f"De periode {period.label} loopt nog tot en met {period.end:%d-%m-%Y}. Alleen een afgelopen periode "
                "kan worden geleverd; de cijfers hierboven zijn een voorbeeld van de lopende periode.")  # fmt: skip
    return ""


def delivery_refusal(session: Session, period: Period | None = None, today: dt.date | None = None) -> str:
    """Why the school cannot deliver (Dutch), or "" when it can; with ``period``, also an unfinished period."""
    if period is not None:
        refusal = period_refusal(period, today or dt.date.today())
        if refusal:
            return refusal
    school = get_school(session)
    if school is None:
        return "Er is nog geen school ingericht."
    if school.niet_bekostigd:
        return ("Deze school is niet-bekostigd. Een niet-bekostigde school houdt wel een verzuimregistratie bij, "
                "maar levert geen verzuimgegevens aan de minister (DUO); die plicht geldt alleen voor bekostigde "
                "scholen (wetsvoorstel 36 663, nota n.a.v. het verslag). Er wordt geen bestand gemaakt.")
    if not school.brin:
        return "Vul eerst de BRIN-code van de school in (Instellingen); DUO herkent de levering daaraan."
    return ""
