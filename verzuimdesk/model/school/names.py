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


def _words(text: str) -> list[str]:
    return text.lower().replace(",", " ").replace("(", " ").replace(")", " ").split()


def name_matches(query: str, *texts: str) -> bool:
    """Whether a search matches a pupil shown as ``texts`` (display name, sort name, number, group): every
    word typed occurs in one of their words, in any order. "Femke Boer", "boer femke", "Femke de Boer"
    and "De Boer, Femke" all find Femke de Boer, whichever way a list writes her name."""
    words = _words(query)
    if not words:
        return True
    haystack = [w for text in texts for w in _words(text)]
    return all(any(word in w for w in haystack) for word in words)
