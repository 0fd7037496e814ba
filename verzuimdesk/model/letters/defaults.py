"""The built-in letter templates (version 0 of each key), in Dutch, written along the generated verzuimbeleid
(model/policy/mandatory.py): the same ladder for lateness, the same rules for zorgelijk verzuim and care signals
(quoted through ``{verzuim.regel}`` and ``{ladder.overzicht}``, which are made from the same data as the
schoolgids text), the promise to inform parents before a signal to the leerplichtambtenaar, and MAZL with the
jeugdarts for care signals. A school edits these texts in the program; its versions are stored beside them.

Body conventions (also in the editor's help): an empty line starts a new paragraph; a line starting with
"## " is a heading; lines starting with "- " form a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from verzuimdesk.model.letters.fields import CARE, LADDER, MELDING, TALK_HELD, TALK_PLANNED, WORRYING


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    title: str
    moment: str
    subject: str
    body: str
    ladder_step: int | None = None


SIGNATURE = "Met vriendelijke groet,\n\n{contactpersoon.naam}\n{contactpersoon.functie}, {school.naam}"
LADDER_INTRO = ("{leerling.roepnaam} uit {groep.naam} is dit schooljaar {ladder.keer} keer te laat op school "
                "gekomen zonder geldige reden. Te laat komen is ongeoorloofd verzuim: {leerling.roepnaam} mist het "
                "begin van de les, en de groep wordt gestoord.")
LADDER_POLICY = ("In het verzuimbeleid van onze school staat wat wij doen als een leerling vaak te laat komt. "
                 "Per schooljaar volgen wij deze ladder:\n\n{ladder.overzicht}")


def _ladder(step: int, title: str, subject: str, middle: str) -> DefaultTemplate:
    body = "\n\n".join([
        "Beste {ouder.naam},", LADDER_INTRO, LADDER_POLICY,
        "{leerling.roepnaam} heeft nu stap {ladder.stap} bereikt: {ladder.actie}.", middle,
        "Hebt u vragen, of is er iets waardoor {leerling.roepnaam} moeilijk op tijd kan komen? Neem dan contact "
        "op met {contactpersoon.naam} via {school.telefoon} of {school.email}.", SIGNATURE,
    ])  # fmt: skip
    return DefaultTemplate(f"te_laat_{step}", title, LADDER, subject, body, step)


DEFAULTS: tuple[DefaultTemplate, ...] = (
    _ladder(1, "Te laat komen: stap 1 (gesprek)", "{leerling.naam} komt vaak te laat: uitnodiging voor een gesprek",
            "Wij willen graag met u en {leerling.roepnaam} bespreken hoe {leerling.roepnaam} voortaan op tijd op "
            "school kan zijn. {gesprek.voorstel}"),
    _ladder(2, "Te laat komen: stap 2 (brief)", "{leerling.naam} is dit schooljaar {ladder.keer} keer te laat gekomen",
            "Met deze brief vragen wij u dringend ervoor te zorgen dat {leerling.roepnaam} voortaan op tijd op "
            "school is. De lessen beginnen op tijd, en elke keer te laat telt mee in de ladder hierboven."),
    _ladder(3, "Te laat komen: stap 3 (waarschuwing)", "Waarschuwing: {leerling.naam} komt te vaak te laat",
            "Dit is een waarschuwing. Komt {leerling.roepnaam} nog vaker te laat, dan zet de school de volgende "
            "stap van de ladder. Wij vragen u dringend met ons in gesprek te gaan over wat er nodig is. "
            "{gesprek.voorstel}"),
    _ladder(4, "Te laat komen: stap 4 (leerplichtambtenaar)",
            "Het te laat komen van {leerling.naam} en de leerplichtambtenaar",
            "Omdat het te laat komen ondanks de eerdere stappen doorgaat, geeft de school de leerplichtambtenaar "
            "van de gemeente {leerplichtambtenaar.gemeente} een signaal, via DUO als 'overig verzuim'. Volgens ons "
            "verzuimbeleid informeren wij u daarover vooraf, met deze brief. Een signaal is bedoeld om vroeg samen "
            "met de leerplichtambtenaar te kunnen helpen, niet als straf. De leerplichtambtenaar kan contact met u "
            "opnemen."),
    DefaultTemplate(
        "uitnodiging_zorgelijk", "Uitnodiging: zorgelijk verzuim", WORRYING,
        "Uitnodiging voor een gesprek over het verzuim van {leerling.naam}",
        "\n\n".join([
            "Beste {ouder.naam},",
            "{leerling.roepnaam} uit {groep.naam} is in de periode {verzuim.periode} zonder geldige reden afwezig "
            "geweest of te laat gekomen, samen {verzuim.uren} uur. Daarmee doet zich een situatie voor die wij in "
            "ons verzuimbeleid zorgelijk verzuim noemen:",
            "- {verzuim.regel}",
            "Wij maken ons zorgen en willen graag met u, en waar dat kan met {leerling.roepnaam}, in gesprek: wat "
            "is de oorzaak van het verzuim, en wat is er nodig zodat {leerling.roepnaam} er elke dag op tijd is? "
            "{gesprek.voorstel}",
            "Blijft het verzuim zorgelijk, dan kan de school de leerplichtambtenaar een signaal zorgelijk verzuim "
            "geven. Dat doen wij niet zonder u eerst te informeren. Een signaal is bedoeld om vroeg samen te kunnen "
            "helpen, niet als straf.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
    DefaultTemplate(
        "uitnodiging_zorg", "Uitnodiging: zorgen over ziekteverzuim (MAZL)", CARE,
        "Uitnodiging voor een gesprek over de gezondheid en aanwezigheid van {leerling.naam}",
        "\n\n".join([
            "Beste {ouder.naam},",
            "{leerling.roepnaam} is de laatste tijd vaak ziek gemeld. Ziekte is geoorloofd verzuim: u hebt "
            "{leerling.roepnaam} terecht ziek gemeld. Toch is veel ziekteverzuim een reden om samen te kijken hoe "
            "het met {leerling.roepnaam} gaat. In ons verzuimbeleid staat daarvoor dit moment:",
            "- {verzuim.regel}",
            "Wij willen daarom graag met u praten; het gesprek voert {contactpersoon.naam} "
            "({contactpersoon.functie}). {gesprek.voorstel}",
            "Onze school werkt bij zorgen over ziekteverzuim samen met {jeugdarts}, volgens de landelijke aanpak "
            "MAZL (Medische Advisering van de Ziekgemelde Leerling). Met uw toestemming kunnen wij "
            "{leerling.roepnaam} aanmelden voor een gesprek met de jeugdarts. De jeugdarts is onafhankelijk en "
            "deelt geen medische gegevens met de school zonder uw toestemming. Dit is geen melding aan de "
            "leerplichtambtenaar.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
    DefaultTemplate(
        "melding", "Bericht: melding aan de leerplichtambtenaar", MELDING,
        "Melding van het verzuim van {leerling.naam} aan de leerplichtambtenaar",
        "\n\n".join([
            "Beste {ouder.naam},",
            "Met deze brief laten wij u weten dat de school op {melding.datum} het verzuim van {leerling.roepnaam} "
            "uit {groep.naam} heeft gemeld bij de leerplichtambtenaar van de gemeente "
            "{leerplichtambtenaar.gemeente}, via DUO. {melding.grondslag}",
            "## Wat de school heeft gemeld",
            "- soort melding: {melding.soort}\n- periode: {melding.periode}\n- ongeoorloofd verzuim: {melding.uren} "
            "uur, op {melding.dagen}",
            "In een melding staat alleen ongeoorloofd verzuim. Gegevens over ziekte geeft de school niet door.",
            "## Wat er nu gebeurt",
            "{leerplichtambtenaar.naam} neemt de melding in behandeling en kan u en {leerling.roepnaam} uitnodigen "
            "voor een gesprek. Wij blijven graag met u in gesprek over de aanwezigheid van {leerling.roepnaam}. "
            "Hebt u vragen over deze melding, neem dan contact op met {contactpersoon.naam} via {school.telefoon} "
            "of {school.email}.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
    DefaultTemplate(
        "uitnodiging_gesprek", "Uitnodiging: gepland gesprek", TALK_PLANNED,
        "Uitnodiging voor een gesprek over {leerling.naam}",
        "\n\n".join([
            "Beste {ouder.naam},",
            "Graag nodigen wij u uit voor een gesprek over de aanwezigheid van {leerling.roepnaam} uit "
            "{groep.naam} op school. {gesprek.voorstel}",
            "In het gesprek kijken wij samen naar het verzuim van {leerling.roepnaam} en naar wat er nodig is. Wat "
            "wij bespreken en afspreken, leggen wij vast; u ontvangt daarvan een verslag.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
    DefaultTemplate(
        "verslag_gesprek", "Verslag van een gesprek met afspraken", TALK_HELD,
        "Verslag van ons gesprek op {gesprek.datum} over {leerling.naam}",
        "\n\n".join([
            "Beste {ouder.naam},",
            "Op {gesprek.datum} spraken wij met {gesprek.met} over de aanwezigheid van {leerling.roepnaam}. In deze "
            "brief zetten wij op een rij wat wij bespraken en wat wij samen hebben afgesproken.",
            "## Wat wij bespraken",
            "{gesprek.samenvatting}",
            "## Onze afspraken",
            "{gesprek.afspraken}",
            "## Evaluatie",
            "Op {gesprek.evaluatiedatum} kijken wij samen terug: zijn de afspraken nagekomen, en is de aanwezigheid "
            "van {leerling.roepnaam} verbeterd? Klopt er iets niet in dit verslag, laat het ons dan binnen een week "
            "weten; wij nemen het verslag op in het dossier van {leerling.roepnaam}.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
    DefaultTemplate(
        "herinnering_afspraken", "Herinnering: afspraken niet nagekomen", TALK_HELD,
        "Herinnering aan onze afspraken over {leerling.naam}",
        "\n\n".join([
            "Beste {ouder.naam},",
            "Op {gesprek.datum} maakten wij met {gesprek.met} afspraken over de aanwezigheid van "
            "{leerling.roepnaam}:",
            "{gesprek.afspraken}",
            "Wij zien helaas dat deze afspraken niet (helemaal) worden nagekomen. Wij vragen u dringend contact op "
            "te nemen met {contactpersoon.naam} via {school.telefoon} of {school.email}, zodat wij samen kunnen "
            "bekijken wat er nodig is.",
            "Blijft het verzuim zorgelijk, dan kan de school volgens het verzuimbeleid de leerplichtambtenaar een "
            "signaal geven of, bij 16 uur ongeoorloofd verzuim in vier lesweken, moet zij het verzuim melden. Wij "
            "informeren u daarover vooraf.",
            SIGNATURE,
        ]),
    ),  # fmt: skip
)
DEFAULT_BY_KEY = {t.key: t for t in DEFAULTS}
LADDER_KEYS = [t.key for t in DEFAULTS if t.moment == LADDER]
