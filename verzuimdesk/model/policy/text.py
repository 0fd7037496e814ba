"""The verzuimbeleid chapter of the schoolgids, generated from the school's actual settings (domain.md §9).

The text and the program's behaviour cannot disagree because both read the same data (architecture.md
"rules as data"): the zorgelijk-verzuim and care rules are quoted with :func:`describe_rule` (the sentence the
detector's rule is made from), the lateness ladder, tier cut-offs and melding choices come from
:mod:`verzuimdesk.model.law.signals.policy`, the leave limits from :mod:`verzuimdesk.model.law.leave`, the partners from
the school's :class:`LeerplichtContact` rows, and roles and times from the settings of :data:`POLICY_SETTINGS`.

A section's text is plain Dutch prose in a small block format that the editor shows as is and the DOCX, PDF
and text writers understand: paragraphs separated by an empty line, a line "## …" is a subheading, lines
"- …" together form a list. The six mandatory parts (seed 004 §1.2, reconstructed; art. 13b WPO / 22b WEC of
bill 36 663) come first; the sixteen sub-themes of the research model (seed 001 §1.3) follow as optional
sections (:mod:`verzuimdesk.model.policy.themes`).

:func:`settings_fingerprint` hashes every input per part ("regels", "te_laat", …) so that
:func:`verzuimdesk.model.policy.versions.policy_out_of_date` can say *what* changed since the MR's consent.
Niet-bekostigde schools have no verzuimbeleid duty (seed 004 L809): a note opens the text, which stays available.
"""

from __future__ import annotations

from sqlmodel import Session

from verzuimdesk.model.policy.inputs import PolicyInputs, gather_inputs
from verzuimdesk.model.policy.mandatory import mandatory_sections
from verzuimdesk.model.policy.sections import Section
from verzuimdesk.model.policy.themes import theme_sections


def generate_sections(inputs: PolicyInputs) -> list[Section]:
    """All sections in order: (the niet-bekostigd note,) the six mandatory parts, the sixteen themes."""
    out: list[Section] = []
    if inputs.niet_bekostigd:
        out.append(Section("niet_bekostigd", "Vooraf: niet-bekostigd onderwijs", NIET_BEKOSTIGD_NOTE, False))
    return out + mandatory_sections(inputs) + theme_sections(inputs)


def generate(session: Session) -> list[Section]:
    return generate_sections(gather_inputs(session))


NIET_BEKOSTIGD_NOTE = (
    "Deze school is niet door de overheid bekostigd. Voor niet-bekostigde scholen geldt de plicht om een "
    "verzuimbeleid met de zes voorgeschreven onderdelen in de schoolgids op te nemen niet (Wet terugdringen "
    "schoolverzuim). De plicht om het verzuim van leerplichtige leerlingen te registreren en ongeoorloofd verzuim "
    "te melden blijft wel bestaan. De school beschrijft haar werkwijze hieronder vrijwillig."
)
