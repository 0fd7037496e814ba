"""What counts as health data in a document (AVG art. 4 sub 15 and art. 9; domain.md §2 item 4, §11).

Sickness is a special category of personal data: with "redenen bij ziekte" off, no document may show it.
The register knows which reasons are about health (``Reason.is_sickness``); free text (contact notes, plan
titles, handling notes) does not say so, so it is screened for words about health. Choice (docs/security.md):
the list errs on the side of hiding — a note that mentions a doctor, an illness or the MAZL approach is left
out of a document without sickness details, and the document says that something was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Stems of Dutch words about health, illness and care (the demo school's notes and the NCJ's MAZL texts).
HEALTH_STEMS = (
    r"ziek\w*", r"\w*arts", r"\w*artsen", r"medisch\w*", r"medicij\w*", r"mazl", r"ggd", r"ggz",
    r"gezondheid\w*", r"\w*therap\w*", r"fysio\w*", r"logoped\w*", r"diagnos\w*", r"psycholo\w*",
    r"psychiat\w*", r"koorts\w*", r"griep\w*", r"migraine\w*", r"astma\w*", r"epilep\w*", r"operatie\w*",
    r"vermoeid\w*", r"zorgsignaa\w*", r"huisbezoek\s+jeugdarts", r"klachten", r"pijn\w*", r"hospitaal\w*",
    r"orthodont\w*", r"behandel\w*", r"ontsteking\w*", r"infectie\w*", r"corona\w*", r"covid\w*",
)  # fmt: skip
_PATTERN = re.compile(r"\b(?:" + "|".join(HEALTH_STEMS) + r")\b", re.IGNORECASE)


def mentions_health(text: str, extra_phrases: Iterable[str] = ()) -> bool:
    """True when ``text`` mentions health: a health word, or one of ``extra_phrases`` (e.g. the names of the
    school's sickness reasons)."""
    if not text:
        return False
    if _PATTERN.search(text):
        return True
    low = text.casefold()
    return any(p and p.casefold() in low for p in extra_phrases)
