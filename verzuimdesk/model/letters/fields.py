"""Merge fields: the ``{leerling.roepnaam}`` a school secretary types into a letter template.

Syntax: a field name between braces, ``{groep.veld}``; ``{{`` and ``}}`` print a brace. An unknown field, a
field without a value at this moment, or a lone brace is a :class:`ValidationError` in Dutch that names the
field (and, for a typing error, the field that was probably meant), so no letter leaves the school with a
hole in it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from verzuimdesk.model.errors import ValidationError

# Moments a template is written for (see moments.py); "altijd" fields exist at every moment.
ALWAYS = "altijd"
LADDER = "te_laat_ladder"
WORRYING = "zorgelijk"
CARE = "zorg"
MELDING = "melding"
TALK_HELD = "gesprek"
TALK_PLANNED = "gesprek_gepland"
MOMENT_LABELS = {
    LADDER: "een stap van de ladder voor te laat komen",
    WORRYING: "een signaal zorgelijk verzuim",
    CARE: "een zorgsignaal (ziekteverzuim, MAZL)",
    MELDING: "een melding aan de leerplichtambtenaar",
    TALK_HELD: "een gehouden gesprek",
    TALK_PLANNED: "een gepland gesprek",
}
SIGNAL_MOMENTS = (LADDER, WORRYING, CARE)


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    moments: tuple[str, ...] = (ALWAYS,)

    def available_at(self, moment: str) -> bool:
        return ALWAYS in self.moments or moment in self.moments


FIELDS: tuple[MergeField, ...] = (
    MergeField("leerling.roepnaam", "roepnaam van de leerling (Piet)"),
    MergeField("leerling.naam", "naam van de leerling (Piet de Vries)"),
    MergeField("leerling.voornamen", "officiële voornamen"),
    MergeField("leerling.achternaam", "achternaam met voorvoegsel (de Vries)"),
    MergeField("leerling.geboortedatum", "geboortedatum (3 mei 2016)"),
    MergeField("leerling.nummer", "leerlingnummer"),
    MergeField("groep.naam", "groep van de leerling op de datum van de brief"),
    MergeField("ouder.naam", "naam of namen van de ouder(s) aan wie deze brief gericht is"),
    MergeField("ouder.adres", "straat en huisnummer van deze ouder(s)"),
    MergeField("ouder.postcode", "postcode van deze ouder(s)"),
    MergeField("ouder.plaats", "woonplaats van deze ouder(s)"),
    MergeField("school.naam", "naam van de school"),
    MergeField("school.adres", "adres van de school"),
    MergeField("school.plaats", "plaats van de school"),
    MergeField("school.telefoon", "telefoonnummer van de school"),
    MergeField("school.email", "e-mailadres van de school"),
    MergeField("school.directeur", "naam van de directeur"),
    MergeField("contactpersoon.naam", "contactpersoon van de school voor deze brief (verzuimcoördinator; bij "
                                      "zorgsignalen de intern begeleider)"),
    MergeField("contactpersoon.functie", "functie van de contactpersoon"),
    MergeField("brief.datum", "datum van de brief"),
    MergeField("schooljaar", "schooljaar van de datum van de brief (2025-2026)"),
    MergeField("leerplichtambtenaar.naam", "leerplichtambtenaar van de woongemeente (of 'de leerplichtambtenaar')"),
    MergeField("leerplichtambtenaar.gemeente", "woongemeente van de leerling"),
    MergeField("jeugdarts", "de jeugdarts uit de instellingen van het verzuimbeleid (of die van de GGD)"),
    MergeField("ladder.overzicht", "de ladder voor te laat komen uit het verzuimbeleid, als lijst"),
    MergeField("gesprek.voorstel", "zin over het gesprek: de geplande datum, of het verzoek een afspraak te maken"),
    MergeField("verzuim.begindatum", "eerste dag van het verzuim achter het signaal", SIGNAL_MOMENTS),
    MergeField("verzuim.einddatum", "dag waarop het signaal ontstond", SIGNAL_MOMENTS),
    MergeField("verzuim.periode", "de periode (van … tot en met …)", SIGNAL_MOMENTS),
    MergeField("verzuim.uren", "uren ongeoorloofd verzuim achter het signaal (3,5)", (LADDER, WORRYING)),
    MergeField("verzuim.dagen", "aantal dagen achter het signaal (6 dagen)", SIGNAL_MOMENTS),
    MergeField("verzuim.regel", "de regel uit het verzuimbeleid die is bereikt, in dezelfde woorden",
               SIGNAL_MOMENTS),
    MergeField("ladder.keer", "aantal keer te laat dit schooljaar bij deze stap (6)", (LADDER,)),
    MergeField("ladder.stap", "nummer van de stap op de ladder (2)", (LADDER,)),
    MergeField("ladder.actie", "de actie van deze stap uit het verzuimbeleid (brief aan de ouders)", (LADDER,)),
    MergeField("melding.soort", "soort melding in woorden (luxe verzuim)", (MELDING,)),
    MergeField("melding.code", "DUO-code van de melding (V3, L, …)", (MELDING,)),
    MergeField("melding.datum", "datum waarop de melding is opgesteld", (MELDING,)),
    MergeField("melding.grondslag", "waarom de school meldt: de wettelijke plicht of de eigen regel", (MELDING,)),
    MergeField("melding.periode", "periode van het gemelde verzuim", (MELDING,)),
    MergeField("melding.uren", "gemelde uren ongeoorloofd verzuim", (MELDING,)),
    MergeField("melding.dagen", "aantal dagen met gemeld verzuim (5 dagen)", (MELDING,)),
    MergeField("gesprek.datum", "datum van het gesprek", (TALK_HELD, TALK_PLANNED)),
    MergeField("gesprek.met", "met wie het gesprek is/wordt gevoerd", (TALK_HELD, TALK_PLANNED)),
    MergeField("gesprek.samenvatting", "wat er besproken is", (TALK_HELD,)),
    MergeField("gesprek.afspraken", "de gemaakte afspraken", (TALK_HELD,)),
    MergeField("gesprek.evaluatiedatum", "datum waarop de afspraken worden geëvalueerd", (TALK_HELD,)),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def fields_in(text: str) -> list[str]:
    """The merge fields ``text`` uses, in order of first use; a Dutch error for a lone brace or an unknown field."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise ValidationError(f"Er staat een losse accolade '{token}' in de tekst (bij: "
                                  f"'{_around(text, match.start())}'). Een veld schrijft u als {{leerling.roepnaam}}; "
                                  "een accolade zelf als {{ of }}.")  # fmt: skip
        name = match.group(1).strip()
        if name not in FIELD_BY_NAME:
            raise ValidationError(unknown_field_message(name))
        if name not in out:
            out.append(name)
    return out


