"""Letter templates: merge fields a secretary can type, clear Dutch errors, versions that are never overwritten."""

from __future__ import annotations

import datetime as dt

import pytest

from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import LatenessPolicy
from verzuimdesk.model.letters.compose import EXAMPLE_VALUES, ladder_item, preview_text
from verzuimdesk.model.letters.defaults import DEFAULTS
from verzuimdesk.model.letters.fields import FIELD_BY_NAME, LADDER, MELDING, check_fields, fields_in, merge
from verzuimdesk.model.letters.templates import (
    current_template,
    restore_version,
    save_template,
    template_versions,
)
from verzuimdesk.model.policy.mandatory import ladder_text


@pytest.mark.parametrize("template", DEFAULTS, ids=lambda t: t.key)
def test_every_default_uses_only_fields_with_a_value_at_its_moment(template) -> None:  # type: ignore[no-untyped-def]
    used = check_fields(template.subject, template.moment) + check_fields(template.body, template.moment)
    assert used, "a letter without a single merge field is not personal"
    subject, body = preview_text(template.moment, template.subject, template.body)
    assert "{" not in subject + body and "}" not in subject + body


def test_example_values_cover_every_field() -> None:
    assert set(EXAMPLE_VALUES) == set(FIELD_BY_NAME)


def test_unknown_field_names_the_field_and_suggests_the_right_one() -> None:
    with pytest.raises(ValidationError, match=r"Onbekend veld \{leerling.roepnam\}.*Bedoelt u \{leerling.roepnaam\}"):
        fields_in("Beste ouders van {leerling.roepnam},")
    with pytest.raises(ValidationError, match="losse accolade"):
        fields_in("Beste {leerling.roepnaam,")


def test_braces_can_be_typed_and_fields_merge() -> None:
    assert merge("{{niet}} {leerling.roepnaam}", {"leerling.roepnaam": "Piet"}) == "{niet} Piet"


def test_a_field_of_another_moment_is_refused_with_where_it_belongs() -> None:
    with pytest.raises(ValidationError, match=r"\{gesprek.afspraken\}.*melding aan de leerplichtambtenaar.*gehouden"):
        check_fields("Afspraken: {gesprek.afspraken}", MELDING)
    check_fields("{ladder.actie}", LADDER)


def test_saving_adds_versions_and_restoring_the_default_is_a_new_version(db: Database) -> None:
    with db.transaction() as s:
        assert current_template(s, "te_laat_2").version == 0
        one = save_template(s, "te_laat_2", subject="Te laat: {leerling.naam}", body="Beste {ouder.naam},\n\nTekst.",
                            by="secretaris", now=dt.datetime(2025, 11, 1, 9))
        two = save_template(s, "te_laat_2", subject="Te laat: {leerling.roepnaam}", body="Beste {ouder.naam}.",
                            by="secretaris")
        assert (one.version, two.version) == (1, 2)
        with pytest.raises(ValidationError, match="niet gewijzigd"):
            save_template(s, "te_laat_2", subject=two.subject, body=two.body)
        with pytest.raises(ValidationError, match="Onbekend veld"):
            save_template(s, "te_laat_2", subject="x", body="{ouder.nam}")
        back = restore_version(s, "te_laat_2", 0, by="secretaris")
        assert back.version == 3 and back.body == DEFAULTS[1].body and "standaardtekst" in back.note
        assert [t.version for t in template_versions(s, "te_laat_2")] == [3, 2, 1, 0]
        assert template_versions(s, "te_laat_2")[2].subject == "Te laat: {leerling.naam}"  # kept, not overwritten


def test_the_ladder_in_the_letters_is_worded_as_in_the_verzuimbeleid() -> None:
    policy = LatenessPolicy()
    text = ladder_text(policy)
    for step in policy.ladder:
        assert ladder_item(step.times, step.action) in text
