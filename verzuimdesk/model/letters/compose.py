"""Composing letters: to whom a letter goes, the values of its merge fields, and the merged letters.

Choices (issue 13 leaves them to the school; written in docs/letters.md too):

- **Addressees.** Guardians who live at the same address get one letter together; a guardian with an address
  of their own (separated parents) gets a letter of their own. A guardian without an address of their own lives
  at the pupil's address. A pupil without guardians on file gets one letter "aan de ouders/verzorgers van …" at
  the pupil's address.
- **Contact person.** The verzuimcoördinator of the verzuimbeleid settings (empty: the director); for care
  signals (MAZL) the intern begeleider when the school has one — the same division of tasks the generated
  verzuimbeleid describes.
- **Evaluation date** in the record of a conversation: the evaluation date of the plan van aanpak started
  around the conversation (7 days before to 14 days after) when it is still to come, otherwise six weeks after
  the conversation (or after the letter, if that is later), moved off a weekend; the user sees it in the
  preview and can change it.
- **A melding letter** states kind, period, hours and days of *unauthorised* absence only — never the presumed
  reason or any reason text, so no sickness detail reaches paper (domain.md §7.5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.meldingen import kind_label, melding_days
from verzuimdesk.model.law.signals.inbox import Signal
from verzuimdesk.model.law.signals.policy import LatenessPolicy, describe_rule, get_lateness_policy
from verzuimdesk.model.letters.defaults import DEFAULT_BY_KEY
from verzuimdesk.model.letters.fields import CARE, FIELD_BY_NAME, LADDER, TALK_HELD, check_fields, merge
from verzuimdesk.model.letters.moments import (
    Moment,
    fitting_templates,
    ladder_step,
    ladder_times,
    pupil_or_error,
)
from verzuimdesk.model.letters.templates import Template, current_template
from verzuimdesk.model.school.calendar import school_year_name_for
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import get_school, group_on, guardians_of, leerplicht_contact_for
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables import Guardian, Pupil
from verzuimdesk.model.tables.law import ContactMoment, Intervention, Melding, SignalRule

EVALUATION_WEEKS = 6
DEFAULT_DOCTOR = "de jeugdarts van de jeugdgezondheidszorg (GGD)"  # as model/policy/mandatory.py says it


@dataclass(frozen=True)
class Addressee:
    names: str  # "Fatma Yılmaz en Ahmet Yılmaz", or "ouders/verzorgers van Piet Jansen"
    address: str
    postcode: str
    city: str
    guardian_ids: tuple[int, ...] = ()
    emails: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [line for line in (self.names, self.address, " ".join(p for p in (self.postcode, self.city) if p))
                if line]  # fmt: skip


@dataclass
class Letter:
    """One letter, merged, for one addressee: what the writers in reports/letters/ lay out."""

    pupil_id: int
    pupil_key: str
    pupil_name: str
    template: Template
    moment: Moment
    addressee: Addressee
    subject: str
    body: str
    date: dt.date
    place: str
    reference: str
    values: dict[str, str] = field(default_factory=dict, repr=False)


# ------------------------------------------------------------------------------------------ addressees


def addressees(session: Session, pupil: Pupil) -> list[Addressee]:
    """One addressee per address: guardians living together share a letter, a guardian with an address of their
    own gets one of their own (see the module docstring)."""
    assert pupil.id is not None
    groups: dict[tuple[str, str, str], list[Guardian]] = {}
    for g in guardians_of(session, pupil.id):
        own = (g.address.strip(), g.postcode.strip(), g.city.strip())
        where = own if own[0] else (pupil.address, pupil.postcode, pupil.city)
        key = (where[0].lower().replace(" ", ""), where[1].upper().replace(" ", ""), where[2].lower())
        groups.setdefault(key, []).append(g)
    out = []
    for members in groups.values():
        first = members[0]
        has_own = bool(first.address.strip())
        names = " en ".join(g.name.strip() for g in members if g.name.strip()) or \
            f"ouders/verzorgers van {display_name(pupil)}"
        out.append(Addressee(
            names, first.address.strip() if has_own else pupil.address,
            first.postcode.strip() if has_own else pupil.postcode, first.city.strip() if has_own else pupil.city, tuple(g.id for g in members if g.id is not None),
            tuple(g.email.strip() for g in members if g.email.strip()),
        ))  # fmt: skip
    if not out:
        out.append(Addressee(f"ouders/verzorgers van {display_name(pupil)}", pupil.address, pupil.postcode,
                             pupil.city))  # fmt: skip
    return out


# ---------------------------------------------------------------------------------------------- values


def hours_text(minutes: int) -> str:
    """Hours for parents: "16", "3,5", "0,25"."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def days_text(days: int) -> str:
    return dutch.plural(days, "dag", "dagen")


