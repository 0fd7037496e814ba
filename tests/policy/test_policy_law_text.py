"""The schoolgids states the law right (issue 9, point 9): art. 12 is about sickness and says "within two
days" (no "onverwijld" attributed to the law); school transport is authorised absence; afstandsonderwijs is
present only with an approved afwijking onderwijstijd; the school's own leave term is named as its own."""

from __future__ import annotations

import re

from sqlmodel import select

from verzuimdesk.model.policy.inputs import save_policy_settings
from verzuimdesk.model.policy.versions import draft_sections
from verzuimdesk.model.school.reasons import reason_by_code
from verzuimdesk.model.tables import ReasonMappingChange


def _all_text(db) -> str:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return "\n".join(sec.text for sec in draft_sections(s))


def test_article_12_is_sickness_within_two_days(db, school) -> None:  # type: ignore[no-untyped-def]
    text = _all_text(db)
    sentences = [s for s in re.split(r"(?<=[.;])\s", text) if "artikel 12" in s]
    assert sentences, "the schoolgids names artikel 12"
    for sentence in sentences:
        assert "ziekte" in sentence and "twee dagen" in sentence
        assert "onverwijld" not in sentence


def test_transport_and_distance_learning(db, school) -> None:  # type: ignore[no-untyped-def]
    text = _all_text(db)
    assert "leerlingenvervoer te laat of niet kwam, dan is dat geoorloofd verzuim" in text
    assert "te laat leerlingenvervoer, telt niet als" not in text
    assert "Afstandsonderwijs telt als geoorloofde afwezigheid" in text
    with db.transaction() as s:
        save_policy_settings(s, {"afwijking_onderwijstijd": "ja"})
    text = _all_text(db)
    assert "goedgekeurde afwijking van de onderwijstijd; afstandsonderwijs volgens die afspraak telt als " \
           "aanwezigheid" in text
    with db.session() as s:  # the setting maps the reason too, so the text and the figures agree
        assert reason_by_code(s, "AO").category == "aanwezig"
        assert s.exec(select(ReasonMappingChange)).all() == []  # AO was not in use: nothing to audit


def test_leave_term_is_the_schools_and_bezwaar_goes_to_who_decided(db, school) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        save_policy_settings(s, {"verlof_termijn_weken": "6"})
    text = _all_text(db)
    assert "ten minste 6 weken van tevoren" in text and "geen wettelijke termijn" in text
    assert "bij een doorgestuurde aanvraag de leerplichtambtenaar" in text
    assert "artikel 11a" in text
