"""School policy for signals, as data (architecture.md §5: rules are data).

Two settings are stored as JSON in the :class:`Setting` table, each with defaults, so that a new school
works without configuring anything:

- ``lateness_policy`` — how lateness counts towards the 16 hours and the signals (domain.md §4.4, school
  policy): ``werkelijke_minuten`` (the minutes late), ``hele_les`` (the whole lesson) or ``vast_aantal``
  (N minutes per occurrence, at most the lesson), plus an optional ladder of actions per school year;
- ``melding_policy`` — details of the mandatory meldingen the law leaves open: luxe verzuim triggers (long
  weekends are opt-in: the law speaks of school holidays, art. 13a Lpw), the LRV term, and the unit of the
  16 hours (``klokuren``, or ``lesuren`` for vso: 16 lessons of at most 60 minutes; domain.md §7.2).

The school's own signal rules (zorgelijk verzuim, domain.md §7.3; care signals, §7.4) are
:class:`SignalRule` rows; :func:`describe_rule` writes the Dutch sentence the schoolgids quotes, and
:func:`save_rule` keeps the stored description in step with the rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlmodel import Session, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.store import attach, load_json_setting, store_json_setting
from verzuimdesk.model.tables import Sector
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalRule

LATENESS_KEY = "lateness_policy"
MELDING_KEY = "melding_policy"

# ------------------------------------------------------------------------------------------ lateness

ACTUAL_MINUTES = "werkelijke_minuten"
WHOLE_LESSON = "hele_les"
FIXED_MINUTES = "vast_aantal"
LATENESS_MODES = {
    ACTUAL_MINUTES: "de werkelijke minuten te laat",
    WHOLE_LESSON: "de hele les",
    FIXED_MINUTES: "een vast aantal minuten per keer",
}


@dataclass(frozen=True)
class LadderStep:
    times: int  # the n-th time late in the school year
    action: str  # Dutch text of the action, e.g. "gesprek met ouders"


# domain.md §4.4: "3× late → conversation, 6× → letter, 9× → warning, 12× → report to the leerplichtambtenaar".
DEFAULT_LADDER = (
    LadderStep(3, "gesprek met leerling en ouders"),
    LadderStep(6, "brief aan de ouders"),
    LadderStep(9, "waarschuwing"),
    LadderStep(12, "melding bij de leerplichtambtenaar (overig verzuim)"),
)


@dataclass(frozen=True)
class LatenessPolicy:
    """How an unauthorised lateness counts (domain.md §4.4: school policy, configurable)."""

    mode: str = ACTUAL_MINUTES
    fixed_minutes: int = 0  # for FIXED_MINUTES: minutes per occurrence (capped at the lesson's length)
    ladder_enabled: bool = True
    ladder: tuple[LadderStep, ...] = DEFAULT_LADDER

    def counted(self, minutes_late: int, lesson_minutes: int) -> int:
        """The minutes one unauthorised lateness in a lesson of ``lesson_minutes`` counts for."""
        if self.mode == WHOLE_LESSON:
            return lesson_minutes
        if self.mode == FIXED_MINUTES:
            return min(self.fixed_minutes, lesson_minutes)
        return minutes_late

    def describe(self) -> str:
        if self.mode == FIXED_MINUTES:
            return f"Elke keer ongeoorloofd te laat telt als {dutch.plural(self.fixed_minutes, 'minuut', 'minuten')} verzuim (ten hoogste de les)."
        if self.mode == WHOLE_LESSON:
            return "Elke keer ongeoorloofd te laat telt als verzuim van de hele les."
        return "Ongeoorloofd te laat komen telt met de werkelijke minuten te laat."


def check_lateness_policy(policy: LatenessPolicy) -> None:
    if policy.mode not in LATENESS_MODES:
        raise ValidationError(f"Onbekende manier om te laat komen te tellen: '{policy.mode}'.")
    if policy.mode == FIXED_MINUTES and not 1 <= policy.fixed_minutes <= 240:
        raise ValidationError("Geef bij een vast aantal minuten per keer een aantal van 1 tot en met 240 op.")
    times = [step.times for step in policy.ladder]
    if any(t < 1 for t in times) or times != sorted(set(times)):
        raise ValidationError("De stappen van de ladder voor te laat komen moeten oplopen (bijvoorbeeld 3, 6, 9, 12).")
    if any(not step.action.strip() for step in policy.ladder):
        raise ValidationError("Geef bij elke stap van de ladder de actie op.")


def get_lateness_policy(session: Session) -> LatenessPolicy:
    data = load_json_setting(session, LATENESS_KEY)
    if not data:
        return LatenessPolicy()
    ladder = tuple(LadderStep(int(s["times"]), str(s["action"])) for s in data.get("ladder", []))
    return LatenessPolicy(
        mode=str(data.get("mode", ACTUAL_MINUTES)),
        fixed_minutes=int(data.get("fixed_minutes", 0)),
        ladder_enabled=bool(data.get("ladder_enabled", True)),
        ladder=ladder if "ladder" in data else DEFAULT_LADDER,
    )


def save_lateness_policy(session: Session, policy: LatenessPolicy) -> None:
    check_lateness_policy(policy)
    store_json_setting(session, LATENESS_KEY, asdict(policy))


# ----------------------------------------------------------------------------------------- meldingen


KLOKUREN = "klokuren"
LESUREN = "lesuren"
UNITS = {KLOKUREN: "klokuren (16 × 60 minuten)", LESUREN: "lesuren (16 lessen van ten hoogste 60 minuten)"}


@dataclass(frozen=True)
class MeldingPolicy:
    """Choices on the mandatory meldingen where the law leaves room (decisions documented in other.py).

    ``luxe_long_weekend``: absence next to a long weekend (a school day off next to a weekend) counts as a
    luxe-verzuim indication, as next to a school holiday does (opt-in: art. 13a Lpw speaks of holidays);
    ``luxe_refused_leave``: absence inside a refused leave request does too (domain.md §6); ``unit``: how
    the 16 hours of art. 21a Lpw are counted (domain.md §7.2: po klokuren; vo lesuren; vso the school's choice)."""

    luxe_long_weekend: bool = False
    luxe_refused_leave: bool = True
    lrv_weeks: int = 4  # seed 004 L496: "na 4 weken aaneengesloten verzuim opnieuw melden"
    unit: str = KLOKUREN

    def unit_word(self) -> str:
        return "lesuren" if self.unit == LESUREN else "uur"


def get_melding_policy(session: Session) -> MeldingPolicy:
    data = load_json_setting(session, MELDING_KEY)
    if not data:
        return MeldingPolicy()
    known = {k: v for k, v in data.items() if k in MeldingPolicy.__dataclass_fields__}
    return MeldingPolicy(**known)


def lesuren_allowed(session: Session) -> bool:
    """domain.md §7.2: counting the 16 hours in lesuren is the school's choice in vso only (po: klokuren)."""
    school = get_school(session)
    return school is not None and school.sector == Sector.VSO.value


def save_melding_policy(session: Session, policy: MeldingPolicy) -> None:
    if not 1 <= policy.lrv_weeks <= 12:
        raise ValidationError("Kies voor langdurig verzuim een termijn van 1 tot en met 12 weken.")
    if policy.unit not in UNITS:
        raise ValidationError(f"Onbekende eenheid voor de 16 uur: '{policy.unit}'. Kies klokuren of lesuren.")
    if policy.unit == LESUREN and not lesuren_allowed(session):
        # domain.md §7.2: po (and s(b)o) count 16 klokuren; lesuren is for vo/vso.
        raise ValidationError("Tellen in lesuren kan alleen in het voortgezet speciaal onderwijs (vso); het "
                              "primair onderwijs telt de 16 uur in klokuren.")
    store_json_setting(session, MELDING_KEY, asdict(policy))


# -------------------------------------------------------------------------------------- signal rules

WEEKS_KINDS = {  # rule kinds whose ``weeks`` (M) is used
    RuleKind.HOURS_UNAUTHORISED, RuleKind.TIMES_LATE, RuleKind.SAME_WEEKDAY, RuleKind.SAME_FIRST_LESSON,
    RuleKind.AROUND_HOLIDAY, RuleKind.SICK_REPORTS,
}  # fmt: skip
CARE_KINDS = {RuleKind.SICK_REPORTS, RuleKind.SICK_CONSECUTIVE}

KIND_LABELS = {
    RuleKind.HOURS_UNAUTHORISED: "uren ongeoorloofd verzuim",
    RuleKind.TIMES_LATE: "keren te laat",
    RuleKind.SAME_WEEKDAY: "verzuim op dezelfde weekdag",
    RuleKind.SAME_FIRST_LESSON: "verzuim in het eerste lesuur",
    RuleKind.AROUND_HOLIDAY: "verzuim rond een vakantie",
    RuleKind.SICK_REPORTS: "ziekmeldingen",
    RuleKind.SICK_CONSECUTIVE: "aaneengesloten ziek",
}


@dataclass(frozen=True)
class DefaultRule:
    kind: RuleKind
    purpose: RulePurpose
    threshold: int
    weeks: int
    source: str = field(default="", compare=False)


DEFAULT_RULES = (
    # Zorgelijk verzuim (domain.md §7.3, seed 004 L503–513): the school's own definition; defaults below 16 h.
    DefaultRule(RuleKind.HOURS_UNAUTHORISED, RulePurpose.WORRYING, 8, 4, "seed 004 L503: onder 16 uur in 4 weken"),
    DefaultRule(RuleKind.TIMES_LATE, RulePurpose.WORRYING, 6, 8, "seed 004 L508: altijd het eerste uur te laat"),
    DefaultRule(RuleKind.SAME_WEEKDAY, RulePurpose.WORRYING, 3, 8, "domain.md §7.3: patroon op een weekdag"),
    DefaultRule(RuleKind.SAME_FIRST_LESSON, RulePurpose.WORRYING, 3, 8, "seed 004 L508: het eerste uur"),
    # Proportionate (issue 9): not "once late next to a holiday", but a pattern of absence next to holidays.
    DefaultRule(RuleKind.AROUND_HOLIDAY, RulePurpose.WORRYING, 2, 12, "domain.md §10: verzuim rond vakanties"),
    # Care (MAZL, NCJ: "vier ziekmeldingen in twaalf schoolweken of een zevende schooldag aaneengesloten").
    DefaultRule(RuleKind.SICK_REPORTS, RulePurpose.CARE, 4, 12, "MAZL (NCJ): 4 ziekmeldingen in 12 schoolweken"),
    DefaultRule(RuleKind.SICK_CONSECUTIVE, RulePurpose.CARE, 7, 1, "MAZL (NCJ): 7e schooldag aaneengesloten ziek"),
)


def _weeks(m: int) -> str:
    return "één lesweek" if m == 1 else f"{m} opeenvolgende lesweken"


def _times(n: int) -> str:
    return "1 keer" if n == 1 else f"{n} keer"


def describe_rule(rule: SignalRule) -> str:
    """The Dutch sentence for ``rule`` that the schoolgids quotes (domain.md §9 onderdeel 6), made only from
    its kind, threshold (N) and weeks (M), so the text and the detector cannot disagree."""
    n, m = rule.threshold, rule.weeks
    kind = RuleKind(rule.kind)
    if kind == RuleKind.HOURS_UNAUTHORISED:
        return (f"De leerling is in {_weeks(m)} samen {n} uur of meer ongeoorloofd afwezig "
                "(te laat komen telt mee volgens het beleid voor te laat komen).")
    if kind == RuleKind.TIMES_LATE:
        return f"De leerling komt in {_weeks(m)} {_times(n)} of vaker ongeoorloofd te laat."
    if kind == RuleKind.SAME_WEEKDAY:
        return (f"De leerling is in {_weeks(m)} {_times(n)} of vaker ongeoorloofd afwezig "
                "op dezelfde dag van de week.")
    if kind == RuleKind.SAME_FIRST_LESSON:
        return (f"De leerling mist in {_weeks(m)} {_times(n)} of vaker ongeoorloofd (een deel van) "
                "het eerste lesuur van de dag, door te laat komen of afwezigheid, terwijl hij of zij later die dag "
                "wel op school is.")
    if kind == RuleKind.AROUND_HOLIDAY:  # absence only: once late next to a holiday is no pattern (issue 9)
        if n == 1:
            return ("De leerling is (een deel van de dag) ongeoorloofd afwezig op de laatste schooldag vóór of de "
                    "eerste schooldag na een schoolvakantie; te laat komen telt hier niet mee.")
        return (f"De leerling is in {_weeks(m)} {_times(n)} of vaker (een deel van de dag) ongeoorloofd "
                "afwezig op de laatste schooldag vóór of de eerste schooldag na een schoolvakantie; te laat komen "
                "telt hier niet mee.")
    if kind == RuleKind.SICK_REPORTS:
        return (f"De leerling is in {m} opeenvolgende schoolweken {_times(n)} of vaker ziek gemeld; dit is een "
                "zorgsignaal voor een gesprek (eventueel met de jeugdarts), geen melding aan de leerplichtambtenaar.")
    return (f"De leerling is {dutch.plural(n, 'schooldag', 'schooldagen')} aaneengesloten ziek (signaal op de {n}e schooldag); dit is een "
            "zorgsignaal voor een gesprek (eventueel met de jeugdarts), geen melding aan de leerplichtambtenaar.")


def check_rule(rule: SignalRule) -> None:
    """Dutch validation messages for a rule as the settings screen edits it."""
    try:
        kind = RuleKind(rule.kind)
    except ValueError:
        raise ValidationError(f"Onbekende soort regel '{rule.kind}'.") from None
    expected = RulePurpose.CARE if kind in CARE_KINDS else RulePurpose.WORRYING
    if rule.purpose != expected.value:
        raise ValidationError(
            "Regels over ziekte zijn zorgsignalen en regels over ongeoorloofd verzuim signalen zorgelijk verzuim; "
            f"'{KIND_LABELS[kind]}' hoort bij {'zorg' if expected == RulePurpose.CARE else 'zorgelijk verzuim'}."
        )
    if rule.threshold is None or rule.threshold < 1:
        raise ValidationError("De drempel van een regel is ten minste 1.")
    if kind == RuleKind.HOURS_UNAUTHORISED and rule.threshold >= 16 and (rule.weeks or 0) <= 4:
        raise ValidationError(
            "Zorgelijk verzuim ligt onder de wettelijke grens van 16 uur in 4 lesweken (art. 21a Lpw); "
            "daarboven is een verzuimmelding verplicht. Kies minder dan 16 uur."
        )
    if kind == RuleKind.SICK_CONSECUTIVE and rule.threshold < 2:
        raise ValidationError("Kies voor aaneengesloten ziekte ten minste 2 schooldagen.")
    if kind in WEEKS_KINDS and not 1 <= (rule.weeks or 0) <= 40:
        raise ValidationError("Kies een periode van 1 tot en met 40 lesweken.")
    if kind in (RuleKind.SAME_WEEKDAY, RuleKind.SAME_FIRST_LESSON, RuleKind.TIMES_LATE) and rule.threshold > 5 * rule.weeks:
        raise ValidationError(f"{_times(rule.threshold)} in {dutch.plural(rule.weeks, 'lesweek', 'lesweken')} kan niet voorkomen; "
                              "verlaag de drempel of verleng de periode.")
    if kind == RuleKind.SAME_WEEKDAY and rule.threshold > rule.weeks:
        raise ValidationError(f"Op één weekdag kan een leerling in {dutch.plural(rule.weeks, 'lesweek', 'lesweken')} hooguit "
                              f"{rule.weeks} keer afwezig zijn; verlaag de drempel.")


def save_rule(session: Session, rule: SignalRule) -> SignalRule:
    """Validate and store ``rule``; its description is rewritten from kind, threshold and weeks."""
    if rule.kind == RuleKind.SICK_CONSECUTIVE.value and not rule.weeks:
        rule.weeks = 1
    check_rule(rule)
    rule.description = describe_rule(rule)
    return attach(session, rule)


def ensure_default_rules(session: Session) -> list[SignalRule]:
    """Insert the default rules when the school has none yet (never touches existing rules)."""
    existing = list(session.exec(select(SignalRule)).all())
    if existing:
        return existing
    out = []
    for order, d in enumerate(DEFAULT_RULES):
        rule = SignalRule(kind=d.kind.value, purpose=d.purpose.value, threshold=d.threshold, weeks=d.weeks,
                          sort_order=order)
        out.append(save_rule(session, rule))
    return out


@dataclass(frozen=True)
class RuleSpec:
    """A rule as plain values for the detectors (ORM attribute access is slow in per-pupil loops)."""

    id: int | None
    kind: str
    purpose: str
    threshold: int
    weeks: int
    description: str

    @classmethod
    def of(cls, rule: SignalRule) -> RuleSpec:
        # The sentence in force is made from the rule itself, never an older stored text (schoolgids = detector).
        return cls(rule.id, rule.kind, rule.purpose, rule.threshold, rule.weeks, describe_rule(rule))


def active_rules(session: Session) -> list[SignalRule]:
    rows = session.exec(select(SignalRule).where(SignalRule.active == True)).all()  # noqa: E712
    return sorted(rows, key=lambda r: (r.sort_order, r.id or 0))