def period_text(begin: dt.date, end: dt.date | None) -> str:
    if end is None:
        return f"vanaf {dutch.date_long(begin)}"
    if begin == end:
        return f"op {dutch.date_long(begin)}"
    return f"van {dutch.date_long(begin)} tot en met {dutch.date_long(end)}"


def ladder_item(times: int, action: str) -> str:
    """One step as model/policy/mandatory.ladder_text words it (tests/letters checks that they agree)."""
    return f"bij de {times}e keer te laat in een schooljaar: {action}"


def ladder_overview(policy: LatenessPolicy) -> str:
    if not policy.ladder_enabled or not policy.ladder:
        return "- De school hanteert voor te laat komen geen vaste ladder van stappen."
    return "\n".join(f"- {ladder_item(step.times, step.action)}" for step in policy.ladder)


def contact_person(session: Session, moment_kind: str) -> tuple[str, str]:
    """Who signs and answers questions: name and function (see the module docstring)."""
    ib = get_setting(session, "rol_ib").strip()
    coordinator = get_setting(session, "rol_verzuimcoordinator").strip()
    if moment_kind == CARE and ib:
        return ib, "intern begeleider"
    if coordinator:
        return coordinator, "verzuimcoördinator"
    school = get_school(session)
    return (school.director if school is not None and school.director else "De directeur"), "directeur"


def _proposal(session: Session, pupil_id: int, on: dt.date, contact: ContactMoment | None, who: str,
              phone: str) -> str:  # fmt: skip
    planned = contact if contact is not None and contact.planned else session.exec(
        select(ContactMoment).where(ContactMoment.pupil_id == pupil_id, col(ContactMoment.planned).is_(True),
                                    ContactMoment.date >= on).order_by(col(ContactMoment.date))).first()  # fmt: skip
    via = f" via {phone}" if phone else ""
    if planned is not None:
        return (f"Wij nodigen u uit voor een gesprek op {dutch.date_long(planned.date, weekday=True)} op school. Past die "
                f"dag u niet, laat het ons dan zo snel mogelijk weten{via}.")  # fmt: skip
    return f"Wilt u binnen een week contact opnemen met {who}{via} om een afspraak te maken?"


def evaluation_date(session: Session, contact: ContactMoment, on: dt.date) -> dt.date:
    """When the agreements of ``contact`` are evaluated, for a letter dated ``on`` (module docstring): never
    before the letter, never on a weekend."""
    plans = session.exec(select(Intervention).where(
        Intervention.pupil_id == contact.pupil_id, col(Intervention.evaluation_date).is_not(None),
        Intervention.start_date >= contact.date - dt.timedelta(days=7),
        Intervention.start_date <= contact.date + dt.timedelta(days=14),
    ).order_by(col(Intervention.start_date))).all()  # fmt: skip
    day = next((p.evaluation_date for p in plans
                if p.evaluation_date is not None and p.evaluated_on is None and p.evaluation_date > on), None)
    if day is None:
        day = max(contact.date, on) + dt.timedelta(weeks=EVALUATION_WEEKS)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


