"""The sixteen sub-themes of the research model (seed 001 §1.3, "Model schoolbeleid aan-/afwezigheid") as
optional sections of the verzuimbeleid. Where a theme overlaps a mandatory part it adds what that part does
not say and refers to it. Switched on by default: the leave rules (4) and privacy (15), which schools usually
describe in the schoolgids already (seed 004 L731); the others the school switches on itself."""

from __future__ import annotations

from collections.abc import Callable

from verzuimdesk.model.law.leave import AFTER_THE_FACT_DAYS, MAX_LEAVE_DAYS, NOTICE_DAYS_RELIGIOUS
from verzuimdesk.model.policy.inputs import PolicyInputs
from verzuimdesk.model.policy.mandatory import HEADINGS, Roles, cap, ladder_text
from verzuimdesk.model.policy.sections import Section, listing
from verzuimdesk.model.school.reasons import CATEGORY_LABELS
from verzuimdesk.model.security.privacy import ENCRYPTION_FILE, ENCRYPTION_SERVER, PrivacyFacts
from verzuimdesk.model.tables import Category

ON_BY_DEFAULT = {"verlof", "privacy"}
WORDS = {2: "twee", 10: "tien"}


def _n(n: int) -> str:
    return WORDS.get(n, str(n))


def visie(inp: PolicyInputs, r: Roles) -> str:
    return (f"{inp.school_name or 'Onze school'} wil dat iedere leerling elke dag op school is en dat ook graag is. "
            "Wie er niet is, mist onderwijs en contact met klasgenoten. Daarom kijkt de school naar alle afwezigheid "
            "samen: ongeoorloofd verzuim, ziekte en andere geoorloofde afwezigheid. Het doel is dat de school verzuim "
            "vroeg ziet, de oorzaak samen met ouders en leerling zoekt en passende hulp biedt, zodat de leerling "
            "weer volledig aan het onderwijs deelneemt.")  # fmt: skip


def stimuleren(inp: PolicyInputs, r: Roles) -> str:
    return "\n\n".join([
        "Goed onderwijs, een veilig schoolklimaat en aandacht voor de gezondheid van leerlingen zijn de beste "
        "bescherming tegen verzuim. Iedere leerling moet merken dat hij of zij gezien wordt, en gemist wordt als "
        "hij of zij er niet is: de leerkracht begroet de leerlingen bij binnenkomst en vraagt na een afwezigheid "
        "hoe het gaat.",
        "Voor leerlingen die volgens afspraak een deel van de tijd aanwezig zijn, bijvoorbeeld met een "
        "opbouwrooster, registreert de school de aanwezigheid tegen hun eigen rooster. Zo telt alleen de tijd "
        "waarop de leerling werkelijk verwacht wordt, en ziet de school of het opbouwen lukt.",
    ])  # fmt: skip


def communicatie(inp: PolicyInputs, r: Roles) -> str:
    return ("De school maakt dit beleid bekend in de schoolgids en op de website, en bespreekt het actief: bij de "
            "intake of kennismaking met nieuwe ouders, op ouderavonden en in gesprekken met leerlingen. Nieuwe "
            f"medewerkers krijgen bij hun start uitleg van {r.coordinator}. Het team bespreekt het beleid elk "
            "schooljaar bij de start; wijzigingen maakt de school direct bekend, zodat ouders weten welke regels en "
            "afspraken gelden en welke hulp er is.")  # fmt: skip


