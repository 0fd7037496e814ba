"""A pupil's name as shown and as sorted (the Dutch way: the voorvoegsel does not sort)."""

from __future__ import annotations

from verzuimdesk.model.tables import Pupil


def display_name(pupil: Pupil) -> str:
    """"Roepnaam voorvoegsel Achternaam", falling back on voornamen."""
    first = pupil.roepnaam or (pupil.voornamen.split()[0] if pupil.voornamen else "")
    parts = [first, pupil.voorvoegsel, pupil.achternaam]
    return " ".join(p for p in parts if p).strip() or pupil.key


def sort_name(pupil: Pupil) -> str:
    """"Achternaam, Roepnaam voorvoegsel" for lists sorted the Dutch way (ignoring the voorvoegsel)."""
    first = pupil.roepnaam or (pupil.voornamen.split()[0] if pupil.voornamen else "")
    tail = " ".join(p for p in (first, pupil.voorvoegsel) if p)
    return f"{pupil.achternaam}, {tail}" if pupil.achternaam else tail
