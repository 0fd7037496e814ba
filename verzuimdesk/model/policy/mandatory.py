"""The six mandatory parts of the verzuimbeleid (domain.md §9; seed 004 §1.2, reconstructed headings) as Dutch
prose made from :class:`~verzuimdesk.model.policy.text.PolicyInputs`. Pure functions: same inputs, same text."""

from __future__ import annotations

from verzuimdesk.model.law.leave import MAX_LEAVE_DAYS
from verzuimdesk.model.law.signals.policy import LatenessPolicy
from verzuimdesk.model.policy.inputs import PolicyInputs
from verzuimdesk.model.policy.sections import Section, join, listing, pct
from verzuimdesk.model.tables import Sector

MANDATORY_KEYS = ("werkwijze", "taakverdeling", "oorzaken", "monitoring", "samenwerking", "zorgelijk")
HEADINGS = {
    "werkwijze": "Werkwijze na constatering van verzuim",
    "taakverdeling": "Taakverdeling binnen de school",
    "oorzaken": "Analyse van de oorzaken van verzuim",
    "monitoring": "Monitoring en evaluatie van verzuim en verzuimbeleid",
    "samenwerking": "Samenwerking met partners",
    "zorgelijk": "Signaal zorgelijk verzuim",
}
UNIT_TEXT = {"les": ("per les", "aan het begin van elke les"),
             "klokuur": ("per klokuur", "aan het begin van elk klokuur"),
             "dagdeel": ("per dagdeel", "aan het begin van elk dagdeel")}  # fmt: skip


class Roles:
    """Who does what, in words, from the settings (empty settings fall back to a function name).

    A person is named once per section: the first mention reads "de directeur (A. Verbeek)", the next ones
    "de directeur", as a person would write it. Each section gets its own ``Roles``, so a section read (or
    regenerated) on its own still names everyone it mentions."""

    def __init__(self, inp: PolicyInputs) -> None:
        s = inp.setting
        director = ("de directeur", inp.director)
        self._people = {
            "director": director,
            "admin": ("de administratie", s("gebruiker")),
            "coordinator": ("de verzuimcoördinator", s("rol_verzuimcoordinator"))
            if s("rol_verzuimcoordinator") else director,
            "ib": ("de intern begeleider", s("rol_ib")),
        }  # fmt: skip
        self._named: set[str] = set()
        self.has_ib = bool(s("rol_ib"))
        vso = inp.sector == Sector.VSO.value
        self.register = s("rol_register") or ("de docent" if vso else "de groepsleerkracht")
        self._caller = s("rol_nabellen")
        self.caller_is_admin = not self._caller
        self.melder = f"{s('gebruiker')} ({s('melder_functie')})" if s("gebruiker") else f"de {s('melder_functie')}"

    def _mention(self, role: str) -> str:
        function, name = self._people[role]
        if not name or name in self._named:
            return function
        self._named.add(name)
        return f"{function} ({name})"

    @property
    def director(self) -> str:
        return self._mention("director")

    @property
    def admin(self) -> str:
        return self._mention("admin")

    @property
    def coordinator(self) -> str:
        return self._mention("coordinator")

    @property
    def ib(self) -> str:
        return self._mention("ib") if self.has_ib else ""

    @property
    def care(self) -> str:
        """Who holds the conversations about care signals."""
        return self.ib if self.has_ib else self.coordinator

    @property
    def caller(self) -> str:
        return self._caller or self.admin


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def ladder_text(policy: LatenessPolicy) -> str:
    """The lateness ladder as a lead sentence and a list (or one sentence when it is switched off)."""
    if not policy.ladder_enabled or not policy.ladder:
        return "De school hanteert voor te laat komen geen vaste ladder van stappen; zij beoordeelt elk geval apart."
    items = [f"bij de {step.times}e keer te laat in een schooljaar: {step.action}" for step in policy.ladder]
    return ("Voor ongeoorloofd te laat komen volgt de school per schooljaar deze ladder; de school houdt bij "
            "hoe vaak een leerling te laat komt en zet bij elke keer de stap die erbij hoort:\n" + listing(items))  # fmt: skip


