"""The logboek as a user reads it: Dutch names for every table and field, pupils by name and leerlingnummer,
dates and times in Dutch (issue: the Logboek showed "letterrecord toegevoegd", "pupil_id: 48").

The stored lines stay exactly as they were written: they are hash-chained (:mod:`.audit`), so the program
translates when it shows them (screen, CLI), never in the table. The JSON output of ``verzuimdesk logboek``
keeps the stored text (for machines and the hash check) and adds the readable one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.tables import AuditLog, Group, Pupil, Reason

TABLE_NAMES = {
    "school": "school", "vestiging": "vestiging", "leerplichtcontact": "leerplichtambtenaar",
    "setting": "instelling", "schoolyear": "schooljaar", "dayoff": "vrije dag", "group": "groep",
    "lesson": "les (rooster)", "pupil": "leerling", "guardian": "ouder/verzorger",
    "groupmembership": "groepsindeling", "timetabledeviation": "roosterafwijking",
    "deviationwindow": "tijdvak roosterafwijking", "reason": "reden", "reasonmappingchange": "indeling reden",
    "registertaken": "register genomen", "callrecord": "nabelgesprek", "meldingexport": "export melding",
    "aggregatedelivery": "DUO-levering", "policyversion": "verzuimbeleid", "signalrule": "signaalregel",
    "signalhandling": "signaalafhandeling", "melding": "melding", "meldingday": "meldingsdag",
    "meldingstatus": "meldingstatus", "leaverequest": "verlofaanvraag", "contactmoment": "contact",
    "intervention": "interventie", "letterrecord": "brief", "lettertemplate": "briefsjabloon",
    "useraccount": "account", "usergroup": "groep van een account", "absenceentry": "registratie",
}  # fmt: skip

FIELD_NAMES = {
    "pupil_id": "leerling", "group_id": "groep", "reason_id": "reden", "outcome_reason_id": "uitkomst (reden)",
    "melding_id": "melding", "contact_id": "contact", "signal_handling_id": "signaalafhandeling",
    "leave_request_id": "verlofaanvraag", "school_year_id": "schooljaar", "vestiging_id": "vestiging",
    "deviation_id": "roosterafwijking", "rule_id": "signaalregel", "user_id": "account",
    "key": "sleutel", "name": "naam", "date": "datum", "date_from": "van", "date_to": "tot en met",
    "start_date": "begindatum", "end_date": "einddatum", "begin_date": "begindatum", "lesson_number": "les",
    "start_minute": "begintijd", "end_minute": "eindtijd", "minutes_late": "minuten te laat", "source": "bron",
    "note": "notitie", "created_by": "gemaakt door", "created_at": "gemaakt op", "updated_at": "gewijzigd op",
    "period_label": "periode", "format": "formaat", "format_version": "formaatversie", "file_name": "bestandsnaam",
    "checksum": "controlegetal", "exported_by": "geëxporteerd door", "exported_at": "geëxporteerd op",
    "called_at": "gebeld op", "called_by": "gebeld door", "reached": "bereikt", "contact": "contactpersoon",
    "kind": "soort", "with_whom": "met", "summary": "verslag", "agreements": "afspraken", "planned": "gepland",
    "description": "omschrijving", "weekday": "weekdag", "from_region_table": "uit de regiotabel",
    "jaargroep": "jaargroep", "composite": "samengestelde groep", "uitstroomprofiel": "uitstroomprofiel",
    "department": "afdeling", "active": "actief", "registers_per": "register per", "relation": "relatie",
    "phone": "telefoon", "email": "e-mail", "address": "adres", "postcode": "postcode", "city": "plaats",
    "title": "titel", "evaluation_date": "evaluatiedatum", "evaluated_on": "geëvalueerd op", "outcome": "uitkomst",
    "effective": "effectief", "reason_text": "reden (aanvraag)", "requested_by": "aangevraagd door",
    "received_on": "ontvangen op", "attachments": "bijlagen", "status": "status", "decided_on": "besloten op",
    "decided_by": "besloten door", "motivation": "motivering", "lpa_decision": "besluit leerplichtambtenaar",
    "lpa_decided_by": "leerplichtambtenaar", "lpa_decided_on": "besluit leerplichtambtenaar op",
    "lpa_motivation": "motivering leerplichtambtenaar", "gemeente": "gemeente", "number": "lesnummer",
    "label": "omschrijving", "valid_from": "geldig vanaf", "valid_to": "geldig tot en met",
    "template_key": "sjabloon", "template_version": "sjabloonversie", "subject": "onderwerp",
    "addressee": "geadresseerde", "guardian_ids": "ouders/verzorgers", "made_on": "gemaakt op (datum)",
    "sent_as": "verstuurd als", "made_by": "gemaakt door", "made_at": "gemaakt op", "version": "versie",
    "body": "tekst", "minutes_unauthorised": "minuten ongeoorloofd", "absence_days": "verzuimdagen",
    "presumed_reason": "vermoedelijke reden", "all_lessons_missed": "alle lessen gemist",
    "school_action": "actie van de school", "municipality_action_wanted": "actie gemeente gewenst",
    "municipality_action_why_not": "waarom geen actie gemeente", "location_name": "locatie",
    "reporter_name": "melder", "reporter_function": "functie melder", "reporter_phone": "telefoon melder",
    "reporter_email": "e-mail melder", "parent_phone": "telefoon ouder", "deviating_address": "afwijkend adres",
    "duo_number": "DUO-nummer", "lessons": "lessen", "minutes": "minuten", "whole_day": "hele dag",
    "reason": "reden", "set_by": "gezet door", "set_at": "gezet op", "sections_json": "tekstdelen",
    "settings_fingerprint": "vingerafdruk instellingen", "mr_consent_date": "instemming MR",
    "achternaam": "achternaam", "voorvoegsel": "voorvoegsel", "voornamen": "voornamen", "roepnaam": "roepnaam",
    "birth_date": "geboortedatum", "gender": "geslacht", "bsn": "BSN", "onderwijsnummer": "onderwijsnummer",
    "bsn_last4": "BSN (laatste 4)", "woongemeente": "woongemeente", "enrolled_on": "ingeschreven op",
    "left_on": "uitgeschreven op", "notes": "notities", "code": "code", "category": "categorie",
    "legal_ground": "wettelijke grond", "is_lateness": "te laat", "is_unresolved": "onopgelost",
    "is_sickness": "ziekte", "sick_report": "ziekmelding", "art11a": "art. 11a", "needs_afwijking":
    "vraagt afwijking onderwijstijd", "color": "kleur", "sort_order": "volgorde", "old_category": "oude categorie",
    "old_legal_ground": "oude wettelijke grond", "new_category": "nieuwe categorie",
    "new_legal_ground": "nieuwe wettelijke grond", "changed_by": "gewijzigd door", "changed_at": "gewijzigd op",
    "why": "waarom", "taken_by": "genomen door", "taken_at": "genomen op", "brin": "BRIN", "sector": "sector",
    "region": "regio", "niet_bekostigd": "niet bekostigd", "samenwerkingsverband": "samenwerkingsverband",
    "samenwerkingsverband_contact": "contact samenwerkingsverband", "director": "directeur", "logo_path": "logo",
    "value": "waarde", "action": "actie", "fingerprint": "vingerafdruk", "handled_by": "afgehandeld door",
    "handled_at": "afgehandeld op", "purpose": "doel", "threshold": "drempel", "weeks": "weken",
    "username": "gebruikersnaam", "full_name": "volledige naam", "role": "rol", "password_hash": "wachtwoord",
    "failed_attempts": "mislukte pogingen", "locked_until": "geblokkeerd tot", "last_login": "laatst ingelogd",
}  # fmt: skip

_KINDS = ("toegevoegd", "gewijzigd", "verwijderd")
_FIELD = re.compile(r"(^|; )([a-z][a-z0-9_]*): ")
_STAMP = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?\b")
_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
_DETAIL = re.compile(r"^([a-z/ ()-]+?) (\d+)(?: \((.*)\))?$", re.S)


@dataclass(frozen=True)
class TrailLine:
    """One line of the logboek in Dutch, as the Logboek screen and ``verzuimdesk logboek`` show it."""

    id: int
    at: dt.datetime
    by: str
    action: str
    detail: str
    old: str
    new: str
    reason: str
    pupil: str  # "Naam (leerlingnummer)" or ""
    pupil_id: int | None = None

    @property
    def at_text(self) -> str:
        return dutch.date_time_short(self.at)


class _Names:
    """Pupils, groups and reasons by id, read once for a set of lines."""

    def __init__(self, session: Session, lines: list[AuditLog]) -> None:
        ids = {line.pupil_id for line in lines if line.pupil_id is not None}
        for line in lines:
            ids |= {int(n) for n in re.findall(r"(?:^|; )pupil_id: (\d+)", f"{line.old_value}; {line.new_value}")}
        self.pupils: dict[int, str] = {}
        if ids:
            for p in session.exec(select(Pupil).where(col(Pupil.id).in_(sorted(ids)))).all():
                name = " ".join(x for x in (p.roepnaam or p.voornamen, p.voorvoegsel, p.achternaam) if x)
                self.pupils[p.id or 0] = f"{name} ({p.key})"
        self.groups = {g.id: g.name for g in session.exec(select(Group)).all()}
        self.reasons = {r.id: f"{r.code} ({r.name})" for r in session.exec(select(Reason)).all()}

    def pupil(self, pupil_id: int | None) -> str:
        if pupil_id is None:
            return ""
        return self.pupils.get(pupil_id, "leerling niet meer in de database")

    def reference(self, field: str, value: str) -> str:
        if not value.isdigit():
            return value
        n = int(value)
        if field == "pupil_id":
            return self.pupil(n)
        if field == "group_id":
            return self.groups.get(n, f"nr. {n}")
        if field in ("reason_id", "outcome_reason_id"):
            return self.reasons.get(n, f"nr. {n}")
        return f"nr. {n}"


def _stamps(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        y, mo, d, h, mi = m.groups()
        try:
            day = dt.date(int(y), int(mo), int(d))
        except ValueError:
            return m.group(0)
        if h is None:
            return dutch.date_short(day)
        return dutch.date_time_short(dt.datetime(day.year, day.month, day.day, int(h), int(mi)))

    return _STAMP.sub(one, text)


def field_label(field: str) -> str:
    """The Dutch name of a column; an unknown one (a newer table) without underscores and without "_id"."""
    if field in FIELD_NAMES:
        return FIELD_NAMES[field]
    return field.removesuffix("_id").replace("_", " ")


def _values(text: str, names: _Names) -> str:
    """"field: value; field: value" with Dutch field names, references resolved and dates in Dutch."""
    if not text or not _FIELD.match(text):
        return _stamps(text)
    parts = _FIELD.split(text)  # ["", sep, field, value, sep, field, value, ...]
    out: list[str] = []
    for i in range(2, len(parts), 3):
        field, value = parts[i], parts[i + 1]
        if field.endswith("_id"):
            value = names.reference(field, value)
        elif _CODE.match(value):  # an internal value such as "gewichtige_omstandigheden" or "te_laat_ladder"
            value = value.replace("_", " ")
        out.append(f"{field_label(field)}: {_stamps(value)}")
    return "; ".join(out)


def _action(action: str) -> str:
    head, _sep, kind = action.rpartition(" ")
    if kind in _KINDS and head:
        action = f"{TABLE_NAMES.get(head, head)} {kind}"
    return action


def _detail(line: AuditLog, names: _Names) -> str:
    head, _sep, kind = line.action.rpartition(" ")
    if kind not in _KINDS:
        return _stamps(line.detail)
    if head == "setting":
        return line.detail.replace("_", " ")
    match = _DETAIL.match(line.detail)
    if match is None:
        return _stamps(line.detail)
    label, _ident, named = match.groups()
    label = TABLE_NAMES.get(label, label)
    if label == "leerling":
        return f"leerling {names.pupil(int(_ident))}"
    return f"{label} ({_stamps(named)})" if named else label


def readable(session: Session, lines: list[AuditLog]) -> list[TrailLine]:
    """The lines in Dutch (module docstring), in the same order."""
    names = _Names(session, lines)
    return [TrailLine(
        line.id or 0, line.at, line.by, _action(line.action), _detail(line, names),
        _values(line.old_value, names), _values(line.new_value, names), line.reason, names.pupil(line.pupil_id),
        line.pupil_id,
    ) for line in lines]  # fmt: skip