def verlof(inp: PolicyInputs, r: Roles) -> str:
    s = inp.setting
    ten = _n(MAX_LEAVE_DAYS)
    return "\n\n".join([
        f"Ouders melden afwezigheid van hun kind vóór {s('ziekmelden_voor')} uur, {s('ziekmelden_via')}. Verlof buiten "
        "de schoolvakanties vragen zij vooraf schriftelijk aan bij de directeur. De Leerplichtwet 1969 kent drie "
        "soorten verlof:",
        listing([
            "Vakantieverlof (artikel 11 onder f en artikel 13a): alleen als een leerling door de specifieke aard van "
            "het beroep van een van de ouders niet in de schoolvakanties met het gezin op vakantie kan. Dit verlof mag "
            f"maar één keer per schooljaar worden verleend, voor ten hoogste {ten} schooldagen, en nooit in de eerste "
            "twee lesweken van het schooljaar. Meestal is een werkgeversverklaring nodig.",
            "Verlof wegens gewichtige omstandigheden (artikel 11 onder g en artikel 14), bijvoorbeeld een huwelijk, "
            f"een begrafenis of ernstige ziekte in de familie. De directeur beslist over ten hoogste {ten} "
            f"schooldagen per schooljaar; gaat het om meer dan {ten} schooldagen per schooljaar, dan beslist de "
            "leerplichtambtenaar van de woongemeente, na de directeur gehoord te hebben. Wie geen verlof vooraf kon "
            f"vragen, meldt de reden binnen {_n(AFTER_THE_FACT_DAYS)} dagen.",
            "Vrijstelling voor een religieuze verplichting (artikel 11 onder e en artikel 13): ouders melden dit "
            f"uiterlijk {_n(NOTICE_DAYS_RELIGIOUS)} dagen van tevoren aan de directeur. Dit is een melding, geen "
            "aanvraag: de directeur bevestigt haar, of stelt vast dat zij te laat kwam.",
            "Een leerplichtig kind van vijf jaar mag ten hoogste vijf uur per week thuisblijven als de ouders dat aan "
            "de directeur melden; de directeur kan daarnaast ten hoogste vijf uur per week extra toestaan "
            "(artikel 11a). De school registreert deze uren apart.",
        ]),
        f"Vakantieverlof vragen ouders ten minste {inp.setting('verlof_termijn_weken')} weken van tevoren aan; dat is "
        "een afspraak van de school, geen wettelijke termijn. "
        "De school toetst elke aanvraag aan deze regels voordat de directeur beslist. Ouders krijgen het besluit "
        "schriftelijk, met de wettelijke grond en, bij een weigering, de reden. Tegen het besluit kunnen zij binnen "
        "zes weken bezwaar maken bij wie het besluit nam: de directeur, of bij een doorgestuurde aanvraag de "
        "leerplichtambtenaar (artikel 6:4 Algemene wet bestuursrecht). Vakantie buiten de schoolvakanties zonder verlof is luxe "
        "verzuim; de school moet dat melden bij de leerplichtambtenaar.",
    ])  # fmt: skip


def controle(inp: PolicyInputs, r: Roles) -> str:
    groups: dict[str, list[str]] = {}
    for _code, name, category, _ground in inp.reasons:
        if category != Category.PRESENT.value or name.lower() != "aanwezig":
            groups.setdefault(category, []).append(name)
    order = [Category.AUTHORISED.value, Category.UNAUTHORISED.value, Category.NOT_COUNTED.value, Category.PRESENT.value]
    items = [f"{CATEGORY_LABELS.get(c, c)}: {'; '.join(groups[c])}" for c in order if groups.get(c)]
    return "\n\n".join([
        f"{cap(r.register)} controleert en registreert de aanwezigheid in de klas (zie "
        f"'{HEADINGS['werkwijze']}'). Is de registratie van een les niet op tijd ingevuld, dan vraagt {r.admin} de "
        "leerkracht dat alsnog te doen. Bij elke afwezigheid legt de school een reden vast; de school gebruikt "
        "deze redenen:",
        listing(items),
        "Lesuitval die de school zelf veroorzaakt, telt niet als verzuim van de leerling. Mist een leerling lessen "
        "doordat het leerlingenvervoer te laat of niet kwam, dan is dat geoorloofd verzuim: het telt mee in de "
        "cijfers, niet als ongeoorloofd.",
        ("De school heeft een goedgekeurde afwijking van de onderwijstijd; afstandsonderwijs volgens die afspraak "
         "telt als aanwezigheid." if inp.setting("afwijking_onderwijstijd") == "ja" else
         "Afstandsonderwijs telt als geoorloofde afwezigheid, niet als aanwezigheid: de school heeft geen "
         "goedgekeurde afwijking van de onderwijstijd."),
    ])  # fmt: skip


def nabellen(inp: PolicyInputs, r: Roles) -> str:
    s = inp.setting
    return (f"Elke schooldag vóór {s('tijd_nabellen')} uur vergelijkt {r.admin} de registratie met de meldingen van "
            f"ouders. Ontbreekt de registratie van een les, dan wordt de leerkracht gevraagd die aan te vullen. Is een "
            f"leerling afwezig zonder bericht, dan belt {r.caller} de ouders; lukt dat niet, dan probeert de school "
            "het later die dag opnieuw. Elke poging en de uitkomst worden vastgelegd.")  # fmt: skip


