"""What the verzuimbeleid text is generated from: the policy settings (roles, times, frequencies), the
inputs gathered from the school's data, and the fingerprint that tells what changed since the MR's consent
(domain.md §9)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import AFTER_THE_FACT_DAYS, MAX_LEAVE_DAYS, NOTICE_DAYS_RELIGIOUS
from verzuimdesk.model.law.signals.policy import (
    DEFAULT_RULES,
    LatenessPolicy,
    MeldingPolicy,
    describe_rule,
    get_lateness_policy,
    get_melding_policy,
)
from verzuimdesk.model.register.tiers import TierPolicy, get_tier_policy
from verzuimdesk.model.school.reasons import AFWIJKING_SETTING, set_afwijking_onderwijstijd
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.security.privacy import PrivacyFacts, privacy_facts
from verzuimdesk.model.store import current_user, get_setting, set_setting
from verzuimdesk.model.tables import Group, LeerplichtContact, Reason, Sector
from verzuimdesk.model.tables.law import RulePurpose, SignalRule

# ------------------------------------------------------------------------------------------ settings

FREQUENCIES = ("wekelijks", "tweewekelijks", "maandelijks", "per kwartaal")
MONTHS = ("augustus", "september", "oktober", "november", "december", "januari", "februari", "maart", "april",
          "mei", "juni", "juli")  # fmt: skip


@dataclass(frozen=True)
class PolicySetting:
    """A setting the text is made from; ``kind`` drives validation ("text", "time", "days", "years", "choice")."""

    key: str
    label: str
    default: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    hint: str = ""


POLICY_SETTINGS: tuple[PolicySetting, ...] = (
    PolicySetting("gebruiker", "Administratie (naam)", "", hint="wie het register bijhoudt en meldingen opstelt"),
    PolicySetting("melder_functie", "Functie van de melder", "verzuimcoördinator"),
    PolicySetting("rol_verzuimcoordinator", "Verzuimcoördinator", "", hint="leeg: de directeur"),
    PolicySetting("rol_ib", "Intern begeleider", "", hint="naam; leeg als de school geen IB'er heeft"),
    PolicySetting("rol_register", "Absentie opgenomen door", "", hint="leeg: de groepsleerkracht of de docent"),
    PolicySetting("rol_nabellen", "Nabellen door", "", hint="leeg: de administratie"),
    PolicySetting("ziekmelden_voor", "Ouders melden afwezigheid vóór", "08:15", "time"),
    PolicySetting("ziekmelden_via", "Ouders melden via", "telefonisch of via de ouderapp"),
    PolicySetting("tijd_register", "Absentie opgenomen uiterlijk om", "08:45", "time"),
    PolicySetting("tijd_nabellen", "Nabellen uiterlijk om", "09:30", "time"),
    PolicySetting("verlof_termijn_weken", "Vakantieverlof aanvragen (weken vooraf)", "8", "days",
                  hint="een afspraak van de school; later aangevraagd geeft een waarschuwing, geen weigering"),
    PolicySetting("afwijking_onderwijstijd", "Afwijking onderwijstijd goedgekeurd", "nee", "choice", ("nee", "ja"),
                  hint="alleen dan telt afstandsonderwijs als aanwezig"),
    PolicySetting("termijn_melding", "Melding opgesteld binnen (dagen)", "2", "days",
                  hint="na het bereiken van 16 uur; de wet zegt 'onverwijld'"),
    PolicySetting("termijn_signaal", "Signaal afgehandeld binnen (dagen)", "5", "days"),
    PolicySetting("analyse_frequentie", "Periodieke analyse", "maandelijks", "choice", FREQUENCIES),
    PolicySetting("evaluatie_maand", "Jaarlijkse evaluatie in", "juni", "choice", MONTHS),
    PolicySetting("jeugdarts", "Jeugdarts (naam, organisatie)", "", hint="leeg: de jeugdarts van de GGD"),
    PolicySetting("wijkteam", "Wijkteam / sociaal team", ""),
    PolicySetting("bewaartermijn_jaren", "Bewaartermijn (jaren na vertrek)", "5", "years",
                  hint="verzuimgegevens: gebruikelijk 5 jaar na uitschrijving (docs/security.md)"),
    PolicySetting("inzage_via", "Ouders vragen inzage via", "een verzoek aan de directeur, schriftelijk of per e-mail"),
)
SETTING_BY_KEY = {s.key: s for s in POLICY_SETTINGS}
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def policy_settings(session: Session) -> dict[str, str]:
    """The values of :data:`POLICY_SETTINGS`, defaults filled in."""
    return {s.key: get_setting(session, s.key, "").strip() or s.default for s in POLICY_SETTINGS}


def check_policy_setting(key: str, value: str) -> str:
    spec = SETTING_BY_KEY.get(key)
    if spec is None:
        raise ValidationError(f"Onbekende instelling '{key}'.")
    value = value.strip()
    if spec.kind == "time" and not TIME_RE.match(value):
        raise ValidationError(f"{spec.label}: geef een tijd op als 08:30.")
    if spec.kind in ("days", "years"):
        top = 20 if spec.kind == "years" else 30
        if not value.isdigit() or not 1 <= int(value) <= top:
            raise ValidationError(f"{spec.label}: geef een aantal van 1 tot en met {top} op.")
        value = str(int(value))
    if spec.kind == "choice" and value not in spec.choices:
        raise ValidationError(f"{spec.label}: kies uit {', '.join(spec.choices)}.")
    return value


def save_policy_settings(session: Session, values: dict[str, str]) -> None:
    """Validate and store the roles and times the text uses (all or nothing)."""
    checked = {key: check_policy_setting(key, value) for key, value in values.items()}
    for key, value in checked.items():
        if key == AFWIJKING_SETTING:  # maps afstandsonderwijs to present or authorised, audited
            set_afwijking_onderwijstijd(session, value == "ja", by=current_user(session))
        else:
            set_setting(session, key, value)


# -------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class RuleText:
    kind: str
    threshold: int
    weeks: int
    description: str


@dataclass(frozen=True)
class Contact:
    gemeente: str
    name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class PolicyInputs:
    """Everything the text is generated from, as plain values (also what the fingerprint hashes)."""

    school_name: str
    director: str
    sector: str
    niet_bekostigd: bool
    swv: str
    swv_contact: str
    settings: tuple[tuple[str, str], ...]
    worrying: tuple[RuleText, ...]
    care: tuple[RuleText, ...]
    lateness: LatenessPolicy
    tiers: TierPolicy
    meldingen: MeldingPolicy
    contacts: tuple[Contact, ...]
    register_units: tuple[str, ...]  # Group.registers_per of the active groups
    reasons: tuple[tuple[str, str, str, str], ...]  # code, name, category, art. 11 ground (active reasons)
    privacy: PrivacyFacts  # roles in use, lock, encryption (issue 11 point 6)

    def setting(self, key: str) -> str:
        return dict(self.settings)[key]


def _rules(session: Session) -> list[SignalRule]:
    """The active rules as the engine will apply them; a school without rules gets the defaults on first use
    (``ensure_default_rules``), so those are described without being stored here."""
    rows = list(session.exec(select(SignalRule)).all())
    if not rows:
        rows = [SignalRule(kind=d.kind.value, purpose=d.purpose.value, threshold=d.threshold, weeks=d.weeks,
                           sort_order=i) for i, d in enumerate(DEFAULT_RULES)]  # fmt: skip
    return sorted((r for r in rows if r.active), key=lambda r: (r.sort_order, r.id or 0))


def gather_inputs(session: Session) -> PolicyInputs:
    school = get_school(session)
    rules = [(r.purpose, RuleText(r.kind, r.threshold, r.weeks, describe_rule(r))) for r in _rules(session)]
    contacts = session.exec(select(LeerplichtContact).order_by(LeerplichtContact.gemeente, col(LeerplichtContact.id)))
    units = session.exec(select(Group.registers_per).where(Group.active == True, Group.composite == False))  # noqa: E712
    reasons = session.exec(select(Reason).where(Reason.active == True).order_by(col(Reason.sort_order), col(Reason.code)))  # noqa: E712
    return PolicyInputs(
        school_name=school.name if school else "", director=school.director.strip() if school else "",
        sector=school.sector if school else Sector.PO.value, niet_bekostigd=bool(school and school.niet_bekostigd),
        swv=school.samenwerkingsverband.strip() if school else "",
        swv_contact=school.samenwerkingsverband_contact.strip() if school else "",
        settings=tuple(sorted(policy_settings(session).items())),
        worrying=tuple(t for p, t in rules if p == RulePurpose.WORRYING.value),
        care=tuple(t for p, t in rules if p == RulePurpose.CARE.value),
        lateness=get_lateness_policy(session), tiers=get_tier_policy(session), meldingen=get_melding_policy(session),
        contacts=tuple(Contact(c.gemeente, c.name, c.phone, c.email, c.address) for c in contacts.all()),
        register_units=tuple(sorted(set(units.all()))),
        reasons=tuple((r.code, r.name, r.category, r.legal_ground) for r in reasons.all()),
        privacy=privacy_facts(session),
    )  # fmt: skip


# --------------------------------------------------------------------------------------- fingerprint

FINGERPRINT_LABELS = {
    "regels": "de regels voor zorgelijk verzuim en de zorgsignalen",
    "te_laat": "het beleid voor te laat komen (telling en ladder)",
    "niveaus": "de grenzen van de aanwezigheidsniveaus",
    "meldingen": "de keuzes bij de verplichte meldingen (luxe en langdurig verzuim)",
    "rollen": "de rollen, tijden en termijnen",
    "partners": "de leerplichtambtenaren en het samenwerkingsverband",
    "school": "de schoolgegevens (naam, directeur, sector, bekostiging)",
    "registratie": "de manier van registreren (per les of dagdeel) en de redenen",
    "verlof": "de verlofregels",
    "privacy": "de accounts en rollen, het vergrendelen en de opslag van de gegevens",
}


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprint_parts(inputs: PolicyInputs) -> dict[str, str]:
    """A short hash per part of the inputs (the keys of :data:`FINGERPRINT_LABELS`)."""
    return {
        "regels": _digest([asdict(r) for r in inputs.worrying] + ["zorg"] + [asdict(r) for r in inputs.care]),
        "te_laat": _digest(asdict(inputs.lateness)),
        "niveaus": _digest(asdict(inputs.tiers)),
        "meldingen": _digest(asdict(inputs.meldingen)),
        "rollen": _digest(inputs.settings),
        "partners": _digest([[asdict(c) for c in inputs.contacts], inputs.swv, inputs.swv_contact]),
        "school": _digest([inputs.school_name, inputs.director, inputs.sector, inputs.niet_bekostigd]),
        "registratie": _digest([inputs.register_units, inputs.reasons]),
        "verlof": _digest([MAX_LEAVE_DAYS, NOTICE_DAYS_RELIGIOUS, AFTER_THE_FACT_DAYS]),
        "privacy": _digest(asdict(inputs.privacy)),
    }


def format_fingerprint(parts: dict[str, str]) -> str:
    return ";".join(f"{key}={value}" for key, value in parts.items())


def parse_fingerprint(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in text.split(";") if "=" in item)


def settings_fingerprint(session: Session) -> str:
    """A hash over everything the text is generated from: "regels=…;te_laat=…;…" (one hash per part)."""
    return format_fingerprint(fingerprint_parts(gather_inputs(session)))
