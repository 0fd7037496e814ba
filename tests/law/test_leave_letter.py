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


def test_forwarded_letter_points_to_the_municipality(db: Database, addressed: int) -> None:
    rid = _request(db, addressed, "gewichtige_omstandigheden", D(2025, 11, 3), D(2025, 11, 17), "doorgestuurd")
    with db.session() as s:
        text = _text(leave_letter_pdf(s, rid))
    assert "doorgestuurd naar de leerplichtambtenaar" in text and "R. Smit" in text
    assert "artikel 14 lid 3" in text
    assert "bezwaar maken bij het college van burgemeester en wethouders van de gemeente Groningen" in text


def test_no_letter_without_a_decision(db: Database, school: SmallSchool) -> None:
    with db.transaction() as s:
        r = submit_leave_request(s, school.pupils["1001"], "religieus", D(2026, 3, 20), D(2026, 3, 20),
                                 received_on=D(2026, 3, 1), by="admin")
        with pytest.raises(ValidationError, match="nog geen besluit"):
            leave_letter_pdf(s, r.id)