def analyse(inp: PolicyInputs, r: Roles) -> str:
    return (f"{cap(r.coordinator)} analyseert {inp.setting('analyse_frequentie')} de aan- en afwezigheid per leerling, "
            "per groep en voor de hele school, en let op patronen: welke leerlingen, welke dagen en lesuren, welke "
            "redenen. De analyse leidt tot kritische vragen, zoals: waarom is het verzuim in deze groep hoger dan in "
            "een andere, en wat is de oorzaak van het verzuim van deze leerling? Zie ook "
            f"'{HEADINGS['oorzaken']}'.")  # fmt: skip


def rollen_stimuleren(inp: PolicyInputs, r: Roles) -> str:
    return ("Iedere medewerker van de school draagt bij aan goede aanwezigheid: door leerlingen persoonlijk te "
            "begroeten, afwezigheid op te merken en te benoemen, en ouders vroeg te betrekken. De leerkracht is voor "
            f"ouders het eerste aanspreekpunt; {r.coordinator} ondersteunt de leerkrachten en houdt het overzicht.")


def rollen_stappen(inp: PolicyInputs, r: Roles) -> str:
    m = inp.meldingen
    return "\n\n".join([
        "Per soort afwezigheid zet de school deze stappen:",
        listing([
            f"Ongeoorloofd verzuim: contact met de ouders dezelfde dag. Bij 16 uur ongeoorloofd verzuim binnen vier "
            "opeenvolgende lesweken meldt de school onverwijld via DUO bij de leerplichtambtenaar (artikel 21a "
            "Leerplichtwet 1969); elke volgende 16 uur is een nieuwe melding. Bij meer dan "
            f"{m.lrv_weeks} weken aaneengesloten ongeoorloofd verzuim volgt opnieuw een melding.",
            "Luxe verzuim (vakantie zonder verlof): altijd een melding bij de leerplichtambtenaar.",
            f"Zorgelijk verzuim onder de meldgrens: een gesprek en zo nodig een signaal (zie '{HEADINGS['zorgelijk']}').",
            f"Ziekteverzuim: bij een zorgsignaal een gesprek van {r.care} met de ouders en zo nodig de jeugdarts; "
            "nooit een melding.",
        ]),
        ladder_text(inp.lateness),
        f"Is meer nodig dan een gesprek, dan maakt {r.care} samen met de ouders een plan van aanpak voor de "
        "leerling, met afspraken, wie wat doet en een datum waarop het plan wordt geëvalueerd.",
    ])  # fmt: skip


def toerusting(inp: PolicyInputs, r: Roles) -> str:
    return ("Wie een taak heeft bij de aanpak van verzuim, krijgt daar tijd en ondersteuning voor. Nieuwe "
            "medewerkers leren hoe zij de aanwezigheid registreren. Leerkrachten kunnen voor gesprekken met ouders "
            f"over verzuim een beroep doen op {r.care}. De periodieke analyse en de jaarlijkse evaluatie worden "
            "ondersteund door overzichten uit de verzuimregistratie.")  # fmt: skip


def ouders(inp: PolicyInputs, r: Roles) -> str:
    return ("Ouders en leerlingen spelen de belangrijkste rol bij goede aanwezigheid. De school neemt niet pas contact "
            "op als het misgaat, maar al bij de eerste afwezigheidsmelding, en vraagt hoe het met de leerling gaat. "
            "Ouders en leerlingen denken via de medezeggenschapsraad mee over dit beleid: de ouder- en "
            "leerlinggeleding van de medezeggenschapsraad stemt in met de schoolgids, en daarmee met dit "
            "verzuimbeleid, en bespreekt de jaarlijkse evaluatie.")  # fmt: skip


def partners(inp: PolicyInputs, r: Roles) -> str:
    return ("Met de leerplichtambtenaar, het samenwerkingsverband en de jeugdgezondheidszorg heeft de school vaste "
            "contactpersonen (zie 'Samenwerking met partners'). Zij overleggen periodiek, maken kennis wanneer er "
            "nieuwe gezichten zijn en evalueren jaarlijks de samenwerking. Voor een individuele leerling maken zij "
            "afspraken over ieders rol, de termijnen en de terugkoppeling. Gegevens deelt de school alleen binnen de "
            "wet: een melding of signaal aan de leerplichtambtenaar bevat alleen ongeoorloofd verzuim; over ziekte "
            "praat de school alleen met toestemming van de ouders met de jeugdarts.")  # fmt: skip