def werkwijze(inp: PolicyInputs, r: Roles) -> str:
    s = inp.setting
    units = [u for u in inp.register_units if u in UNIT_TEXT] or ["les"]
    when = UNIT_TEXT[units[0]][1] if len(units) == 1 else join([UNIT_TEXT[u][0] for u in units]) + \
        ", afhankelijk van de groep"
    m = inp.meldingen
    luxe = "ongeoorloofde afwezigheid direct voor of na een schoolvakantie" + (
        " of een lang weekend" if m.luxe_long_weekend else "")
    if m.luxe_refused_leave:
        luxe = f"aanwijzingen daarvoor zijn {luxe}, en afwezigheid in een periode waarvoor verlof is aangevraagd en " \
               "geweigerd"
    else:
        luxe = f"een aanwijzing daarvoor is {luxe}"
    return "\n\n".join([
        "## Hoe de school verzuim opmerkt",
        f"Ouders of verzorgers melden ziekte of andere afwezigheid van hun kind vóór {s('ziekmelden_voor')} uur, "
        f"{s('ziekmelden_via')}. Dat vraagt de school. De wet zegt dat ouders ziekte van hun kind uiterlijk binnen "
        "twee dagen aan de directeur laten weten, zo mogelijk met de aard van de ziekte (artikel 12 van de "
        "Leerplichtwet 1969). Verlof vragen ouders vooraf aan bij de directeur; vakantieverlof ten minste "
        f"{s('verlof_termijn_weken')} weken van tevoren (een afspraak van de school, geen wettelijke termijn).",
        f"{cap(r.register)} registreert de aanwezigheid {when}; de absentie van het eerste uur staat uiterlijk "
        f"om {s('tijd_register')} uur in het verzuimregister. Voor elke leerling en elk uur op het eigen rooster van "
        "de leerling staat daarmee vast of de leerling aanwezig, geoorloofd afwezig of ongeoorloofd afwezig is. "
        "Geoorloofd is verzuim op een van de gronden van artikel 11 van de Leerplichtwet, zoals ziekte of verleend "
        "verlof; al het andere verzuim is ongeoorloofd.",
        "## Dagelijkse controle en nabellen",
        f"Elke ochtend legt {r.admin} de registratie naast de meldingen van ouders. Is een leerling afwezig zonder "
        f"bericht, dan neemt {'de administratie' if r.caller_is_admin else r.caller} uiterlijk om {s('tijd_nabellen')} uur contact op met de ouders. Zolang de "
        "reden onbekend is, staat de afwezigheid als 'reden onbekend' en dus als ongeoorloofd in het register; na het "
        "contact legt de school de werkelijke reden vast. Te laat komen zonder geldige reden is ongeoorloofd verzuim. "
        f"{inp.lateness.describe()}",
        "## Wat de school doet bij verzuim",
        "Bij ongeoorloofd verzuim spreekt de school de leerling en de ouders zo snel mogelijk aan, bij voorkeur "
        "dezelfde dag. Ook ongeoorloofd verzuim onder de wettelijke meldgrens kan zorgelijk zijn; wat de school "
        "daaronder verstaat en wanneer zij de leerplichtambtenaar een signaal geeft, staat in het onderdeel "
        f"'{HEADINGS['zorgelijk']}'.",
        "Bereikt het ongeoorloofd verzuim 16 uur les- of praktijktijd binnen vier opeenvolgende lesweken, dan meldt de "
        "school dit onverwijld via DUO aan de leerplichtambtenaar van de woongemeente van de leerling (artikel 21a van "
        f"de Leerplichtwet 1969); de school stelt zo'n melding op binnen {s('termijn_melding')} dagen nadat de 16 uur "
        "zijn bereikt. Daarna begint de telling opnieuw: elke volgende 16 uur is een nieuwe melding. Is een leerling "
        f"langer dan {m.lrv_weeks} weken aaneengesloten ongeoorloofd afwezig, dan meldt de school dat opnieuw "
        "(langdurig relatief verzuim). Ook vermoedelijk luxe verzuim, een vakantie buiten de schoolvakanties zonder "
        f"verlof, meldt de school; {luxe}.",
    ])  # fmt: skip


def taakverdeling(inp: PolicyInputs, r: Roles) -> str:
    s = inp.setting
    ib = (f"{cap(r.ib)} voert de gesprekken met ouders bij zorgsignalen over ziekteverzuim, stelt waar nodig samen met "
          "de ouders een plan van aanpak op en betrekt het samenwerkingsverband en de jeugdarts." if r.has_ib else
          f"De school heeft geen aparte intern begeleider voor verzuim: de gesprekken bij zorgsignalen voert "
          f"{r.coordinator}, die ook het samenwerkingsverband en de jeugdarts betrekt.")  # fmt: skip
    return "\n\n".join([
        f"Op {inp.school_name or 'onze school'} is duidelijk wie welke stap zet. {cap(r.register)} registreert de "
        "aanwezigheid en bespreekt opvallend verzuim met de leerling. "
        f"{cap(r.admin)} verwerkt de meldingen van ouders, houdt het verzuimregister bij en zorgt dat elke "
        "afwezigheid een reden krijgt" + ("; ook belt de administratie de ouders na wanneer een leerling zonder "
                                          "bericht afwezig is." if r.caller_is_admin else
                                          f"; de ouders van een leerling die zonder bericht afwezig is, belt {r.caller}."),
        f"{cap(r.director)} beslist over verlofaanvragen tot en met {_ten()} schooldagen per schooljaar, is "
        "eindverantwoordelijk voor het verzuimbeleid en ziet erop toe dat verplichte meldingen op tijd gebeuren. "
        f"Verzuimmeldingen en signalen zorgelijk verzuim stelt {r.melder} op en dient die via DUO in bij de "
        f"leerplichtambtenaar; de melding noemt deze persoon als melder.",
        f"{cap(r.coordinator)} bewaakt dagelijks de signalen uit de verzuimregistratie, voert de periodieke analyse "
        f"uit ({s('analyse_frequentie')}) en is het vaste aanspreekpunt voor de leerplichtambtenaar. {ib}",
    ])  # fmt: skip


