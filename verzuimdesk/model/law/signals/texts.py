"""A signal as the inbox shows it: its kind's duty (verplicht / optioneel / controleren), title, the Dutch
explanation (which rule applies, hours per leswee, the absence behind it) and its fingerprint. No Qt."""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from verzuimdesk.model import dutch
from verzuimdesk.model.law.signals.counting import CountedLesson
from verzuimdesk.model.law.signals.other import Finding
from verzuimdesk.model.law.signals.policy import KIND_LABELS, RuleSpec
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.tables.law import RuleKind

RULE_KINDS = {k.value for k in RuleKind}
# art. 21a Lpw (V3, LRV); art. 13a/21 Lpw (L, the duty cases); Wet RMC (RMC). V4 is optional (DUO).
MANDATORY = ("V3", "LRV", "L", "RMC")
MELDING_SIGNALS = ("V3", "V4", "LRV", "L", "RMC")  # signals that stand for a melding (duty or optional)
KIND_ORDER = {"V3": 0, "LRV": 0, "L": 0, "RMC": 0, "V4": 1, "luxe_controle": 1, "zorgelijk": 2,
              "te_laat_ladder": 3, "zorg": 4}
TITLES = {
    "V3": "Melding verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken (V3)",
    "V4": "Melding mogelijk, niet verplicht: 16 uur ongeoorloofd verzuim in 4 lesweken, 18+ (V4)",
    "LRV": "Melding verplicht: langdurig relatief verzuim (LRV)",
    "L": "Melding verplicht: luxe verzuim (L)",
    "RMC": "Melding verplicht: RMC, een maand niet op school (jonger dan 23)",
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


def fingerprint(f: Finding) -> str:
    """A hash of what is behind a signal: its window, days, and per lesson the entry ids and minutes."""
    parts = [f.kind, str(f.rule_id), f.begin.isoformat(), f.end.isoformat(), str(f.minutes),
             ",".join(d.isoformat() for d in f.days)]
    parts += [f"{les.date}:{les.lesson_number}:{les.minutes}:{'/'.join(map(str, les.entry_ids))}" for les in f.lessons]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def title(f: Finding, rules: dict[int | None, RuleSpec]) -> str:
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
    span = dutch.date_long(f.begin) if f.begin == f.end else f"{dutch.date_long(f.begin)} tot en met {dutch.date_long(f.end)}"
    lines.append(f"Periode: {span}.")
    days = (on - f.end).days
    since = (f" Het signaal staat er sinds {dutch.plural(school_days, 'schooldag', 'schooldagen')}."
             if school_days else "")
    if f.kind in ("V3", "V4"):
        reached = f"De grens van 16 {unit} (art. 21a Leerplichtwet) is bereikt op {dutch.date_long(f.end, weekday=True)}"
        reached += f", {dutch.plural(days, 'dag', 'dagen')} geleden." if days else ", vandaag."
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
            lines.append(f"De leerling was aaneengesloten afwezig tot en met {dutch.date_long(f.until)}: "
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
        lines += [f"  week van {dutch.date_long(w)}: {dutch.hours(m)} {unit}" for w, m in f.weeks]
    if f.lessons:
        lines.append("Verzuim (ongeoorloofd):")
        for les in f.lessons:
            late = " (te laat)" if les.lateness else ""
            lines.append(f"  {_short(les.date)} les {les.lesson_number} ({dutch.clock(les.start)}–"
                         f"{dutch.clock(les.end)}): {'/'.join(les.reason_codes)}{late}, {les.minutes} min")
    elif f.kind == "zorg" and f.days:
        lines.append("Dagen: " + ", ".join(_short(d) for d in f.days))
    if f.minutes:
        total = f"{dutch.hours(f.minutes)} {unit}"
        lines.append(f"Totaal: {total}" + (f" ({f.minutes} minuten)." if unit == "uur" else "."))
    return "\n".join(lines)


def make_signal(f: Finding, on: dt.date, pupil: Any, rules: dict[int | None, RuleSpec], unit: str = "uur",
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
        days_overdue=max(0, (on - f.end).days), title=title(f, rules),
        _render=lambda: explain(f, on, pupil, rules, unit, since), _finding=f, weeks=weeks, lessons=f.lessons,
        days=f.days, pupil_key=pupil.key, pupil_name=display_name(pupil), school_days_due=since, until=f.until,
        repeat=f.repeat,
    )  # fmt: skip