MELDING_GROUNDS = {
    "V3": "Bij 16 uur ongeoorloofd verzuim in vier opeenvolgende lesweken is de school verplicht dit te melden "
          "(artikel 21a van de Leerplichtwet 1969).",
    "V4": "Voor een leerling van 18 jaar of ouder is zo'n melding niet verplicht; de school heeft ervoor gekozen, "
          "omdat zij zich zorgen maakt over het verzuim.",
    "LRV": "Bij ongeoorloofd verzuim van meer dan vier weken aaneengesloten is de school verplicht dit te melden "
           "(artikel 21a van de Leerplichtwet 1969).",
    "L": "Een vakantie of vrije dagen buiten de schoolvakanties zonder verlof van de directeur is ongeoorloofd "
         "verzuim (luxe verzuim), dat de school moet melden (artikel 21a van de Leerplichtwet 1969).",
    "RMC": "De school meldt dit aan de gemeente (Regionale Meld- en Coördinatiefunctie), die jongeren zonder "
           "startkwalificatie helpt een opleiding of werk te vinden.",
    "O": "In ons verzuimbeleid staat wanneer de school de leerplichtambtenaar een signaal zorgelijk verzuim geeft; "
         "dat is nu het geval. Een signaal is bedoeld om vroeg samen te kunnen helpen, niet als straf.",
}  # fmt: skip


def _signal_values(session: Session, signal: Signal, kind: str, policy: LatenessPolicy) -> dict[str, str]:
    values = {
        "verzuim.begindatum": dutch.date_long(signal.begin), "verzuim.einddatum": dutch.date_long(signal.end),
        "verzuim.periode": period_text(signal.begin, signal.end), "verzuim.dagen": days_text(len(signal.days) or 1),
    }  # fmt: skip
    if kind != CARE:
        values["verzuim.uren"] = hours_text(signal.minutes)
    if kind == LADDER:
        times = ladder_times(signal)
        step = ladder_step(policy, times)
        action = policy.ladder[step - 1].action
        values |= {"ladder.keer": str(times), "ladder.stap": str(step), "ladder.actie": action,
                   "verzuim.regel": ladder_item(policy.ladder[step - 1].times, action)}  # fmt: skip
    else:
        rule = session.get(SignalRule, signal.rule_id) if signal.rule_id is not None else None
        values["verzuim.regel"] = (rule.description or describe_rule(rule)) if rule is not None else signal.title
    return values


def _melding_values(session: Session, melding: Melding) -> dict[str, str]:
    """Only the kind, period, hours and days of the melding: never its reason (module docstring)."""
    assert melding.id is not None
    days = melding.absence_days or len(melding_days(session, melding.id))
    return {
        "melding.soort": kind_label(melding.kind), "melding.code": melding.kind,
        "melding.datum": dutch.date_long(melding.created_at.date()),
        "melding.grondslag": MELDING_GROUNDS.get(melding.kind, ""),
        "melding.periode": period_text(melding.begin_date, melding.end_date),
        "melding.uren": hours_text(melding.minutes_unauthorised), "melding.dagen": days_text(days),
    }  # fmt: skip


def _contact_values(session: Session, contact: ContactMoment, held: bool, on: dt.date) -> dict[str, str]:
    values = {"gesprek.datum": dutch.date_long(contact.date, weekday=True), "gesprek.met": contact.with_whom or "u"}
    if held:
        values |= {
            "gesprek.samenvatting": contact.summary or "Zie de afspraken hieronder.",
            "gesprek.afspraken": contact.agreements or "Er zijn geen afspraken vastgelegd.",
            "gesprek.evaluatiedatum": dutch.date_long(evaluation_date(session, contact, on), weekday=True),
        }  # fmt: skip
    return values