def langdurig(inp: PolicyInputs, r: Roles) -> str:
    care = ("De school geeft een zorgsignaal in deze gevallen:\n" + listing([c.description for c in inp.care])
            if inp.care else "De school heeft geen vaste regels voor zorgsignalen ingesteld.")
    return "\n\n".join([
        "Sommige leerlingen kunnen (tijdelijk) niet volledig naar school, bijvoorbeeld door langdurige ziekte. Voor "
        "hen zoekt de school samen met de ouders naar een passende oplossing, zoals een opbouwrooster of onderwijs "
        "op afstand, en maakt zij afspraken met het samenwerkingsverband, de jeugdarts en de leerplichtambtenaar. "
        "Onderwijs op afstand volgens afspraak telt als aanwezigheid.",
        f"Ziekteverzuim volgt de school met de aanpak MAZL. {care}",
    ])  # fmt: skip


def naleving(inp: PolicyInputs, r: Roles) -> str:
    return (f"{cap(r.coordinator)} controleert elke maand of de registratie volledig is: zijn alle lessen ingevuld, "
            "heeft elke afwezigheid een reden en zijn de signalen en meldingen op tijd afgehandeld? Jaarlijks in "
            f"{inp.setting('evaluatie_maand')} evalueert de school hoe het beleid werkt en in hoeverre de plannen van "
            "aanpak zijn uitgevoerd en het verzuim hebben teruggedrongen; waar nodig stelt zij het beleid bij.")


def privacy(inp: PolicyInputs, r: Roles) -> str:
    """Generated from what the program really does (issue 11 point 6): the roles in use, the lock, the
    retention period of the purge, who encrypts the data and how parents ask for inzage."""
    facts = inp.privacy
    years = inp.setting("bewaartermijn_jaren")
    return "\n\n".join([
        "De school gaat zorgvuldig om met de gegevens over aan- en afwezigheid, volgens de Algemene verordening "
        "gegevensbescherming (AVG). Gegevens over ziekte zijn gezondheidsgegevens, een bijzondere categorie "
        "persoonsgegevens. Overzichten voor ouders en collega's vermelden redenen van ziekte alleen als dat voor "
        "het gesprek nodig is.",
        _access(facts),
        "De school deelt niet meer dan nodig is. Een verzuimmelding of signaal aan de leerplichtambtenaar bevat "
        "alleen ongeoorloofd verzuim, nooit gegevens over ziekte. De cijfers die de school aan DUO levert en de "
        "overzichten voor de medezeggenschapsraad zijn aantallen zonder namen, leerlingnummers of andere gegevens "
        "waarmee een leerling te herkennen is.",
        _storage(facts),
        f"De school bewaart de verzuimgegevens van een leerling tot {years} jaar nadat de leerling de school heeft "
        "verlaten; dat is de gebruikelijke termijn voor verzuimgegevens in het primair en voortgezet onderwijs. "
        "Daarna verwijdert de school de registraties, brieven, meldingen en gespreksverslagen van die leerling; "
        "alleen cijfers zonder namen en wat al aan DUO is geleverd, blijven bestaan.",
        f"Ouders kunnen inzage vragen in alles wat de school over de aan- en afwezigheid van hun kind heeft "
        f"vastgelegd, via {inp.setting('inzage_via')}. Zij krijgen binnen een maand een volledig overzicht. Staat "
        "er iets onjuists in, dan verbetert de school het; ouders kunnen ook vragen gegevens te verwijderen, "
        "behalve wat de school volgens de wet moet bewaren. Jaarlijks beoordeelt de school of de gegevens goed "
        "beveiligd zijn.",
    ])  # fmt: skip


ROLE_TEXT = {
    "beheerder": ("de beheerder", "de beheerders", "alles inzien en instellen"),
    "ib": ("de intern begeleider", "de intern begeleiders",
           "het register van alle groepen, de overzichten, de signalen en het leerlingdossier inzien; geen "
           "instellingen wijzigen"),
    "leerkracht": ("een leerkracht", "de leerkrachten",
                   "alleen het register van de eigen groep invullen en nabellen; geen leerlingdossiers en geen "
                   "redenen van ziekte van leerlingen uit andere groepen zien"),
}


