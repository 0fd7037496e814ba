"""School policy as data: defaults, validation in Dutch, rule descriptions kept in step (domain.md §4.4, §7.3)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import (
    DEFAULT_RULES,
    FIXED_MINUTES,
    LadderStep,
    LatenessPolicy,
    MeldingPolicy,
    describe_rule,
    ensure_default_rules,
    get_lateness_policy,
    get_melding_policy,
    save_lateness_policy,
    save_melding_policy,
    save_rule,
)
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalRule


def test_default_rules_once_with_descriptions(db):
    with db.transaction() as s:
        rules = ensure_default_rules(s)
        assert len(rules) == len(DEFAULT_RULES) == 7
        assert ensure_default_rules(s) == rules  # never twice
        by_kind = {r.kind: r for r in rules}
    assert by_kind["ziekmeldingen"].purpose == "zorg" and by_kind["uren_ongeoorloofd"].purpose == "zorgelijk"
    assert by_kind["uren_ongeoorloofd"].description.startswith("De leerling is in 4 opeenvolgende lesweken samen 8 uur")
    assert "7 schooldagen aaneengesloten ziek" in by_kind["ziek_aaneengesloten"].description
    assert all(r.description == describe_rule(r) for r in rules)


def test_save_rule_rewrites_the_description_and_validates(db):
    with db.transaction() as s:
        ensure_default_rules(s)
        rule = s.exec(select(SignalRule).where(SignalRule.kind == RuleKind.TIMES_LATE.value)).one()
        rule.threshold, rule.weeks = 4, 6
        save_rule(s, rule)
        assert rule.description == "De leerling komt in 6 opeenvolgende lesweken 4 keer of vaker ongeoorloofd te laat."
        for bad, message in [
            (dict(kind=RuleKind.HOURS_UNAUTHORISED.value, threshold=16, weeks=4), "16 uur"),
            (dict(kind=RuleKind.HOURS_UNAUTHORISED.value, threshold=0, weeks=4), "ten minste 1"),
            (dict(kind=RuleKind.SAME_WEEKDAY.value, threshold=9, weeks=8), "hooguit"),
            (dict(kind=RuleKind.TIMES_LATE.value, threshold=3, weeks=0), "periode"),
            (dict(kind="onzin", threshold=3, weeks=4), "Onbekende soort"),
            (dict(kind=RuleKind.SICK_REPORTS.value, threshold=4, weeks=12, purpose=RulePurpose.WORRYING.value), "zorg"),
        ]:
            data = {"purpose": RulePurpose.CARE.value if bad["kind"] in ("ziekmeldingen",) else RulePurpose.WORRYING.value}
            data.update(bad)
            with pytest.raises(ValidationError, match=message):
                save_rule(s, SignalRule(**data))


def test_lateness_policy_round_trip_and_validation(db):
    with db.transaction() as s:
        assert get_lateness_policy(s) == LatenessPolicy()
        policy = LatenessPolicy(mode=FIXED_MINUTES, fixed_minutes=15, ladder=(LadderStep(4, "gesprek"),))
        save_lateness_policy(s, policy)
        assert get_lateness_policy(s) == policy
        assert "15 minuten" in policy.describe()
        with pytest.raises(ValidationError, match="vast aantal"):
            save_lateness_policy(s, LatenessPolicy(mode=FIXED_MINUTES, fixed_minutes=0))
        with pytest.raises(ValidationError, match="oplopen"):
            save_lateness_policy(s, LatenessPolicy(ladder=(LadderStep(6, "a"), LadderStep(3, "b"))))
        save_melding_policy(s, MeldingPolicy(luxe_long_weekend=False))
        assert get_melding_policy(s).luxe_long_weekend is False