def merge_values(session: Session, moment: Moment, on: dt.date, to: Addressee) -> dict[str, str]:
    """Every merge field that has a value at ``moment``, for the letter to ``to`` dated ``on``."""
    pupil = pupil_or_error(session, moment.pupil_id)
    assert pupil.id is not None
    school = get_school(session)
    group = group_on(session, pupil.id, on) or group_on(session, pupil.id, _moment_day(session, moment, on))
    who, function = contact_person(session, moment.kind)
    phone = school.phone if school is not None else ""
    gemeente = pupil.woongemeente or pupil.city
    lpa = leerplicht_contact_for(session, gemeente) if gemeente else None
    policy = get_lateness_policy(session)
    contact = session.get(ContactMoment, moment.contact_id) if moment.contact_id is not None else None
    values = {
        "leerling.roepnaam": pupil.roepnaam or display_name(pupil).split()[0],
        "leerling.naam": display_name(pupil), "leerling.voornamen": pupil.voornamen or pupil.roepnaam,
        "leerling.achternaam": " ".join(p for p in (pupil.voorvoegsel, pupil.achternaam) if p),
        "leerling.geboortedatum": dutch.date_long(pupil.birth_date) if pupil.birth_date else "onbekend",
        "leerling.nummer": pupil.key, "groep.naam": group.name if group is not None else "zijn of haar groep",
        "ouder.naam": to.names, "ouder.adres": to.address, "ouder.postcode": to.postcode, "ouder.plaats": to.city,
        "school.naam": school.name if school else "", "school.adres": school.address if school else "",
        "school.plaats": school.city if school else "", "school.telefoon": phone or "de school",
        "school.email": (school.email if school else "") or "de school",
        "school.directeur": (school.director if school else "") or "de directeur",
        "contactpersoon.naam": who, "contactpersoon.functie": function, "brief.datum": dutch.date_long(on),
        "schooljaar": school_year_name_for(on),
        "leerplichtambtenaar.naam": lpa.name if lpa is not None and lpa.name else "De leerplichtambtenaar",
        "leerplichtambtenaar.gemeente": gemeente or "uw woongemeente",
        "jeugdarts": get_setting(session, "jeugdarts").strip() or DEFAULT_DOCTOR,
        "ladder.overzicht": ladder_overview(policy),
        "gesprek.voorstel": _proposal(session, pupil.id, on, contact, who, phone),
    }  # fmt: skip
    if moment.signal is not None:
        values |= _signal_values(session, moment.signal, moment.kind, policy)
    if moment.melding_id is not None:
        melding = session.get(Melding, moment.melding_id)
        if melding is None:
            raise ValidationError("Deze melding bestaat niet (meer).")
        values |= _melding_values(session, melding)
    if contact is not None:
        values |= _contact_values(session, contact, moment.kind == TALK_HELD, on)
    return values


def _moment_day(session: Session, moment: Moment, on: dt.date) -> dt.date:
    if moment.signal is not None:
        return moment.signal.end
    if moment.melding_id is not None:
        melding = session.get(Melding, moment.melding_id)
        return melding.begin_date if melding is not None else on
    contact = session.get(ContactMoment, moment.contact_id) if moment.contact_id is not None else None
    return contact.date if contact is not None else on


# ------------------------------------------------------------------------------------------------ letters


