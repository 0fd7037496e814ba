"""Editing the school's signal rules and policies (Instellingen → Signalering), as model operations.

The rules are data (architecture.md §5): the detector and the schoolgids quote the same rows; every change
is validated by :func:`verzuimdesk.model.law.signals.policy.save_rule` and friends.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict

from sqlmodel import Session, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import (
    CARE_KINDS,
    LATENESS_KEY,
    MELDING_KEY,
    LatenessPolicy,
    MeldingPolicy,
    describe_rule,
    ensure_default_rules,
    save_lateness_policy,
    save_melding_policy,
    save_rule,
)
from verzuimdesk.model.register.tiers import TIER_KEY, TierPolicy, save_tier_policy
from verzuimdesk.model.store import check_settings
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalHandling, SignalRule


def purpose_for(kind: str) -> str:
    """MAZL care rules go to the intern begeleider (domain.md §7.4); the others are zorgelijk verzuim (§7.3)."""
    return RulePurpose.CARE.value if RuleKind(kind) in CARE_KINDS else RulePurpose.WORRYING.value


def list_rules(session: Session) -> list[SignalRule]:
    """The rules in order; a description made by an older version is brought in step with the rule (it is
    generated text, never typed by the school), so the screen shows what the detector and schoolgids use."""
    ensure_default_rules(session)
    rules = sorted(session.exec(select(SignalRule)).all(), key=lambda r: (r.sort_order, r.id or 0))
    for rule in rules:
        text = describe_rule(rule)
        if rule.description != text:
            rule.description = text
            session.add(rule)
    return rules


def store_rule(
    session: Session, rule_id: int | None, kind: str, threshold: int, weeks: int, active: bool
) -> SignalRule:
    """Create or change a rule (validated by save_rule; its description is rewritten)."""
    if rule_id is None:
        orders = [r.sort_order for r in session.exec(select(SignalRule)).all()]
        rule = SignalRule(kind=kind, threshold=threshold, weeks=weeks, sort_order=max(orders, default=-1) + 1)
    else:
        found = session.get(SignalRule, rule_id)
        if found is None:
            raise ValidationError("Deze regel bestaat niet meer.")
        rule = found
        rule.kind, rule.threshold, rule.weeks = kind, threshold, weeks
    rule.purpose = purpose_for(kind)
    rule.active = active
    return save_rule(session, rule)


def set_rule_active(session: Session, rule_id: int, active: bool) -> None:
    rule = session.get(SignalRule, rule_id)
    if rule is None:
        raise ValidationError("Deze regel bestaat niet meer.")
    rule.active = active
    session.add(rule)


def delete_rule(session: Session, rule_id: int) -> None:
    rule = session.get(SignalRule, rule_id)
    if rule is None:
        return
    used = session.exec(select(SignalHandling.id).where(SignalHandling.rule_id == rule_id)).first()
    if used is not None:
        raise ValidationError("Bij deze regel zijn al signalen afgehandeld; die geschiedenis blijft bewaard. "
                              "Zet de regel uit in plaats van hem te verwijderen.")  # fmt: skip
    session.delete(rule)


POLICY_KEYS = (LATENESS_KEY, TIER_KEY, MELDING_KEY)


def save_policies(
    session: Session, lateness: LatenessPolicy, tier: TierPolicy, melding: MeldingPolicy, *,
    versions: Mapping[str, int] | None = None,
) -> bool:
    """The three policies of the signal settings screen in one go. ``versions``: of :data:`POLICY_KEYS` as the
    screen loaded them; a policy changed meanwhile on another PC refuses the whole save (issue 14)."""
    shown = {"Te laat komen": asdict(lateness), "Verzuimniveaus": asdict(tier), "Meldingen": asdict(melding)}
    check_settings(session, versions, {k: json.dumps(v, ensure_ascii=False) for k, v in shown.items()})
    save_lateness_policy(session, lateness)
    save_tier_policy(session, tier)
    save_melding_policy(session, melding)
    return True