def _access(facts: PrivacyFacts) -> str:
    if not facts.roles:
        return ("De verzuimregistratie wordt alleen gebruikt door de administratie van de school; ook zij werkt "
                "met een eigen account en wachtwoord.")  # fmt: skip
    parts = []
    for key, count in facts.roles:
        one, many, what = ROLE_TEXT.get(key, (key, key, ""))
        parts.append(f"{one if count == 1 else f'{many} ({count})'}: {what}")
    return ("Alleen medewerkers die de gegevens voor hun taak nodig hebben, kunnen ze inzien. Iedere gebruiker "
            "logt in met een eigen account en wachtwoord, en de verzuimregistratie legt vast wie wat heeft gedaan. "
            f"Na {facts.idle_minutes} minuten zonder gebruik vergrendelt de verzuimregistratie zich, en na "
            f"{facts.max_attempts} mislukte inlogpogingen wordt een account tijdelijk geblokkeerd. Wie wat mag:\n"
            + listing(parts))  # fmt: skip


def _storage(facts: PrivacyFacts) -> str:
    if facts.encryption == ENCRYPTION_SERVER:
        return ("De gegevens staan in een database op een server van het schoolbestuur; het bestuur beveiligt die "
                "server en zorgt voor versleutelde opslag en reservekopieën.")  # fmt: skip
    if facts.encryption == ENCRYPTION_FILE:
        return ("De gegevens staan in een bestand op een computer van de school, dat alleen leesbaar is voor het "
                "account van de computer waarmee de school de verzuimregistratie bijhoudt. De verzuimregistratie "
                "versleutelt dit bestand en de reservekopieën ervan: alleen wie inlogt met een eigen account en "
                "wachtwoord kan het openen. De herstelcode voor een vergeten wachtwoord bewaart de school op een "
                "veilige plek, apart van de computer.")  # fmt: skip
    return ("De gegevens staan in een bestand op een computer van de school, dat alleen leesbaar is voor het "
            "account van de computer waarmee de school de verzuimregistratie bijhoudt. Het bestand wordt niet door de "
            "verzuimregistratie zelf versleuteld; "
            "de school beschermt het met de beveiliging van de computer: een eigen inlog en versleuteling van de "
            "harde schijf.")  # fmt: skip


def verantwoording(inp: PolicyInputs, r: Roles) -> str:
    return ("Elk schooljaar legt de school verantwoording af over de uitvoering van dit beleid: in het jaarverslag "
            "over verzuim staan de cijfers per kwartaal, de meldingen en signalen en de resultaten van de "
            "interventies. Het team reflecteert op wat het heeft geleerd van de analyses en de interventies en welke "
            "verbeteringen dat heeft opgeleverd. De directie bespreekt het verslag met het bestuur en de "
            "medezeggenschapsraad.")  # fmt: skip


THEMES: tuple[tuple[str, str, Callable[[PolicyInputs, Roles], str]], ...] = (
    ("visie", "Visie en doel", visie),
    ("stimuleren", "Beleid om aanwezigheid te stimuleren", stimuleren),
    ("communicatie", "Communicatie over het beleid", communicatie),
    ("verlof", "Afwezigheid melden en verlof aanvragen", verlof),
    ("controle", "Controle van de aanwezigheid in de klas", controle),
    ("nabellen", "Dagelijkse check en nabellen", nabellen),
    ("analyse", "Periodieke analyse van afwezigheid", analyse),
    ("rollen_stimuleren", "Rollen bij het stimuleren van aanwezigheid", rollen_stimuleren),
    ("rollen_stappen", "Rollen en stappen per soort afwezigheid", rollen_stappen),
    ("toerusting", "Toerusting en ondersteuning van medewerkers", toerusting),
    ("ouders", "Betrokkenheid van ouders en leerlingen", ouders),
    ("partners", "Afspraken met externe partners", partners),
    ("langdurig", "Leerlingen die langdurig afwezig zijn", langdurig),
    ("naleving", "Monitoring van de naleving van het beleid", naleving),
    ("privacy", "Privacy en bewaartermijnen", privacy),
    ("verantwoording", "Verantwoording en reflectie", verantwoording),
)


def theme_sections(inp: PolicyInputs) -> list[Section]:
    return [Section(key, heading, build(inp, Roles(inp)), False, key in ON_BY_DEFAULT) for key, heading, build in THEMES]
