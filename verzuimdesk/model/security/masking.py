"""Showing a BSN only where it is needed (AVG art. 5 sub 1c, minimal data; Wabb art. 10: the BSN is used only
for the purposes the law names; issue 11 point 5).

The full number appears on the pupil card (where it is entered and checked) and in the melding to DUO
(art. 21a Lpw asks for it). Lists show it masked: enough to tell two pupils apart, not enough to use.
"""

from __future__ import annotations

MASK = "•"
VISIBLE_DIGITS = 3  # like a bank statement: the last three digits, the rest hidden


def mask_number(number: str | None) -> str:
    """``123456782`` → ``••••••782``; empty stays empty."""
    value = (number or "").strip()
    if not value:
        return ""
    shown = value[-VISIBLE_DIGITS:] if len(value) > VISIBLE_DIGITS else ""
    return MASK * (len(value) - len(shown)) + shown
