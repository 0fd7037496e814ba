"""The verzuimbeleid text: the six mandatory parts from the actual settings, rules quoted exactly, versions,
the MR's consent and the out-of-date warning (domain.md §9)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import (
    LadderStep,
    LatenessPolicy,
    active_rules,
    save_lateness_policy,
    save_rule,
)
from verzuimdesk.model.policy.inputs import save_policy_settings, settings_fingerprint
from verzuimdesk.model.policy.mandatory import MANDATORY_KEYS
from verzuimdesk.model.policy.text import generate
from verzuimdesk.model.policy.versions import (
    draft_sections,
    edit_section,
    policy_document,
    policy_out_of_date,
    record_consent,
    reset_section,
    save_version,
    set_section_enabled,
    version_sections,
    versions,
)
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import LeerplichtContact
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalRule

TODAY = dt.date(2026, 11, 23)


def _sections(db):
    with db.session() as s:
        return {sec.key: sec for sec in draft_sections(s)}


def _rule(s, kind: RuleKind) -> SignalRule:
    return s.exec(select(SignalRule).where(SignalRule.kind == kind.value)).one()


def test_six_mandatory_parts_first_and_sixteen_optional_themes(db, school):
    with db.session() as s:
        sections = draft_sections(s)
    assert [sec.key for sec in sections[:6]] == list(MANDATORY_KEYS)
    assert all(sec.mandatory and sec.enabled for sec in sections[:6])
    optional = sections[6:]
    assert len(optional) == 16 and not any(sec.mandatory for sec in optional)
    assert {sec.key for sec in optional if sec.enabled} == {"verlof", "privacy"}
    assert sections[0].heading == "Werkwijze na constatering van verzuim"


def test_zorgelijk_rules_quoted_exactly_and_follow_a_change(db, school):
    with db.session() as s:
        worrying = [r.description for r in active_rules(s) if r.purpose == RulePurpose.WORRYING.value]
        care = [r.description for r in active_rules(s) if r.purpose == RulePurpose.CARE.value]
    text = _sections(db)["zorgelijk"].text
    assert len(worrying) == 5
    for description in worrying:
        assert f"- {description}" in text
    for description in care:  # the MAZL care rules: partners and the optional theme on long absence
        assert description in _sections(db)["samenwerking"].text
        assert description in _sections(db)["langdurig"].text
    assert not any(d in text for d in care)  # care signals are no zorgelijk verzuim

    with db.transaction() as s:
        rule = _rule(s, RuleKind.HOURS_UNAUTHORISED)
        old = rule.description
        rule.threshold, rule.weeks = 10, 6
        new = save_rule(s, rule).description
        late = _rule(s, RuleKind.TIMES_LATE)
        late.active = False
        gone = late.description
    text = _sections(db)["zorgelijk"].text
    assert old not in text and f"- {new}" in text
    assert "in 6 opeenvolgende lesweken samen 10 uur of meer" in text
    assert gone not in text


def test_roles_times_and_partners_come_from_the_settings(db, school):
    with db.transaction() as s:
        save_policy_settings(s, {"gebruiker": "Anja de Wit", "rol_ib": "Kees Bakker", "tijd_nabellen": "9:15",
                                 "analyse_frequentie": "tweewekelijks", "jeugdarts": "dr. Lisa Mol (GGD Groningen)"})
        get_school(s).director = "Marieke Hoogendoorn"
        s.add(LeerplichtContact(gemeente="Groningen", name="Jeroen Smulders", phone="050-123 45 10",
                                email="leerplicht@groningen.example.nl"))
    sec = _sections(db)
    assert "de administratie (Anja de Wit)" in sec["werkwijze"].text and "9:15 uur" in sec["werkwijze"].text
    assert "De directeur (Marieke Hoogendoorn) beslist" in sec["taakverdeling"].text
    assert "De intern begeleider (Kees Bakker) voert" in sec["taakverdeling"].text
    assert "tweewekelijks" in sec["oorzaken"].text
    partners = sec["samenwerking"].text
    assert "voor leerlingen uit Groningen: Jeroen Smulders, telefoon 050-123 45 10, e-mail leerplicht@groningen" in partners
    assert "dr. Lisa Mol (GGD Groningen)" in partners
    assert "minder dan 5 % verzuim" in sec["monitoring"].text


@pytest.mark.parametrize(("values", "message"), [
    ({"tijd_nabellen": "half tien"}, "tijd"),
    ({"termijn_melding": "0"}, "1 tot en met 30"),
    ({"analyse_frequentie": "dagelijks"}, "kies uit"),
    ({"onbekend": "x"}, "Onbekende instelling"),
])
def test_settings_are_validated(db, school, values, message):
    with db.transaction() as s, pytest.raises(ValidationError, match=message):
        save_policy_settings(s, values)


def test_generated_text_is_deterministic(db, school):
    with db.session() as s:
        first, second = generate(s), generate(s)
        fp = settings_fingerprint(s)
    assert first == second
    with db.session() as s:
        assert settings_fingerprint(s) == fp


def test_niet_bekostigd_note_opens_the_text(db, school):
    with db.transaction() as s:
        get_school(s).niet_bekostigd = True
    with db.session() as s:
        sections = draft_sections(s)
        doc = policy_document(s)
    assert sections[0].key == "niet_bekostigd" and "niet-bekostigde scholen" in sections[0].text
    assert "geldt de plicht" in sections[0].text and len(sections) == 23
    assert doc.sections[0].key == "niet_bekostigd"


def test_edits_reset_stale_and_switches(db, school):
    with db.transaction() as s:
        edited = edit_section(s, "oorzaken", heading="Waarom leerlingen verzuimen", text="Eigen tekst.\n\n- a\n- b")
        assert edited.edited and not edited.stale
        set_section_enabled(s, "visie", True)
        with pytest.raises(ValidationError, match="verplicht onderdeel"):
            set_section_enabled(s, "zorgelijk", False)
    sec = _sections(db)
    assert sec["oorzaken"].heading == "Waarom leerlingen verzuimen" and sec["oorzaken"].text.startswith("Eigen")
    assert sec["visie"].enabled
    with db.transaction() as s:
        save_policy_settings(s, {"analyse_frequentie": "wekelijks"})  # the generated text of 'oorzaken' changes
    assert _sections(db)["oorzaken"].stale
    with db.transaction() as s:
        back = reset_section(s, "oorzaken")
    assert not back.edited and "wekelijks" in back.text and back.heading == "Analyse van de oorzaken van verzuim"


def test_versions_consent_and_out_of_date_warning(db, school):
    with db.session() as s:
        assert policy_out_of_date(s) is None  # nothing consented yet
    with db.transaction() as s:
        v1 = save_version(s, school_year="2026-2027", by="test", now=dt.datetime(2026, 6, 1, 10))
        with pytest.raises(ValidationError, match="toekomst"):
            record_consent(s, v1.id, dt.date(2026, 12, 1), today=TODAY)
        record_consent(s, v1.id, dt.date(2026, 6, 15), today=TODAY, by="test")
        vid = v1.id
    with db.session() as s:
        assert policy_out_of_date(s) is None
        stored = versions(s)[0]
        assert stored.mr_consent_date == dt.date(2026, 6, 15) and len(version_sections(stored)) == 22
        assert "instemming medezeggenschapsraad op 15 juni 2026" in policy_document(s, vid).version_line
    with db.transaction() as s:
        rule = _rule(s, RuleKind.SAME_WEEKDAY)
        rule.threshold = 4
        save_rule(s, rule)
        save_lateness_policy(s, LatenessPolicy(ladder=(LadderStep(2, "gesprek"), LadderStep(5, "brief"))))
    with db.session() as s:
        warning = policy_out_of_date(s)
    assert warning is not None
    assert "15 juni 2026" in warning and f"versie {vid}" in warning
    assert "de regels voor zorgelijk verzuim" in warning and "te laat komen" in warning
    assert "leerplichtambtenaren" not in warning
    with db.transaction() as s:
        v2 = save_version(s, school_year="2026-2027", by="test")
        record_consent(s, v2.id, TODAY, today=TODAY)
    with db.session() as s:
        assert policy_out_of_date(s) is None
        assert "bij de 2e keer te laat" in policy_document(s, v2.id).sections[5].text
        assert "bij de 3e keer te laat" in policy_document(s, vid).sections[5].text  # the old version is kept


def test_unrelated_changes_keep_the_fingerprint(db, school):
    from tests.builders import YEAR_START
    from verzuimdesk.model.school.records import place_in_group, save_pupil
    from verzuimdesk.model.tables import Pupil

    with db.session() as s:
        before = settings_fingerprint(s)
    with db.transaction() as s:
        p = save_pupil(s, Pupil(key="3001", achternaam="Nieuw", roepnaam="Nina"))
        place_in_group(s, p.id, school.g5, YEAR_START)
    with db.session() as s:
        assert settings_fingerprint(s) == before
    with db.transaction() as s:
        s.add(LeerplichtContact(gemeente="Haren", name="A. Smit"))
    with db.session() as s:
        after = settings_fingerprint(s)
    assert after != before and after.split(";")[0] == before.split(";")[0]  # rules unchanged


def test_each_person_is_named_once_per_section_and_the_text_speaks_of_the_school(db, school):
    """Written as a person would: "de directeur (naam)" once in a section, then "de directeur"; the school
    acts, not "het programma" (issue 12 point 5)."""
    with db.transaction() as s:
        save_policy_settings(s, {"gebruiker": "Anja de Wit", "rol_ib": "Kees Bakker"})
        get_school(s).director = "Marieke Hoogendoorn"
    sections = _sections(db)
    for sec in sections.values():
        for name in ("Marieke Hoogendoorn", "Anja de Wit", "Kees Bakker"):
            assert sec.text.count(f"({name})") <= 1, (sec.key, name)
        assert "programma" not in sec.text.lower(), sec.key
    # Where the director is mentioned, the first mention names her and later ones use the function alone.
    tasks = sections["taakverdeling"].text
    assert "De directeur (Marieke Hoogendoorn) beslist" in tasks
    assert "de directeur bewaakt" in tasks.lower()  # the coordinator's tasks: the director again, unnamed
    total = sum(sec.text.count("Marieke Hoogendoorn") for sec in sections.values())
    mentioning = sum(1 for sec in sections.values() if "directeur" in sec.text)
    assert 1 <= total <= mentioning  # at most once per section that speaks of the director
