"""The bad-input corpus: malformed, hostile and plausible-but-wrong files for the five import kinds.

Each case is a file that must be refused, with the Dutch fragment its message must contain. The files are
generated (at test time, into a temporary folder) from small valid bases and the EDEXML sample in
tests/fixtures; nothing generated is committed. The database the cases run against is the small school
of tests/builders.py (BRIN 99ZZ, school year 2025-2026, groups g5 and g12 with pupils 1001-1003 and 2001;
1001 has BSN 111222333).

    python -m tests.imports.corpus.make_corpus MAP     writes the corpus into MAP (to look at it)
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SAMPLE = (FIXTURES / "edexml" / "EDEXML.Voorbeeld.2.1.xml").read_text(encoding="utf-8")
EXAMPLE_TOML = (Path(__file__).resolve().parents[3] / "resources" / "voorbeeld-schoolinrichting.toml").read_text(
    encoding="utf-8")
CSV_LIMIT = 131072 + 10  # one more than the csv module's field limit


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # edexml, leerlingen, groepen, inrichting, verzuim
    suffix: str
    content: Callable[[], bytes]
    expected: str  # a fragment of the Dutch message


CASES: list[Case] = []


def case(name: str, kind: str, suffix: str, expected: str, content: Callable[[], bytes]) -> None:
    CASES.append(Case(name, kind, suffix, content, expected))


# ------------------------------------------------------------------------------------------- EDEXML


def edex(old: str, new: str, count: int = 1) -> Callable[[], bytes]:
    def make() -> bytes:
        assert old in SAMPLE, old
        return SAMPLE.replace(old, new, count).encode("utf-8")
    return make


def raw(data: bytes) -> Callable[[], bytes]:
    return lambda: data


WIMPIE = "<roepnaam>Wimpie</roepnaam>"
BIRTH = "<geboortedatum>2006-06-21</geboortedatum>"
for name, expected, content in [
    ("leeg", "leeg", raw(b"")),
    ("afgebroken", "onvolledig", lambda: SAMPLE.encode()[: len(SAMPLE) // 2]),
    ("geen-utf8", "UTF-8", lambda: SAMPLE.replace("Ismaël", "Ismaël").encode("utf-8").replace(
        "ë".encode(), "ë".encode("latin-1"))),
    ("ander-hoofdelement", "geen EDEXML-bestand", raw(b"<?xml version='1.0'?><LEERLINGEN><leerling/></LEERLINGEN>")),
    ("geen-brincode", "brincode ontbreekt", edex("<brincode>99ZZ</brincode>", "")),
    ("lege-brincode", "brincode ontbreekt", edex("<brincode>99ZZ</brincode>", "<brincode></brincode>")),
    ("andere-brin", "BRIN 12AB", edex("<brincode>99ZZ", "<brincode>12AB")),
    ("ongeldige-brin", "geen geldige BRIN-code", edex("<brincode>99ZZ", "<brincode>9ZZZ")),
    ("peildatum-30-februari", "peildatum", edex("<peildatum>2014-10-01", "<peildatum>2014-02-30")),
    ("peildatum-tekst", "peildatum", edex("<peildatum>2014-10-01", "<peildatum>gisteren")),
    ("peildatum-1850", "peildatum", edex("<peildatum>2014-10-01", "<peildatum>1850-10-01")),
    ("diep-genest", "te diep genest", edex(WIMPIE, WIMPIE + "<a>" * 300 + "</a>" * 300)),
    ("onbekende-entiteit", "entiteit", edex(WIMPIE, "<roepnaam>&wimpie;</roepnaam>")),
    ("stuurteken-charref", "XML", edex(WIMPIE, "<roepnaam>Wim&#1;pie</roepnaam>")),
    ("tab-in-naam", "stuurteken", edex(WIMPIE, "<roepnaam>Wim&#9;pie</roepnaam>")),
    ("regeleinde-in-naam", "stuurteken", edex("<achternaam>Hof</achternaam>", "<achternaam>H\nof</achternaam>")),
    ("leesrichting-in-naam", "stuurteken", edex(WIMPIE, "<roepnaam>Wim\u202epie</roepnaam>")),
    ("naam-te-lang", "tekens lang", edex(WIMPIE, f"<roepnaam>{'W' * 150}</roepnaam>")),
    ("key-te-lang", "tekens lang", edex('<leerling key="12345">', f'<leerling key="{"9" * 80}">')),
    ("geboren-1985", "kan niet kloppen", edex(BIRTH, "<geboortedatum>1985-06-21</geboortedatum>")),
    ("geboren-in-de-toekomst", "kan niet kloppen", edex(BIRTH, f"<geboortedatum>{dt.date.today().year + 1}"
                                                              "-06-21</geboortedatum>")),
    ("instroom-voor-geboorte", "te kort na", edex("<instroomdatum>2010-08-19", "<instroomdatum>2005-08-19")),
    ("uitstroom-ver-vooruit", "kan niet kloppen", edex("<uitstroomdatum>2014-07-18",
                                                        f"<uitstroomdatum>{dt.date.today().year + 5}-07-18")),
    ("uitstroom-voor-instroom", "vóór de inschrijving", edex("<uitstroomdatum>2014-07-18", "<uitstroomdatum>2010-07-18")),
    ("maand-13", "geen datum", edex(BIRTH, "<geboortedatum>2006-13-01</geboortedatum>")),
    ("superscript-cijfer", "geen datum", edex(BIRTH, "<geboortedatum>²006-06-21</geboortedatum>")),
    ("jaar-0000", "geen datum", edex(BIRTH, "<geboortedatum>0000-06-21</geboortedatum>")),
    ("jaar-99999", "geen datum", edex(BIRTH, "<geboortedatum>99999-06-21</geboortedatum>")),
    ("dubbele-groepsleutel", "twee keer", edex('<groep key="002">', '<groep key="001">')),
    ("dubbele-vestigingsleutel", "twee keer", edex('<vestiging key="VB">', '<vestiging key="VH">')),
    ("dubbele-leerlingsleutel", "twee keer", edex('<leerling key="12345">', '<leerling key="00002">')),
    ("twee-leerlingen-een-bsn", "ook bij leerling", lambda: SAMPLE.replace(
        WIMPIE, WIMPIE + "<bsn>123456782</bsn>").replace("<achternaam>Hof</achternaam>",
                                                         "<achternaam>Hof</achternaam><bsn>123456782</bsn>").encode()),
    ("nieuwe-leerling-bsn-van-ander", "hoort al bij leerling 1001", edex(WIMPIE, WIMPIE + "<bsn>111222333</bsn>")),
    ("stamgroep-wordt-samengesteld", "samengestelde groep", edex('<samengestelde_groep key="sg3">',
                                                                  '<samengestelde_groep key="g5">')),
    ("onbekende-groep", "staat niet in het bestand", edex('<groep key="GRP4B"/>', '<groep key="GRP9"/>')),
    ("onbekende-vestiging", "vestiging 'VX'", edex('<vestiging key="VH"/>', '<vestiging key="VX"/>')),
    ("leerling-zonder-key", "kenmerk key ontbreekt", edex('<leerling key="12345">', "<leerling>")),
    ("binair", "XML", raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))),
    ("markeringen-kruisen", "XML", edex("<naam>Kabouters</naam>", "<naam>Kabouters</jaargroep>")),
    ("geen-school", "<school> ontbreekt", lambda: (SAMPLE[: SAMPLE.index("<school>")]
                                                   + SAMPLE[SAMPLE.index("</school>") + 9:]).encode()),
]:
    case(f"edexml-{name}", "edexml", ".xml", expected, content)


# ---------------------------------------------------------------------------------------- leerlingen

PUPIL_HEADER = "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;BSN;Onderwijsnummer;Groep;Datum inschrijving;Opmerking"
PUPIL_ROW = ["5001", "Smit", "Anna", "03-02-2017", "", "", "Groep 5", "01-09-2025", ""]
COLUMN = {name: i for i, name in enumerate(PUPIL_HEADER.split(";"))}


def csv_bytes(header: str, rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header] + [";".join(r) for r in rows]) + "\r\n").encode(encoding)


def pupils(*changes: dict[str, str], header: str = PUPIL_HEADER) -> Callable[[], bytes]:
    """One row per dict of changes to the valid row (keys are column names)."""
    def make() -> bytes:
        rows = []
        for i, change in enumerate(changes or ({},)):
            row = list(PUPIL_ROW)
            row[0] = str(5001 + i)
            for column, value in change.items():
                row[COLUMN[column]] = value
            rows.append(row)
        return csv_bytes(header, rows)
    return make


def xlsx(header: list[str], rows: list[list[object]]) -> Callable[[], bytes]:
    def make() -> bytes:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    return make


def zip_with(files: dict[str, bytes]) -> Callable[[], bytes]:
    def make() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        return out.getvalue()
    return make


HEAD = PUPIL_HEADER.split(";")
for name, suffix, expected, content in [
    ("leeg", ".csv", "leeg", raw(b"")),
    ("alleen-bom-en-witregels", ".csv", "leeg", raw(b"\xef\xbb\xbf\r\n;;\r\n")),
    ("geen-kolom-groep", ".csv", "'Groep'", raw(b"Leerlingnummer;Achternaam\r\n5001;Smit\r\n")),
    ("geen-nummer-of-bsn", ".csv", "'Leerlingnummer'", raw(b"Achternaam;Groep\r\nSmit;Groep 5\r\n")),
    ("geen-naam", ".csv", "achternaam of roepnaam", pupils({"Achternaam": "", "Roepnaam": ""})),
    ("bsn-elfproef", ".csv", "elfproef", pupils({"BSN": "123456789"})),
    ("bsn-superscript", ".csv", "elfproef", pupils({"BSN": "12345678²"})),
    ("onderwijsnummer-elfproef", ".csv", "elfproef", pupils({"Onderwijsnummer": "101222332"})),
    ("nieuw-nummer-bsn-van-ander", ".csv", "hoort al bij leerling 1001", pupils({"BSN": "111222333"})),
    ("bestaande-leerling-bsn-van-ander", ".csv", "hoort al bij leerling 1001",
     pupils({"Leerlingnummer": "1002", "Achternaam": "Berg", "BSN": "111222333"})),
    ("twee-rijen-een-bsn", ".csv", "staat ook in rij", pupils({"BSN": "123456782"}, {"BSN": "123456782"})),
    ("twee-rijen-een-nummer", ".csv", "staat ook in rij", pupils({}, {"Leerlingnummer": "5001"})),
    ("twee-rijen-een-onderwijsnummer", ".csv", "staat ook in rij",
     pupils({"Onderwijsnummer": "101222331"}, {"Onderwijsnummer": "101222331"})),
    ("geboren-1985", ".csv", "kan niet kloppen", pupils({"Geboortedatum": "03-02-1985"})),
    ("geboren-in-de-toekomst", ".csv", "kan niet kloppen",
     pupils({"Geboortedatum": f"03-02-{dt.date.today().year + 1}"})),
    ("inschrijving-voor-geboorte", ".csv", "te kort na", pupils({"Geboortedatum": "03-02-2017",
                                                                  "Datum inschrijving": "01-09-2016"})),
    ("31-februari", ".csv", "geen datum", pupils({"Geboortedatum": "31-02-2017"})),
    ("superscript-in-datum", ".csv", "geen datum", pupils({"Geboortedatum": "03-02-²017"})),
    ("jaar-10000", ".csv", "geen datum", pupils({"Geboortedatum": "01-01-10000"})),
    ("jaar-0000", ".csv", "geen datum", pupils({"Geboortedatum": "01-01-0000"})),
    ("onbekende-groep", ".csv", "bestaat niet", pupils({"Groep": "Groep 9"})),
    ("lege-groep", ".csv", "kolom Groep is leeg", pupils({"Groep": ""})),
    ("stuurteken-in-naam", ".csv", "stuurteken", pupils({"Achternaam": "Sm\x01it"})),
    ("tab-in-naam", ".csv", "stuurteken", pupils({"Achternaam": "Sm\tit"})),
    ("regeleinde-in-naam", ".csv", "stuurteken", pupils({"Achternaam": '"Sm\nit"'})),
    ("leesrichting-in-naam", ".csv", "stuurteken", pupils({"Achternaam": "Smit\u202e"})),
    ("naam-te-lang", ".csv", "tekens lang", pupils({"Achternaam": "S" * 101})),
    ("opmerking-te-lang", ".csv", "tekens lang", pupils({"Opmerking": "x" * 1001})),
    ("veld-boven-csv-grens", ".csv", "meer dan", pupils({"Opmerking": '"' + "x" * CSV_LIMIT})),
    ("nul-teken", ".csv", "nul-tekens", lambda: pupils()().replace(b"Smit", b"Sm\x00it")),
    ("verkeerde-extensie", ".ods", "geen .xlsx- of .csv-bestand", pupils()),
    ("tekst-als-xlsx", ".xlsx", "Excel-bestand", pupils()),
    ("afgebroken-xlsx", ".xlsx", "Excel-bestand", lambda: xlsx(HEAD, [PUPIL_ROW])()[:600]),
    ("zip-zonder-werkmap", ".xlsx", "Excel-bestand", zip_with({"leesmij.txt": b"geen werkmap"})),
    ("xlsx-bsn-elfproef", ".xlsx", "elfproef", xlsx(HEAD, [PUPIL_ROW[:4] + ["123456789"] + PUPIL_ROW[5:]])),
    ("xlsx-datumgetal-1900", ".xlsx", "kan niet kloppen", xlsx(HEAD, [PUPIL_ROW[:3] + [1] + PUPIL_ROW[4:]])),
    ("xlsx-datum-1850", ".xlsx", "kan niet kloppen",
     xlsx(HEAD, [PUPIL_ROW[:3] + [dt.datetime(1850, 1, 1)] + PUPIL_ROW[4:]])),
    ("inschrijving-buiten-schooljaren", ".csv", "buiten de schooljaren", pupils({"Datum inschrijving": "01-09-2026"})),
    ("uitschrijving-voor-inschrijving", ".csv", "vóór de inschrijving",
     raw(csv_bytes(PUPIL_HEADER + ";Datum uitschrijving", [PUPIL_ROW + ["01-08-2025"]]))),
]:
    case(f"leerlingen-{name}", "leerlingen", suffix, expected, content)


# ------------------------------------------------------------------------------------------- groepen

GROUP_HEADER = "Sleutel;Groep;Jaargroep;Vestiging;Samengesteld;Afdeling"


def groups(*rows: list[str]) -> Callable[[], bytes]:
    return raw(csv_bytes(GROUP_HEADER, [list(r) for r in rows]))


G7 = ["g7", "Groep 7", "7", "", "nee", ""]
for name, suffix, expected, content in [
    ("leeg", ".csv", "leeg", raw(b"")),
    ("alleen-witregels", ".csv", "leeg", raw(b"\r\n\r\n;;;\r\n")),
    ("geen-kolom-groep", ".csv", "'Groep'", raw(b"Sleutel;Jaargroep\r\ng7;7\r\n")),
    ("lege-naam", ".csv", "naam van de groep is leeg", groups(["g7", "", "7", "", "", ""])),
    ("dubbele-sleutel", ".csv", "staat ook in rij", groups(G7, ["g7", "Groep 7b", "7", "", "", ""])),
    ("stamgroep-met-leerlingen-wordt-samengesteld", ".csv", "samengestelde groep",
     groups(["g5", "Groep 5", "5", "", "ja", ""])),
    ("stuurteken-in-naam", ".csv", "stuurteken", groups(["g7", "Groep\x077", "7", "", "", ""])),
    ("naam-te-lang", ".csv", "tekens lang", groups(["g7", "G" * 101, "7", "", "", ""])),
    ("sleutel-te-lang", ".csv", "tekens lang", groups(["g" * 51, "Groep 7", "7", "", "", ""])),
    ("leesrichting-in-vestiging", ".csv", "stuurteken", groups(["g7", "Groep 7", "7", "Oost\u202e", "", ""])),
    ("tab-in-jaargroep", ".csv", "stuurteken", groups(["g7", "Groep 7", "7\t", "", "", ""])),
    ("regeleinde-in-afdeling", ".csv", "stuurteken", groups(["g7", "Groep 7", "7", "", "", '"on\nder"'])),
    ("veld-boven-csv-grens", ".csv", "meer dan", groups(["g7", '"' + "G" * CSV_LIMIT, "7", "", "", ""])),
    ("nul-teken", ".csv", "nul-tekens", raw(csv_bytes(GROUP_HEADER, [G7]).replace(b"g7", b"g\x007"))),
    ("binair", ".csv", "nul-tekens", raw(bytes(range(256)) * 4)),
    ("afgebroken-xlsx", ".xlsx", "Excel-bestand", lambda: xlsx(GROUP_HEADER.split(";"), [G7])()[:700]),
    ("verkeerde-extensie", ".pdf", "geen .xlsx- of .csv-bestand", groups(G7)),
    ("xlsx-lege-naam", ".xlsx", "naam van de groep is leeg", xlsx(GROUP_HEADER.split(";"), [["g7", None, "7"]])),
    ("xlsx-stuurteken", ".xlsx", "stuurteken", xlsx(GROUP_HEADER.split(";"), [["g7", "Groep\u202e7", "7"]])),
    ("zip-zonder-werkmap", ".xlsx", "Excel-bestand", zip_with({"[Content_Types].xml": b"<Types/>"})),
]:
    case(f"groepen-{name}", "groepen", suffix, expected, content)


# ---------------------------------------------------------------------------------------- inrichting


def toml(old: str, new: str, count: int = 1) -> Callable[[], bytes]:
    def make() -> bytes:
        assert old in EXAMPLE_TOML, old
        return EXAMPLE_TOML.replace(old, new, count).encode("utf-8")
    return make


def text(value: str) -> Callable[[], bytes]:
    return raw(value.encode("utf-8"))


NEXT = dt.date.today().year + 1
LES1 = '"1 = 08:30-09:30",'
ROOSTER = "[[groepen.roosters]]\n"
DAY_OFF = 'van = 2026-10-09\ntot = 2026-10-09\nsoort = "studiedag"'
for name, expected, content in [
    ("syntaxfout", "regel 5", toml("formaat = 1", "formaat = = 1")),
    ("formaat-2", "formaat 2", toml("formaat = 1", "formaat = 2")),
    ("formaat-tekst", "formaat", toml("formaat = 1", 'formaat = "1"')),
    ("naam-is-getal", "naam moet tekst zijn", toml('naam = "Basisschool De Regenboog"', "naam = 5")),
    ("school-is-tekst", "[school] moet een tabel zijn", text('formaat = 1\nschool = "De Regenboog"\n')),
    ("groepen-is-tekst", "lijst van tabellen", text('formaat = 1\ngroepen = "g1"\n')),
    ("onbekende-sleutel", "onbekende sleutel 'registratie_pr'", toml('registratie_per = "les"', 'registratie_pr = "les"')),
    ("onbekende-sleutel-bovenaan", "onbekende sleutel 'formaat2'", toml("formaat = 1", "formaat = 1\nformaat2 = 1")),
    ("registratie-per-week", "registratie_per 'week' is onbekend", toml('registratie_per = "les"', 'registratie_per = "week"')),
    ("lesnummer-0", "lesnummer", toml('"1 = 08:30-09:30"', '"0 = 08:30-09:30"')),
    ("lesnummer-superscript", "geen les", toml('"1 = 08:30-09:30"', '"² = 08:30-09:30"')),
    ("lestijd-25-uur", "geen les", toml('"1 = 08:30-09:30"', '"1 = 25:30-26:30"')),
    ("les-eindtijd-voor-begin", "eindtijd", toml('"1 = 08:30-09:30"', '"1 = 08:30-07:30"')),
    ("lessen-overlappen", "overlappen", toml('"2 = 09:30-10:30"', '"2 = 09:00-10:30"')),
    ("lesnummer-dubbel", "twee keer", toml('"2 = 09:30-10:30"', '"1 = 09:30-10:30"')),
    ("weekdag-typfout", "geen weekdag", toml("maandag = [", "maandaag = [")),
    ("geldig-vanaf-na-tot", "ligt na geldig_tot", toml(ROOSTER, ROOSTER + "geldig_vanaf = 2027-01-04\n"
                                                        "geldig_tot = 2026-12-31\n")),
    ("geldig-vanaf-1985", "kan niet kloppen", toml(ROOSTER, ROOSTER + "geldig_vanaf = 1985-01-04\n")),
    ("geldig-vanaf-tekst", "geen datum", toml(ROOSTER, ROOSTER + 'geldig_vanaf = "gisteren"\n')),
    ("geldig-vanaf-getal", "moet een datum zijn", toml(ROOSTER, ROOSTER + "geldig_vanaf = 12\n")),
    ("twee-roosters-tegelijk", "tegelijk", toml(ROOSTER, ROOSTER + 'maandag = ["1 = 08:30-09:30"]\n\n' + ROOSTER)),
    ("schooljaar-ver-vooruit", "te ver vooruit", toml('naam = "2026-2027"', f'naam = "{NEXT + 8}-{NEXT + 9}"')),
    ("schooljaar-1985", "vóór 1990", toml('naam = "2026-2027"', 'naam = "1985-1986"')),
    ("schooljaar-9999", "geen schooljaar", toml('naam = "2026-2027"', 'naam = "9999-10000"')),
    ("schooljaar-twee-jaar", "geen schooljaar", toml('naam = "2026-2027"', 'naam = "2026-2028"')),
    ("schooljaar-dubbel", "twee keer", toml('[[schooljaren]]\nnaam = "2026-2027"',
                                            '[[schooljaren]]\nnaam = "2026-2027"\n\n[[schooljaren]]\nnaam = "2026-2027"')),
    ("groepsleutel-dubbel", "twee keer", toml('sleutel = "g34"', 'sleutel = "g12"')),
    ("vestigingsleutel-dubbel", "twee keer", toml('[[vestigingen]]\nsleutel = "HV"\nnaam = "Hoofdvestiging"',
                                                  '[[vestigingen]]\nsleutel = "HV"\nnaam = "Hoofdvestiging"\n\n'
                                                  '[[vestigingen]]\nsleutel = "HV"\nnaam = "Dependance"')),
    ("vestiging-zonder-sleutel", "geef de vestiging een sleutel", toml('sleutel = "HV"\n', "")),
    ("samengesteld-met-rooster", "geen eigen rooster", toml("samengesteld = false", "samengesteld = true")),
    ("stamgroep-met-leerlingen-wordt-samengesteld", "stamgroep met 1 plaatsing",
     text('formaat = 1\n\n[[groepen]]\nsleutel = "g12"\nnaam = "Groep 1/2"\nsamengesteld = true\n')),
    ("vrije-dag-tot-voor-van", "ligt vóór", toml(DAY_OFF, 'van = 2026-10-09\ntot = 2026-10-02\nsoort = "studiedag"')),
    ("vrije-dag-soort", "soort 'feest' is onbekend", toml(DAY_OFF, DAY_OFF.replace("studiedag", "feest"))),
    ("vrije-dag-1980", "kan niet kloppen", toml(DAY_OFF, DAY_OFF.replace("2026-10-09", "1980-10-09"))),
    ("vrije-dag-2099", "kan niet kloppen", toml(DAY_OFF, DAY_OFF.replace("2026-10-09", "2099-10-09"))),
    ("vrije-dag-tijd", "geen tijdvak", toml('tijd = "12:30-14:45"', 'tijd = "12-15"')),
    ("vrije-dag-groepen-tekst", "lijst van groepssleutels", toml('groepen = ["g12", "g34"]', 'groepen = "g12"')),
    ("vrije-dag-onbekende-groep", "onbekende groep", toml('groepen = ["g12", "g34"]', 'groepen = ["g12", "g99"]')),
    ("diep-genest", "inrichtingsbestand", text("formaat = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n")),
    ("stuurteken-in-naam", "stuurteken", toml('naam = "Basisschool De Regenboog"', 'naam = "Basis\\u0001school"')),
    ("leesrichting-in-naam", "stuurteken", toml('naam = "Basisschool De Regenboog"', 'naam = "Basis\\u202eschool"')),
    ("naam-te-lang", "tekens lang", toml('naam = "Basisschool De Regenboog"', f'naam = "{"B" * 150}"')),
    ("andere-brin", "BRIN 12AB", toml('brin = "99ZZ"', 'brin = "12AB"')),
    ("geen-utf8", "UTF-8", lambda: EXAMPLE_TOML.replace("Regenboog", "Regenbøog").encode("latin-1")),
    ("datum-met-tijd", "datum met tijd", toml("van = 2026-10-09", "van = 2026-10-09T10:00:00")),
    ("30-februari", "datum of tijd", toml("van = 2026-10-09", "van = 2027-02-30")),
    ("vakantie-buiten-schooljaar", "niet binnen het schooljaar",
     toml('naam = "2026-2027"\n', 'naam = "2026-2027"\n\n[[schooljaren.vakanties]]\nvan = 2027-10-09\n'
          'tot = 2027-10-16\nsoort = "vakantie"\nomschrijving = "Herfstvakantie"\n')),
    ("onbekende-vestiging", "staat niet bij [[vestigingen]]", toml('vestiging = "HV"', 'vestiging = "XX"')),
    ("jaargroep-kommagetal", "jaargroep moet tekst zijn", toml('jaargroep = "1"', "jaargroep = 1.5")),
]:
    case(f"inrichting-{name}", "inrichting", ".toml", expected, content)


# ------------------------------------------------------------------------------------------- verzuim

ABSENCE_HEADER = "Leerling;Datum;Lessen;Tijd;Redencode;Minuten te laat;Opmerking"
ABSENCE_ROW = ["1001", "03-11-2025", "1-3", "", "Z", "", "koorts"]
ACOL = {name: i for i, name in enumerate(ABSENCE_HEADER.split(";"))}


def absences(*changes: dict[str, str]) -> Callable[[], bytes]:
    def make() -> bytes:
        rows = []
        for change in changes or ({},):
            row = list(ABSENCE_ROW)
            for column, value in change.items():
                row[ACOL[column]] = value
            rows.append(row)
        return csv_bytes(ABSENCE_HEADER, rows)
    return make


for name, suffix, expected, content in [
    ("leeg", ".csv", "leeg", raw(b"")),
    ("geen-kolom-datum", ".csv", "'Datum'", raw(b"Leerling;Lessen;Redencode\r\n1001;1;Z\r\n")),
    ("onbekende-leerling", ".csv", "is onbekend", absences({"Leerling": "9999"})),
    ("leerling-superscript", ".csv", "is onbekend", absences({"Leerling": "1001²"})),
    ("onbekende-reden", ".csv", "redencode 'QQ' is onbekend", absences({"Redencode": "QQ"})),
    ("buiten-schooljaren", ".csv", "buiten de schooljaren", absences({"Datum": "04-11-2024"})),
    ("31-november", ".csv", "geen datum", absences({"Datum": "31-11-2025"})),
    ("superscript-in-datum", ".csv", "geen datum", absences({"Datum": "0³-11-2025"})),
    ("lege-datum", ".csv", "datum is leeg", absences({"Datum": ""})),
    ("lesnummer-0", ".csv", "geen lesnummers", absences({"Lessen": "0"})),
    ("lesnummer-superscript", ".csv", "geen lesnummers", absences({"Lessen": "1-²"})),
    ("lessen-omgekeerd", ".csv", "geen lesnummers", absences({"Lessen": "3-1"})),
    ("les-niet-op-rooster", ".csv", "niet op het rooster", absences({"Lessen": "7"})),
    ("minuten-superscript", ".csv", "geen aantal minuten", absences({"Redencode": "T", "Lessen": "1",
                                                                     "Minuten te laat": "²"})),
    ("minuten-negatief", ".csv", "geen aantal minuten", absences({"Redencode": "T", "Lessen": "1",
                                                                  "Minuten te laat": "-5"})),
    ("minuten-enorm", ".csv", "geen aantal minuten", absences({"Redencode": "T", "Lessen": "1",
                                                               "Minuten te laat": "1000000000000"})),
    ("minuten-bij-ziekte", ".csv", "horen bij een reden", absences({"Minuten te laat": "5"})),
    ("te-laat-zonder-minuten", ".csv", "geef bij 'T'", absences({"Redencode": "T", "Lessen": "1"})),
    ("zaterdag", ".csv", "geen lessen", absences({"Datum": "08-11-2025", "Lessen": ""})),
    ("na-schooltijd", ".csv", "buiten het rooster", absences({"Lessen": "", "Tijd": "16:00-17:00"})),
    ("tijd-25-uur", ".csv", "geen tijdvak", absences({"Lessen": "", "Tijd": "25:00-26:00"})),
    ("tweemaal-zelfde-les-andere-reden", ".csv", "twee verschillende registraties",
     absences({}, {"Lessen": "2", "Redencode": "O"})),
    ("hele-dag-en-les-andere-reden", ".csv", "twee verschillende registraties",
     absences({"Lessen": ""}, {"Lessen": "5", "Redencode": "O", "Opmerking": ""})),
    ("stuurteken-in-opmerking", ".csv", "stuurteken", absences({"Opmerking": "koo\x1brts"})),
    ("leesrichting-in-opmerking", ".csv", "stuurteken", absences({"Opmerking": "koorts\u202e"})),
    ("opmerking-te-lang", ".csv", "tekens lang", absences({"Opmerking": "k" * 1001})),
    ("veld-boven-csv-grens", ".csv", "meer dan", absences({"Opmerking": '"' + "k" * CSV_LIMIT})),
    ("nul-teken", ".csv", "nul-tekens", lambda: absences()().replace(b"koorts", b"koo\x00rts")),
    ("afgebroken-xlsx", ".xlsx", "Excel-bestand", lambda: xlsx(ABSENCE_HEADER.split(";"), [ABSENCE_ROW])()[:650]),
    ("verkeerde-extensie", ".docx", "geen .xlsx- of .csv-bestand", absences()),
    ("xlsx-datumgetal-enorm", ".xlsx", "geen datum", xlsx(ABSENCE_HEADER.split(";"), [["1001", 99999, "1", "", "Z"]])),
    ("alleen-begintijd", ".csv", "begin- en een eindtijd",
     raw(csv_bytes("Leerling;Datum;Van;Tot;Redencode", [["1001", "03-11-2025", "08:30", "", "Z"]]))),
]:
    case(f"verzuim-{name}", "verzuim", suffix, expected, content)


def write_corpus(target: Path) -> dict[str, Path]:
    """Write every case into ``target``; returns case name → file."""
    target.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for c in CASES:
        path = target / f"{c.name}{c.suffix}"
        path.write_bytes(c.content())
        out[c.name] = path
    return out


if __name__ == "__main__":
    written = write_corpus(Path(sys.argv[1]))
    print(f"{len(written)} bestanden geschreven in {sys.argv[1]}")