def unknown_field_message(name: str) -> str:
    guess = difflib.get_close_matches(name.lower(), list(FIELD_BY_NAME), n=1, cutoff=0.6)
    hint = f" Bedoelt u {{{guess[0]}}}?" if guess else " De lijst met velden staat naast de tekst."
    return f"Onbekend veld {{{name}}} in de brieftekst.{hint}"


def check_fields(text: str, moment: str) -> list[str]:
    """The fields of ``text``; a Dutch error for a field that has no value at ``moment``."""
    used = fields_in(text)
    for name in used:
        if not FIELD_BY_NAME[name].available_at(moment):
            where = " of ".join(MOMENT_LABELS[m] for m in FIELD_BY_NAME[name].moments)
            raise ValidationError(f"Het veld {{{name}}} heeft in een brief bij {MOMENT_LABELS[moment]} geen waarde; "
                                  f"het hoort bij {where}.")  # fmt: skip
    return used


def merge(text: str, values: dict[str, str]) -> str:
    """``text`` with every field replaced by its value; a Dutch error when a field has no value."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        if match.group(1) is None or name not in FIELD_BY_NAME:
            fields_in(token)  # raises the message for a lone brace or an unknown field
        if name not in values:
            raise ValidationError(f"Het veld {{{name}}} heeft bij deze brief geen waarde.")
        return values[name]

    return _TOKEN.sub(replace, text)


def _around(text: str, at: int) -> str:
    return text[max(0, at - 20):at + 20].replace("\n", " ")