def prepare_letters(session: Session, key: str, moment: Moment, on: dt.date, *, extra: dict[str, str] | None = None,
                    template: Template | None = None) -> list[Letter]:  # fmt: skip
    """The letters of template ``key`` for ``moment``, one per addressee, merged (nothing stored yet).

    ``extra`` overrides field values the user changed in the preview (e.g. the evaluation date)."""
    template = template or current_template(session, key)
    if template.moment != moment.kind:
        raise ValidationError(f"De brief '{template.title}' past niet bij {moment.describe()}; kies een brief uit: "
                              + ", ".join(DEFAULT_BY_KEY[k].title for k in fitting_templates(session, moment)) + ".")
    if key == "herinnering_afspraken" and "herinnering_afspraken" not in fitting_templates(session, moment):
        raise ValidationError("Bij dit gesprek zijn geen afspraken vastgelegd; een herinnering aan afspraken kan niet.")
    for name in extra or {}:
        if name not in FIELD_BY_NAME:
            raise ValidationError(f"Onbekend veld {{{name}}}.")
    pupil = pupil_or_error(session, moment.pupil_id)
    school = get_school(session)
    out = []
    for to in addressees(session, pupil):
        values = merge_values(session, moment, on, to) | {k: v.strip() for k, v in (extra or {}).items()}
        out.append(Letter(
            pupil_id=moment.pupil_id, pupil_key=pupil.key, pupil_name=display_name(pupil), template=template,
            moment=moment, addressee=to, subject=merge(template.subject, values), body=merge(template.body, values),
            date=on, place=school.city if school is not None else "",
            reference=f"{template.key}-{pupil.key}-{on:%Y%m%d}", values=values,
        ))  # fmt: skip
    return out


EXAMPLE_VALUES = {
    "leerling.roepnaam": "Sanne", "leerling.naam": "Sanne de Vries", "leerling.voornamen": "Susanne Maria",
    "leerling.achternaam": "de Vries", "leerling.geboortedatum": "3 mei 2016", "leerling.nummer": "1042",
    "groep.naam": "groep 6", "ouder.naam": "Eva de Vries en Mark de Vries", "ouder.adres": "Dorpsstraat 12",
    "ouder.postcode": "1234 AB", "ouder.plaats": "Voorbeeld", "school.naam": "De Voorbeeldschool",
    "school.adres": "Schoolplein 1", "school.plaats": "Voorbeeld", "school.telefoon": "012-3456789",
    "school.email": "info@voorbeeldschool.nl", "school.directeur": "J. Jansen", "contactpersoon.naam": "P. Bakker",
    "contactpersoon.functie": "verzuimcoördinator", "brief.datum": "2 december 2025", "schooljaar": "2025-2026",
    "leerplichtambtenaar.naam": "R. Smit", "leerplichtambtenaar.gemeente": "Voorbeeld",
    "jeugdarts": DEFAULT_DOCTOR, "ladder.overzicht": ladder_overview(LatenessPolicy()),
    "gesprek.voorstel": "Wilt u binnen een week contact opnemen met P. Bakker via 012-3456789 om een afspraak te maken?",
    "verzuim.begindatum": "3 november 2025", "verzuim.einddatum": "28 november 2025",
    "verzuim.periode": "van 3 november 2025 tot en met 28 november 2025", "verzuim.uren": "8,5", "verzuim.dagen": "6 dagen",
    "verzuim.regel": "De leerling is in 4 opeenvolgende lesweken samen 8 uur of meer ongeoorloofd afwezig.",
    "ladder.keer": "6", "ladder.stap": "2", "ladder.actie": "brief aan de ouders",
    "melding.soort": "luxe verzuim", "melding.code": "L", "melding.datum": "1 december 2025",
    "melding.grondslag": MELDING_GROUNDS["L"], "melding.periode": "van 17 november 2025 tot en met 21 november 2025",
    "melding.uren": "27,5", "melding.dagen": "5 dagen", "gesprek.datum": "dinsdag 25 november 2025",
    "gesprek.met": "moeder en groepsleerkracht", "gesprek.samenvatting": "Het vele te laat komen besproken.",
    "gesprek.afspraken": "- Sanne is elke dag om 08:25 op school.\n- De leerkracht belt bij te laat komen dezelfde dag.",
    "gesprek.evaluatiedatum": "dinsdag 6 januari 2026",
}  # fmt: skip


def preview_text(moment: str, subject: str, body: str) -> tuple[str, str]:
    """Subject and body merged with example values (the editor's live preview); Dutch errors as when saving."""
    check_fields(subject, moment)
    check_fields(body, moment)
    return merge(subject, EXAMPLE_VALUES), merge(body, EXAMPLE_VALUES)
