"""The law engine's signals (issue 3 parts 1–7): due meldingen (art. 21a Lpw), LRV, luxe verzuim, the
school's own zorgelijk-verzuim and care rules, the lateness ladder and attendance tiers. No Qt.

Modules: :mod:`.policy` (settings and rules as data), :mod:`.counting` (minutes per day and leswee),
:mod:`.sixteen_hours` (the 16-hour melding, continuous absence), :mod:`.mandatory` (LRV, RMC, luxe verzuim),
:mod:`.other` (the school's rules, care, the lateness ladder), :mod:`.claims` (lessons already in a melding),
:mod:`.texts` (a signal's duty, title and explanation), :mod:`.handling` (what the school did with it),
:mod:`.inbox` (everything together)."""

from verzuimdesk.model.law.signals.inbox import Signal, compute_signals, handle_signal
from verzuimdesk.model.law.signals.policy import describe_rule, ensure_default_rules, save_rule

__all__ = ["Signal", "compute_signals", "describe_rule", "ensure_default_rules", "handle_signal", "save_rule"]