def _ten() -> str:
    return "tien" if MAX_LEAVE_DAYS == 10 else str(MAX_LEAVE_DAYS)


def oorzaken(inp: PolicyInputs, r: Roles) -> str:
    return "\n\n".join([
        "De school kijkt niet alleen naar hoeveel een leerling verzuimt, maar vooral naar waarom. "
        f"{cap(r.coordinator)} bekijkt {inp.setting('analyse_frequentie')} het verzuim per leerling, per groep, per "
        "weekdag en lesuur en per reden, en zoekt naar patronen: verzuim op steeds dezelfde dag of in het eerste "
        "uur, vaak kort ziek zijn, verzuim rond vakanties en verzuim dat in de eerste maanden van het schooljaar "
        "oploopt. Zulke patronen wijzen vaak op een oorzaak die om een andere aanpak vraagt dan een waarschuwing.",
        f"Bij een signaal of oplopend verzuim voert {r.care} een gesprek met de ouders en, waar dat kan, met de "
        "leerling zelf. Samen zoeken zij naar de oorzaak: gaat het om de gezondheid van de leerling, om de situatie "
        "thuis (bijvoorbeeld een broertje of zusje naar school brengen), om de sfeer in de groep of pesten, om het "
        "onderwijs zelf, of om iets anders? Wat het gesprek oplevert en welke afspraken zijn gemaakt, legt de school "
        "vast in het dossier van de leerling.",
        "Voor het gesprek gebruikt de school een overzicht per leerling met het aanwezigheidspercentage, de uren per "
        "soort verzuim, het patroon per weekdag en lesuur en de vergelijking met de groep. Bij veel of langdurig "
        "ziekteverzuim kan de school de jeugdarts vragen mee te kijken naar de oorzaak (zie de samenwerking met "
        "partners).",
    ])  # fmt: skip


def monitoring(inp: PolicyInputs, r: Roles) -> str:
    t = inp.tiers
    over = "over het schooljaar tot dan toe" if t.weeks is None else f"over de laatste {t.weeks} weken"
    s = inp.setting
    return "\n\n".join([
        "De school volgt de aanwezigheid van iedere leerling doorlopend en deelt elke leerling in op een van "
        "drie niveaus, berekend uit al het verzuim (geoorloofd en ongeoorloofd samen) als deel van de lestijd "
        f"van de leerling, {over}:",
        listing([f"niveau 1, goede aanwezigheid: minder dan {pct(t.niveau2_from)} % verzuim;",
                 f"niveau 2, beginnend verzuim: van {pct(t.niveau2_from)} % tot {pct(t.niveau3_from)} %;",
                 f"niveau 3, chronisch verzuim: {pct(t.niveau3_from)} % of meer."]),
        "Leerlingen op niveau 2 krijgen extra aandacht van de leerkracht en een gesprek met de ouders; voor "
        f"leerlingen op niveau 3 maakt {r.care} samen met de ouders een plan van aanpak. Elke interventie krijgt bij "
        "de start een datum waarop de school haar evalueert: heeft zij gewerkt, en was zij op tijd?",
        f"{cap(r.coordinator)} bespreekt de cijfers per groep en voor de hele school elk kwartaal met het team. "
        f"Elk schooljaar in {s('evaluatie_maand')} evalueert de school het verzuimbeleid met een jaarverslag uit de "
        "verzuimregistratie: de cijfers per kwartaal, de signalen en meldingen en of die op tijd zijn afgehandeld (een melding "
        f"binnen {s('termijn_melding')} dagen, een signaal binnen {s('termijn_signaal')} dagen), en de ingezette "
        "interventies met hun uitkomst. Daarbij stelt de school zich de vragen: is het verzuim op tijd opgemerkt, "
        "waren de interventies tijdig en effectief, en wat moet anders? De uitkomst bespreekt de school met het team "
        "en met de medezeggenschapsraad; waar nodig past zij dit beleid aan.",
    ])  # fmt: skip


