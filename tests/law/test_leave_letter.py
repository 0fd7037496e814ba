"""The decision letter: the text a parent reads (extracted from the PDF with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.builders import SmallSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import Guardian, LeerplichtContact, Pupil
from verzuimdesk.reports.letters.leave import leave_letter_pdf

D = dt.date


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # a letter fits one page
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def addressed(db: Database, school: SmallSchool) -> int:
    piet = school.pupils["1001"]
    with db.transaction() as s:
        sch = get_school(s)
        sch.address, sch.postcode, sch.city, sch.director = "Schoolstraat 12", "9711 AB", "Groningen", "M. de Vries"
        s.add(sch)
        p = s.get(Pupil, piet)
        p.address, p.postcode, p.city, p.woongemeente = "Dorpsweg 3", "9712 CD", "Groningen", "Groningen"
        s.add(p)
        s.add(Guardian(pupil_id=piet, name="J. Jansen"))
        s.add(LeerplichtContact(gemeente="Groningen", name="R. Smit", phone="14 050"))
    return piet


def _request(db: Database, pupil: int, kind: str, start: dt.date, end: dt.date, decision: str, **kw) -> int:
    with db.transaction() as s:
        r = submit_leave_request(s, pupil, kind, start, end, received_on=D(2025, 9, 15), by="admin",
                                 attachments="werkgeversverklaring")
        decide_leave_request(s, r.id, decision, by="M. de Vries", on=D(2025, 11, 3), **kw)
        return r.id


def test_refusal_letter(db: Database, addressed: int) -> None:
    rid = _request(db, addressed, "vakantieverlof", D(2025, 11, 3), D(2025, 11, 17), "geweigerd")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    for expected in ("De Proefschool", "Piet Jansen", "t.a.v. J. Jansen", "Dorpsweg 3", "Groningen, 3 november 2025",
                     "Besluit: wij wijzen uw aanvraag af", "Motivering", "11 schooldagen", "artikel 13a",
                     "Bezwaar maken", "bezwaar", "binnen zes weken na de datum van deze brief", "6:7",
                     "M. de Vries", "3 november 2025 tot en met 17 november 2025"):
        assert expected in text, expected


def test_granted_letter(db: Database, addressed: int) -> None:
    rid = _request(db, addressed, "gewichtige_omstandigheden", D(2025, 11, 3), D(2025, 11, 4), "toegekend")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    assert "Besluit: wij verlenen verlof wegens gewichtige omstandigheden" in text
    assert "geoorloofd afwezig" in text and "artikel 14" in text and "bezwaar" in text
    assert "Motivering" not in text


def test_forwarded_letter_points_to_the_leerplichtambtenaar(db: Database, addressed: int) -> None:
    rid = _request(db, addressed, "gewichtige_omstandigheden", D(2025, 11, 3), D(2025, 11, 17), "doorgestuurd")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    assert "doorgestuurd naar de leerplichtambtenaar" in text and "R. Smit" in text
    assert "artikel 14 lid 3" in text
    # Art. 6:4 Awb: bezwaar with the body that decided — the leerplichtambtenaar (art. 14 lid 3), not B&W.
    assert "bezwaar maken bij de leerplichtambtenaar, die het besluit heeft genomen" in text
    assert "burgemeester" not in text


def test_no_letter_without_a_decision(db: Database, school: SmallSchool) -> None:
    with db.transaction() as s:
        r = submit_leave_request(s, school.pupils["1001"], "religieus", D(2026, 3, 20), D(2026, 3, 20),
                                 received_on=D(2026, 3, 1), by="admin")
        with pytest.raises(ValidationError, match="nog geen besluit"):
            leave_letter_pdf(s, r.id)


def test_leerplichtambtenaar_decision_letter_names_who_decided_and_where_to_object(db: Database,
                                                                                   addressed: int) -> None:
    from verzuimdesk.model.law.leave import record_lpa_decision

    rid = _request(db, addressed, "gewichtige_omstandigheden", D(2025, 11, 3), D(2025, 11, 17), "doorgestuurd")
    with db.transaction() as s:
        record_lpa_decision(s, rid, "geweigerd", lpa_name="R. Smit", on=D(2025, 11, 10), by="admin",
                            motivation="Elf dagen zijn voor deze omstandigheid niet nodig.")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    for expected in ("De leerplichtambtenaar heeft uw aanvraag afgewezen", "R. Smit", "10 november 2025",
                     "Elf dagen zijn voor deze omstandigheid niet nodig", "artikel 21a",
                     "bezwaar maken bij de leerplichtambtenaar, die het besluit heeft genomen (artikel 6:4"):
        assert expected in text, expected
    assert "burgemeester" not in text and "bij de directeur" not in text


def test_refusal_of_one_day_does_not_cite_the_16_hour_duty(db: Database, addressed: int) -> None:
    # One day is six hours of lessons: absence then cannot by itself reach 16 hours in four lesweken.
    rid = _request(db, addressed, "vakantieverlof", D(2025, 11, 21), D(2025, 11, 21), "geweigerd",
                   motivation="Het beroep van de ouders maakt vakantie in de schoolvakanties mogelijk.")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    assert "ongeoorloofd verzuim; de school kan dat melden bij de leerplichtambtenaar" in text
    assert "21a" not in text


def test_religious_notice_letters_confirm_or_say_late_without_bezwaar(db: Database, addressed: int) -> None:
    with db.transaction() as s:
        timely = submit_leave_request(s, addressed, "religieus", D(2026, 3, 20), D(2026, 3, 20),
                                      received_on=D(2026, 3, 16), by="admin", reason_text="Suikerfeest")
        late = submit_leave_request(s, addressed, "religieus", D(2026, 3, 20), D(2026, 3, 20),
                                    received_on=D(2026, 3, 19), by="admin", reason_text="Suikerfeest")
        decide_leave_request(s, timely.id, "toegekend", by="M. de Vries", on=D(2026, 3, 17))
        decide_leave_request(s, late.id, "geweigerd", by="M. de Vries", on=D(2026, 3, 19))
        confirmed, too_late = _text(leave_letter_pdf(s, timely.id)), _text(leave_letter_pdf(s, late.id))
    assert "Wij bevestigen uw melding" in confirmed and "vrijgesteld van schoolbezoek" in confirmed
    assert "Uw melding kwam te laat" in too_late and "artikel 13 Leerplichtwet" in too_late
    for text in (confirmed, too_late):
        assert "uw melding van een religieuze verplichting" in text
        assert "Bezwaar" not in text and "wijzen uw aanvraag af" not in text
