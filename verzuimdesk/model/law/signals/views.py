"""Read helpers for the screens that show signals and attendance tiers (issue 3 parts 6 and 7).

No Qt. The signals come from :func:`verzuimdesk.model.law.signals.compute_signals`, the tiers from
:func:`verzuimdesk.model.law.signals.other.tiers` over the period of the school's tier policy; this module only
adds the Dutch labels, the pupils' groups and the tier counts the screens show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.law.signals import compute_signals
from verzuimdesk.model.law.signals.inbox import Signal
from verzuimdesk.model.law.signals.policy import KIND_LABELS, get_lateness_policy
from verzuimdesk.model.register.tiers import TierCounts, tier_counts
from verzuimdesk.model.tables import Group, GroupMembership
from verzuimdesk.model.tables.law import RuleKind, SignalRule

MANDATORY_KINDS = ("V3", "LRV", "L", "RMC")  # real duties (inbox.MANDATORY); V4 is optional
MELDING_KINDS = {"V3": "V3", "V4": "V4", "LRV": "LRV", "L": "L", "RMC": "RMC"}  # signal kind → melding kind (DUO)

# The inbox's kind filter: (label, value); the value selects signals in :func:`kind_matches`.
KIND_FILTERS = [
    ("alle soorten", None),
    ("verplichte meldingen", "verplicht"),
    ("optionele meldingen (18+)", "optioneel"),
    ("controleren", "controleren"),
    ("zorgelijk verzuim", "zorgelijk"),
    ("zorg", "zorg"),
    ("te laat", "te_laat_ladder"),
]



def kind_matches(signal: Signal, value: str | None) -> bool:
    if value is None:
        return True
    if value in ("verplicht", "optioneel", "controleren"):
        return signal.duty_label == value
    return signal.kind == value


def signal_label(signal: Signal, rules: dict[int, SignalRule] | None = None, ladder: Iterable[int] = ()) -> str:
    """The Dutch kind label of a signal as the inbox shows it."""
    kind = signal.kind
    if kind in ("V3", "V4") and signal.repeat:
        return f"Herhaalmelding {signal.repeat} van 4 ({kind}{', optioneel' if kind == 'V4' else ''})"
    if kind == "V3":
        return "16 uur in 4 lesweken (V3)"
    if kind == "V4":
        return "16 uur in 4 lesweken, 18+ (V4, optioneel)"
    if kind == "LRV":
        return "Langdurig relatief verzuim" + ("" if signal.until else " (einddatum open)")
    if kind == "RMC":
        return "RMC: een maand niet op school (tot 23 jaar)"
    if kind == "L":
        return "Luxe verzuim"
    if kind == "luxe_controle":
        return "Luxe verzuim? Controleren"
    if kind in ("zorgelijk", "zorg"):
        rule = (rules or {}).get(signal.rule_id or -1)
        if rule is not None:
            what = KIND_LABELS.get(RuleKind(rule.kind), rule.kind)
        else:
            what = signal.title.split(": ", 1)[-1]
        return f"Zorgelijk verzuim: {what}" if kind == "zorgelijk" else f"Zorgsignaal (MAZL): {what}"
    if kind == "te_laat_ladder":
        return f"Te laat: stap {ladder_step(signal, ladder)}"
    return signal.title


def ladder_step(signal: Signal, ladder: Iterable[int]) -> str:
    """The number of the ladder step (1-based) a lateness signal stands for; the times when not found."""
    times = _times_late(signal)
    steps = list(ladder)
    if times in steps:
        return str(steps.index(times) + 1)
    return "?" if times is None else f"{times} keer"


def _times_late(signal: Signal) -> int | None:
    finding = getattr(signal, "_finding", None)
    count = getattr(finding, "count", None)
    if count:
        return int(count)
    first = signal.title.split(": ", 1)[-1].split(" ", 1)[0]  # "Te laat komen: 3 keer te laat …"
    return int(first) if first.isdigit() else None


def period_text(signal: Signal) -> str:
    if signal.begin == signal.end:
        return f"{dutch.date_short(signal.begin)}"
    return f"{dutch.date_short(signal.begin)} – {dutch.date_short(signal.end)}"


@dataclass
class InboxRow:
    signal: Signal
    group: str
    label: str
    rule_text: str = ""  # the rule's Dutch description (zorgelijk and care signals)

    @property
    def period(self) -> str:
        return period_text(self.signal)


@dataclass
class Inbox:
    rows: list[InboxRow]
    tiers: TierCounts
    on: dt.date


def current_groups(session: Session, pupil_ids: Iterable[int] | None, on: dt.date) -> dict[int, str]:
    """The name of each pupil's group on ``on`` (the first membership found)."""
    groups = {g.id: g for g in session.exec(select(Group)).all()}
    q = select(GroupMembership.pupil_id, GroupMembership.group_id).where(
        GroupMembership.date_from <= on,
        or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= on))  # fmt: skip
    ids = set(pupil_ids) if pupil_ids is not None else None
    rows = [(pid, groups[gid]) for pid, gid in session.exec(q).all() if gid in groups and (ids is None or pid in ids)]
    out: dict[int, str] = {}
    for pid, group in sorted(rows, key=lambda r: r[1].composite):  # the stamgroep before a samengestelde groep
        out.setdefault(pid, group.name)
    return out


def group_members(session: Session, group_id: int, on: dt.date) -> list[int]:
    q = select(GroupMembership.pupil_id).where(
        GroupMembership.group_id == group_id, GroupMembership.date_from <= on,
        or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= on))  # fmt: skip
    return sorted(set(session.exec(q).all()))


def rules_by_id(session: Session) -> dict[int, SignalRule]:
    return {r.id: r for r in session.exec(select(SignalRule)).all() if r.id is not None}


def load_inbox(session: Session, on: dt.date, group_id: int | None = None, kind: str | None = None) -> Inbox:
    """The open signals on ``on`` (most urgent first) with group and label, and the tier distribution of
    the school or the group. ``compute_signals`` may insert the default rules: call it in a transaction
    (or after :func:`verzuimdesk.model.law.signals.ensure_default_rules` was committed)."""
    signals = compute_signals(session, on, group_id=group_id)
    signals = [s for s in signals if kind_matches(s, kind)]
    rules = rules_by_id(session)
    ladder = [step.times for step in get_lateness_policy(session).ladder]
    groups = current_groups(session, {s.pupil_id for s in signals}, on)
    rows = [InboxRow(s, groups.get(s.pupil_id, ""), signal_label(s, rules, ladder),
                     rules[s.rule_id].description if s.rule_id in rules else "") for s in signals]
    scope = group_members(session, group_id, on) if group_id is not None else None
    return Inbox(rows, tier_counts(session, on, scope), on)