def samenwerking(inp: PolicyInputs, r: Roles) -> str:
    s = inp.setting
    if inp.contacts:
        people = [f"voor leerlingen uit {c.gemeente}: {c.name or 'de leerplichtambtenaar'}"
                  + "".join(f", {label} {value}" for label, value in (("telefoon", c.phone), ("e-mail", c.email),
                                                                       ("adres", c.address)) if value)
                  for c in inp.contacts]  # fmt: skip
        lpa = "De leerplichtambtenaren met wie de school samenwerkt, zijn:\n" + listing(people)
    else:
        lpa = "De school werkt samen met de leerplichtambtenaar van de woongemeente van de leerling."
    swv = inp.swv or "het samenwerkingsverband passend onderwijs in de regio"
    swv_contact = f" Het contact loopt via {inp.swv_contact}." if inp.swv_contact else ""
    doctor = s("jeugdarts") or "de jeugdarts van de jeugdgezondheidszorg (GGD)"
    team = s("wijkteam") or "het wijkteam of sociaal team van de gemeente"
    care = ("De school let bij ziekteverzuim op deze gevallen en geeft dan een zorgsignaal:\n" + listing([c.description for c in inp.care])
            if inp.care else "De school heeft geen vaste regels voor zorgsignalen bij ziekteverzuim ingesteld.")
    return "\n\n".join([
        "## Leerplichtambtenaar",
        lpa,
        "De school neemt bij zorgen over het verzuim van een leerling vroeg contact op met de leerplichtambtenaar, "
        f"ook wanneer een melding (nog) niet nodig is. {cap(r.coordinator)} is het aanspreekpunt; afspraken over een "
        "leerling legt de school vast in het dossier.",
        "## Samenwerkingsverband",
        f"De school is aangesloten bij {swv}.{swv_contact} Wanneer verzuim samenhangt met een ondersteuningsbehoefte "
        f"van de leerling, betrekt {r.care} het samenwerkingsverband bij het plan van aanpak.",
        "## Jeugdarts en ziekteverzuim",
        f"Bij zorgen over ziekteverzuim werkt de school samen met {doctor}, volgens de landelijke aanpak MAZL. {care}",
        f"Een zorgsignaal leidt tot een gesprek van {r.care} met de ouders en zo nodig tot een verwijzing naar de "
        "jeugdarts, met toestemming van de ouders. Een zorgsignaal gaat nooit als melding naar de "
        "leerplichtambtenaar: ziekte is geoorloofd verzuim.",
        "## Wijkteam",
        f"Spelen er zorgen in het gezin, dan kan de school de ouders wijzen op {team}, en met toestemming van de "
        "ouders samen met hen optrekken.",
    ])  # fmt: skip


def zorgelijk(inp: PolicyInputs, r: Roles) -> str:
    if inp.worrying:
        rules = ("Ongeoorloofd verzuim onder de wettelijke meldgrens van 16 uur in vier lesweken kan toch zorgelijk "
                 "zijn. De school verstaat onder zorgelijk verzuim de volgende situaties en let "
                 "in haar verzuimregistratie precies op deze situaties:\n" + listing([w.description for w in inp.worrying]))  # fmt: skip
    else:
        rules = ("De school heeft geen situaties van zorgelijk verzuim vastgelegd en geeft daarom geen signaal "
                 "zorgelijk verzuim aan de leerplichtambtenaar.")
    return "\n\n".join([
        rules,
        f"Doet zo'n situatie zich voor, dan bespreekt {r.coordinator} het verzuim eerst met de leerling en de ouders. "
        "Blijft het verzuim zorgelijk, dan kan de school de leerplichtambtenaar een signaal zorgelijk verzuim geven, "
        "via DUO als 'overig verzuim'. De school informeert de ouders voordat zij een signaal geeft. Een signaal gaat "
        "alleen over ongeoorloofd verzuim en alleen over de situaties die hier staan beschreven; het is bedoeld om "
        "vroeg samen met de leerplichtambtenaar te kunnen helpen, niet als straf.",
        ladder_text(inp.lateness),
    ])  # fmt: skip


BUILDERS = {"werkwijze": werkwijze, "taakverdeling": taakverdeling, "oorzaken": oorzaken, "monitoring": monitoring,
            "samenwerking": samenwerking, "zorgelijk": zorgelijk}  # fmt: skip


def mandatory_sections(inp: PolicyInputs) -> list[Section]:
    return [Section(key, HEADINGS[key], BUILDERS[key](inp, Roles(inp)), True) for key in MANDATORY_KEYS]
