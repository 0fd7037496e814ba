"""What an import refuses before it reads a file, and library errors in Dutch (docs/imports.md, "Wat wordt
geweigerd en waarom").

The issue leaves the numbers open; these are the choices, each with its reason:

- A file over ``MAX_FILE_BYTES`` (25 MB) is refused before parsing: the EDEXML of a school of 2,000 pupils
  is under 5 MB, so a bigger file is the wrong file, and parsing it would keep the program busy for minutes.
- An .xlsx is a zip archive: unpacked contents over ``MAX_UNZIPPED_BYTES`` (200 MB) are refused before the
  spreadsheet library opens it (a small "zip bomb" would otherwise fill the memory of a school laptop).
- More than ``MAX_ROWS`` data rows (50,000) is refused: ten years of absence of a large school fits.
- Text may hold no control characters (tab, line break, escape, …) nor the invisible characters that turn
  text direction: a line break in a name breaks every CSV and DUO file exported later, a direction mark
  makes a name read differently on screen than in the database.
- Names (achternaam, voornamen, roepnaam, group and location names) at most ``NAME_MAX`` (100) characters,
  notes ``NOTE_MAX`` (1,000), keys ``KEY_MAX`` (50), any other text ``TEXT_MAX`` (200): one pupil with a
  name of 5,000 characters would otherwise break every overview and letter.
- Numbers are the digits 0-9 only: Python's ``isdigit`` also accepts "²" and other digits that ``int``
  cannot read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from verzuimdesk.model.errors import ImportFailed

FAILED = "Het bestand is niet ingelezen; er is niets gewijzigd."
CANCELLED = "Het inlezen is afgebroken; er is niets gewijzigd."

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 50_000
NAME_MAX = 100
NOTE_MAX = 1000
KEY_MAX = 50
TEXT_MAX = 200

# Unicode direction controls (LRE … RLO, LRI … PDI) and the line/paragraph separators.
_INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
_DIGITS = re.compile(r"[0-9]+")


class ImportCancelled(ImportFailed):
    """The user stopped the import; the transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__(CANCELLED, [])


def fail(problem: str) -> ImportFailed:
    return ImportFailed(FAILED, [problem])


def check_file(path: str | Path) -> Path:
    """The file exists, is a file and is not too large; otherwise ImportFailed (before any parsing)."""
    p = Path(path)
    if not p.is_file():
        raise fail(f"Het bestand {p} bestaat niet (of is een map). Kies een bestand.")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise fail(f"{p.name} is {size / 1024 / 1024:.0f} MB groot; verzuimdesk leest bestanden tot "
                   f"{MAX_FILE_BYTES // 1024 // 1024} MB. Controleer of u het goede bestand kiest, of splits het.")
    return p


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character or an invisible direction/line mark."""
    return any(unicodedata.category(c) == "Cc" or c in _INVISIBLE for c in text)


def text_problem(value: str, what: str, limit: int) -> str | None:
    """A Dutch problem when ``value`` holds control characters or is longer than ``limit``; else None."""
    if has_control(value):
        return (f"{what} bevat een onzichtbaar stuurteken (zoals een tab, regeleinde of leesrichtingsteken); "
                "haal het weg en lees het bestand opnieuw in")
    if len(value) > limit:
        return f"{what} is {len(value)} tekens lang; dat mag hoogstens {limit} zijn. Kort het in"
    return None


def digits(text: str) -> int | None:
    """The whole number written with the digits 0-9 (at most 9 of them), else None ("²", "1.5", "")."""
    text = text.strip()
    return int(text) if _DIGITS.fullmatch(text) and len(text) <= 9 else None


class Progress:
    """Reports progress to ``callback(done, total)``; the callback stops an import by raising
    :class:`ImportCancelled` (the import's transaction then rolls back: nothing is written)."""

    def __init__(self, callback: Callable[[int, int], None] | None, total: int = 0) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.report()

    def step(self) -> None:
        self.done += 1
        if self.done % 10 == 0 or self.done == self.total:
            self.report()

    def report(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)


# ---------------------------------------------------------------------------- library messages in Dutch

_WHERE = re.compile(r"line (\d+)(?:, column (\d+))?")


def _where(message: str) -> str:
    m = _WHERE.search(message)
    if not m:
        return " (aan het einde van het bestand)" if "end of document" in message else ""
    return f" (regel {m.group(1)}{', teken ' + m.group(2) if m.group(2) else ''})"


def toml_message(name: str, message: str) -> str:
    """A ``tomllib`` error in Dutch, with the line and column it names."""
    where = _where(message)
    lowered = message.lower()
    if "illegal character" in lowered:
        what = "een teken dat hier niet mag (een stuurteken of een teken buiten aanhalingstekens)"
    elif "overwrite" in lowered or "already" in lowered:
        what = "een sleutel of tabel die twee keer voorkomt"
    elif "date" in lowered or "time" in lowered:
        what = "een datum of tijd die niet bestaat of niet goed is geschreven (schrijf 2026-10-09)"
    elif "unclosed" in lowered or "expected" in lowered:
        what = "een haakje of aanhalingsteken dat niet gesloten is, of een ontbrekend ="
    else:
        what = "een waarde die geen geldige tekst, getal, datum of lijst is"
    return (f"{name} is geen geldig inrichtingsbestand{where}: {what}. Controleer aanhalingstekens, haakjes "
            "en de notatie sleutel = waarde.")


def xml_message(name: str, message: str, line: int, truncated: bool) -> str:
    """An ``lxml`` parse error in Dutch."""
    where = f" (regel {line})" if line else ""
    lowered = message.lower()
    if "utf-8" in lowered or "encoding" in lowered or "char 0x" in lowered or "bytes:" in lowered:
        return (f"{name} bevat tekens die niet in de opgegeven tekenset (UTF-8) zijn geschreven{where}. "
                "Het bestand is waarschijnlijk door een ander programma bewerkt; maak een nieuwe export.")
    if "document is empty" in lowered or "start tag expected" in lowered:
        return f"{name} is leeg of geen XML-bestand{where}. Kies het EDEXML-bestand uit de leerlingadministratie."
    if truncated or "premature end" in lowered or "end of data" in lowered:
        return f"{name} is onvolledig: het XML-bestand houdt halverwege op{where}. Maak een nieuwe export."
    if "depth" in lowered:
        return (f"{name} is te diep genest{where}: een EDEXML-bestand heeft maar een paar niveaus. "
                "Dit is geen export uit een leerlingadministratie.")
    if "invalid char" in lowered or "pcdata" in lowered:
        return f"{name} bevat een stuurteken dat in XML niet mag{where}. Maak een nieuwe export."
    if "entity" in lowered:
        return f"{name} verwijst naar een entiteit die niet bestaat{where} (een &…;-code). Maak een nieuwe export."
    if "mismatch" in lowered or "tag" in lowered:
        return (f"{name} is geen geldig XML-bestand{where}: een begin- en eindmarkering passen niet bij elkaar. "
                "Maak een nieuwe export.")
    return f"{name} is geen geldig XML-bestand{where}. Maak een nieuwe export uit de leerlingadministratie."
