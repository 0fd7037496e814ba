"""The yearly evaluation: figures per quarter equal FiguresEngine's, meldingen/signals timeliness, interventions."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
from pypdf import PdfReader

from verzuimdesk.model.law.dossier import add_intervention, evaluate_intervention
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.tables.law import SignalHandling
from verzuimdesk.reports.data import quarter_period
from verzuimdesk.reports.schoolgids.evaluation import evaluation_docx, evaluation_pdf, quarter_rows
from verzuimdesk.reports.schoolgids.evaluation_data import build_evaluation

D = dt.date
TODAY = D(2025, 11, 21)


def _fill(db, school):
    piet, sanne, emre = (school.pupils[k] for k in ("1001", "1002", "1003"))
    with db.transaction() as s:
        for lesson in range(1, 7):  # Q1: Sanne sick a whole day (6 h)
            register_lesson(s, sanne, D(2025, 10, 2), lesson, "Z", by="test")
        for lesson in (1, 2, 3):  # Q2: Piet 3 h unauthorised
            register_lesson(s, piet, D(2025, 11, 3), lesson, "O", by="test")
        for day in (D(2025, 11, 3), D(2025, 11, 4), D(2025, 11, 5)):  # Q2: Emre 18 h unauthorised
            for lesson in range(1, 7):
                register_lesson(s, emre, day, lesson, "O", by="test")
        m = create_melding(s, emre, "V3", D(2025, 11, 3), D(2025, 11, 5), by="test",
                           now=dt.datetime(2025, 11, 10, 9))
        s.add(SignalHandling(pupil_id=emre, kind="V3", begin_date=D(2025, 11, 3), end_date=D(2025, 11, 5),
                             action="melding", melding_id=m.id, handled_by="test",
                             handled_at=dt.datetime(2025, 11, 6, 12)))
        a = add_intervention(s, piet, "Ochtendgesprek", D(2025, 11, 4), by="test", evaluation_date=D(2025, 11, 14))
        evaluate_intervention(s, a.id, by="test", on=D(2025, 11, 12), outcome="Op tijd", effective=True)
        add_intervention(s, sanne, "Contact jeugdarts", D(2025, 11, 5), by="test", evaluation_date=D(2025, 11, 10))


def test_figures_per_quarter_match_the_engine(db, school):
    _fill(db, school)
    with db.session() as s:
        ev = build_evaluation(s, "2025-2026", today=TODAY)
        expected = []
        for n in (1, 2):
            q = quarter_period("2025-2026", n).clipped(TODAY)
            engine = FiguresEngine(s, q.start, q.end)
            expected.append(engine.total(engine.pupils_period().values()))
    assert [q.period.end for q in ev.quarters] == [D(2025, 10, 31), TODAY]
    for got, want in zip(ev.quarters, expected, strict=True):
        f = got.figures
        assert (f.net_scheduled, f.authorised, f.unauthorised, f.pupils) == (
            want.net_scheduled, want.authorised, want.unauthorised, want.pupils)
    q1, q2 = ev.quarters
    assert (q1.figures.authorised, q1.sickness, q1.figures.unauthorised) == (360, 360, 0)  # by hand
    assert (q2.figures.authorised, q2.sickness, q2.figures.unauthorised) == (0, 0, 180 + 1080)
    assert q2.tiers == {1: 3, 2: 0, 3: 1}  # Emre: 1080 of 15 × 360 minutes = 20 %
    assert ev.year.figures.unauthorised == 1260 and ev.year.sickness == 360
    assert quarter_rows(ev)[1][6] == "21,0" and quarter_rows(ev)[-1][0] == "Schooljaar"


def test_meldingen_signals_and_interventions_timeliness(db, school):
    _fill(db, school)
    with db.session() as s:
        ev = build_evaluation(s, "2025-2026", today=TODAY)
    (m,) = ev.meldingen
    assert (m.kind, m.cause, m.created, m.days) == ("V3", D(2025, 11, 5), D(2025, 11, 10), 5)
    assert ev.meldingen_on_time() == (0, 1)  # 5 days > the default 2
    v3 = next(x for x in ev.signals if x.kind == "V3")
    assert (v3.handled, v3.actions["melding"], v3.days, v3.on_time) == (1, 1, [1], 1)
    first, second = ev.interventions
    assert (first.in_time, first.effective, first.overdue) == (True, True, False)
    assert (second.in_time, second.effective, second.overdue) == (False, None, True)


def test_pdf_and_docx(db, school):
    _fill(db, school)
    with db.session() as s:
        ev = build_evaluation(s, "2025-2026", today=TODAY)
    reader = PdfReader(io.BytesIO(evaluation_pdf(ev)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    for heading in ("Jaarevaluatie verzuim", "Cijfers per kwartaal", "Meldingen aan de leerplichtambtenaar",
                    "Signalen en hun afhandeling", "Interventies en hun uitkomst", "Conclusies en acties"):
        assert heading in text
    assert "21,0" in text and "Jansen" not in text and "Yılmaz" not in text  # no pupil names
    document = docx.Document(io.BytesIO(evaluation_docx(ev)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Cijfers per kwartaal" and "Conclusies en acties" in headings
    assert len(document.tables) == 4
    for section in document.sections:  # A4, 2,5 cm margins (python-docx's template is US Letter)
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.left_margin.mm) == round(section.top_margin.mm) == 25
    assert document.tables[0].rows[-1].cells[0].text == "Schooljaar"
    assert document.tables[0].rows[2].cells[6].text == "21,0"
