"""The pupil dossier: contacts, interventions with their evaluation, and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import SmallSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.dossier import (
    add_contact,
    add_intervention,
    contacts,
    delete_contact,
    delete_intervention,
    due_evaluations,
    evaluate_intervention,
    mark_contact_held,
    timeline,
    update_contact,
    update_intervention,
)
from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
from verzuimdesk.model.law.meldingen import create_melding, set_duo_number, set_melding_status
from verzuimdesk.model.register.entries import record_call, register_lesson, report_absence
from verzuimdesk.model.tables.law import SignalHandling

D = dt.date
T = dt.datetime


def test_contacts_planned_then_held_edited_and_deleted(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    with db.transaction() as s:
        planned = add_contact(s, piet, D(2025, 11, 12), "gesprek", by="ib", with_whom="moeder", planned=True)
        with pytest.raises(ValidationError, match="besproken"):
            add_contact(s, piet, D(2025, 11, 12), "gesprek", by="ib")
        with pytest.raises(ValidationError, match="soort contact"):
            add_contact(s, piet, D(2025, 11, 12), "brief", by="ib", summary="x")
        held = mark_contact_held(s, planned.id, by="ib", summary="Besproken: vaak te laat.",
                                 agreements="Wekker; over 4 weken evalueren.", on=D(2025, 11, 13))
        assert (held.planned, held.date, held.agreements) == (False, D(2025, 11, 13), "Wekker; over 4 weken evalueren.")
        with pytest.raises(ValidationError, match="niet gepland"):
            mark_contact_held(s, planned.id, by="ib", summary="nogmaals")
        update_contact(s, planned.id, by="ib", with_whom="moeder en vader")
        other = add_contact(s, piet, D(2025, 11, 20), "telefoon", by="ib", summary="Gebeld", with_whom="vader")
        with pytest.raises(ValidationError, match="Onbekende velden"):
            update_contact(s, other.id, by="ib", pupil_id=2)
        assert [c.with_whom for c in contacts(s, piet)] == ["vader", "moeder en vader"]
        delete_contact(s, other.id, by="ib")
        assert [c.id for c in contacts(s, piet)] == [planned.id]


def test_interventions_and_due_evaluations(db: Database, school: SmallSchool) -> None:
    piet, sanne = school.pupils["1001"], school.pupils["1002"]
    with db.transaction() as s:
        a = add_intervention(s, piet, "Ochtendcheck-in met IB", D(2025, 11, 3), by="ib",
                             evaluation_date=D(2025, 12, 1))
        b = add_intervention(s, sanne, "Begeleiding jeugdverpleegkundige", D(2025, 11, 3), by="ib",
                             evaluation_date=D(2025, 11, 24))
        c = add_intervention(s, sanne, "Zonder evaluatiedatum", D(2025, 11, 3), by="ib")
        with pytest.raises(ValidationError, match="titel"):
            add_intervention(s, piet, "  ", D(2025, 11, 3), by="ib")
        with pytest.raises(ValidationError, match="evaluatiedatum"):
            add_intervention(s, piet, "x", D(2025, 11, 3), by="ib", evaluation_date=D(2025, 11, 1))
        assert [i.id for i in due_evaluations(s, D(2025, 11, 23))] == []
        assert [i.id for i in due_evaluations(s, D(2025, 11, 24))] == [b.id]
        assert [i.id for i in due_evaluations(s, D(2025, 12, 2))] == [b.id, a.id]
        evaluate_intervention(s, b.id, by="ib", on=D(2025, 11, 25), outcome="Minder ziekmeldingen.", effective=True)
        assert [i.id for i in due_evaluations(s, D(2025, 12, 2))] == [a.id]
        with pytest.raises(ValidationError, match="uitkomst"):
            evaluate_intervention(s, a.id, by="ib", on=D(2025, 12, 1), outcome="", effective=None)
        update_intervention(s, a.id, by="ib", evaluation_date=D(2026, 1, 12))
        assert due_evaluations(s, D(2025, 12, 2)) == []
        delete_intervention(s, c.id, by="ib")


def test_timeline_merges_everything_newest_first(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    with db.transaction() as s:
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 3), "Z", by="ouder")
        register_lesson(s, piet, D(2025, 11, 4), 1, "X", by="leerkracht")
        register_lesson(s, piet, D(2025, 11, 4), 2, "O", by="leerkracht")
        record_call(s, piet, D(2025, 11, 4), by="admin", reached=True, contact="moeder", outcome_code="O",
                    now=T(2025, 11, 4, 10, 0))
        req = submit_leave_request(s, piet, "gewichtige_omstandigheden", D(2025, 11, 20), D(2025, 11, 20),
                                   received_on=D(2025, 11, 5), by="admin", reason_text="Begrafenis opa",
                                   now=T(2025, 11, 5, 8, 0))
        decide_leave_request(s, req.id, "toegekend", by="directeur", on=D(2025, 11, 6))
        m = create_melding(s, piet, "O", D(2025, 11, 4), D(2025, 11, 4), by="directeur", now=T(2025, 11, 7, 9, 0))
        set_duo_number(s, m.id, "555", by="directeur")
        set_melding_status(s, m.id, "geregistreerd", by="directeur", now=T(2025, 11, 10, 9, 0))
        s.add(SignalHandling(pupil_id=piet, kind="zorgelijk", begin_date=D(2025, 11, 4), end_date=D(2025, 11, 4),
                             action="melding", melding_id=m.id, handled_by="directeur",
                             handled_at=T(2025, 11, 7, 8, 0)))
        add_contact(s, piet, D(2025, 11, 11), "gesprek", by="ib", with_whom="ouders", summary="Afspraken gemaakt",
                    agreements="Op tijd naar bed")
        iv = add_intervention(s, piet, "Ochtendcheck-in", D(2025, 11, 12), by="ib", evaluation_date=D(2025, 12, 8))
        evaluate_intervention(s, iv.id, by="ib", on=D(2025, 11, 28), outcome="Op tijd.", effective=True)
    with db.session() as s:
        items = timeline(s, piet, D(2025, 11, 1), D(2025, 11, 30))
        seen = [(i.date, i.kind) for i in items]
        texts = [i.text for i in items]
    assert seen == [
        (D(2025, 11, 28), "evaluatie"),
        (D(2025, 11, 20), "verzuim"),  # the granted leave, registered as G
        (D(2025, 11, 12), "interventie"),
        (D(2025, 11, 11), "contact"),
        (D(2025, 11, 10), "melding"),  # status geregistreerd
        (D(2025, 11, 7), "melding"),  # opgesteld 9:00
        (D(2025, 11, 7), "signaal"),  # handled 8:00
        (D(2025, 11, 6), "verlofbesluit"),
        (D(2025, 11, 5), "verlofaanvraag"),
        (D(2025, 11, 4), "nabellen"),
        (D(2025, 11, 4), "verzuim"),
        (D(2025, 11, 3), "verzuim"),
    ]
    assert items == sorted(items, key=lambda i: i.date, reverse=True)
    assert "Interventie 'Ochtendcheck-in' geëvalueerd (effectief): Op tijd." in texts
    assert texts[1] == "Afwezig: Verlof gewichtige omstandigheden (toegekend) (G) 6 uur"
    assert texts[4] == "Melding O: status geregistreerd (meldingsnummer 555)"
    assert texts[7].startswith("Verlof wegens gewichtige omstandigheden 20 november 2025 t/m 20 november 2025 "
                               "toegekend door directeur")
    assert texts[10] == "Afwezig: Ongeoorloofd afwezig (spijbelen, zonder bericht) (O) 2 uur"
    assert texts[11] == "Afwezig: Ziek (Z) 6 uur"
    assert texts[3] == "Gesprek met ouders: Afspraken gemaakt Afspraken: Op tijd naar bed"
    assert all(i.ref_id is not None for i in items)
    with db.session() as s:  # a narrower window
        assert [i.kind for i in timeline(s, piet, D(2025, 11, 3), D(2025, 11, 3))] == ["verzuim"]
        with pytest.raises(ValidationError):
            timeline(s, piet, D(2025, 11, 3), D(2025, 11, 1))
