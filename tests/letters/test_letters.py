"""Letters for the demo school: every template renders, separated parents get a letter each, a melding notice
carries no sickness, the dossier records each letter, and the files are A4 and open."""

from __future__ import annotations

import email
import hashlib
import io
import re
from collections import Counter
from email import policy as email_policy

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import select

from tests.letters.conftest import TODAY
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.dossier import timeline
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.law.signals import handle_signal
from verzuimdesk.model.law.signals.inbox import compute_signals
from verzuimdesk.model.letters.compose import addressees, prepare_letters
from verzuimdesk.model.letters.defaults import DEFAULTS
from verzuimdesk.model.letters.moments import melding_moment, moment_for_pupil, signal_moment
from verzuimdesk.model.letters.record import due_moments, letter_counts, letters_of
from verzuimdesk.model.school.records import guardians_of
from verzuimdesk.model.tables import Guardian, Pupil
from verzuimdesk.model.tables.law import Melding, SignalHandling
from verzuimdesk.model.tables.letters import LetterRecord
from verzuimdesk.reports.letters.make import make_letters, make_week_batch
from verzuimdesk.reports.letters.parents import letter_eml, mailto_url

A4 = (595.3, 841.9)


def _pdf_text(data: bytes) -> tuple[list[str], list[tuple[float, float]]]:
    reader = PdfReader(io.BytesIO(data))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    return pages, [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages]


def _candidates(s) -> list[int]:  # type: ignore[no-untyped-def]
    ids = [p for p in s.exec(select(Pupil.id).order_by(Pupil.id)).all()]
    flagged = sorted({sig.pupil_id for sig in compute_signals(s, TODAY, include_handled=True)})
    with_letters = sorted({r.pupil_id for r in s.exec(select(LetterRecord)).all()})
    return with_letters + flagged + [i for i in ids if i not in flagged]


@pytest.mark.parametrize("key", [t.key for t in DEFAULTS])
def test_each_template_renders_for_a_demo_pupil_without_missing_fields(demo: Database, key: str) -> None:
    with demo.session() as s:
        for pid in _candidates(s)[:60]:
            try:
                moment = moment_for_pupil(s, key, pid, TODAY)
            except ValidationError:
                continue
            letters = prepare_letters(s, key, moment, TODAY)
            break
        else:
            pytest.fail(f"no demo pupil has a moment for {key}")
        for letter in letters:
            assert "{" not in letter.subject + letter.body and "}" not in letter.body
            assert letter.pupil_name in letter.subject or letter.pupil_name.split()[0] in letter.body
            assert letter.body.startswith(f"Beste {letter.addressee.names},")
        pages, sizes = _pdf_text(make_letters(s, moment, key=key, on=TODAY, record=False).data)
        assert set(sizes) == {A4} and len(pages) == len(letters)  # one A4 page per letter
        assert "{" not in " ".join(pages)


def test_separated_parents_get_a_letter_each_at_their_own_address(demo: Database) -> None:
    with demo.transaction() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "1002")).one()
        assert pupil.id is not None
        parents = guardians_of(s, pupil.id)
        if len(parents) < 2:
            s.add(Guardian(pupil_id=pupil.id, name="Tweede Ouder", relation="vader"))
            s.flush()
        assert len(addressees(s, pupil)) == 1  # living together: one letter to both
        apart = guardians_of(s, pupil.id)[-1]
        apart.address, apart.postcode, apart.city = "Molenweg 2", "1234 AB", "Elders"
        s.add(apart)
        s.flush()
        to = addressees(s, pupil)
        assert len(to) == 2
        assert to[1].lines() == [apart.name, "Molenweg 2", "1234 AB Elders"]
        assert to[0].address == pupil.address and apart.name not in to[0].names


def test_the_demo_has_letters_and_separated_parents(demo: Database) -> None:
    with demo.session() as s:
        records = s.exec(select(LetterRecord)).all()
        assert {r.template_key for r in records} >= {"melding", "verslag_gesprek", "uitnodiging_gesprek"}
        verslag = [r for r in records if r.template_key == "verslag_gesprek"]
        assert len(verslag) == 2 and len({r.addressee for r in verslag}) == 2 and verslag[0].checksum


def test_a_melding_notice_never_contains_a_sickness_reason(demo: Database) -> None:
    with demo.transaction() as s:
        melding = s.exec(select(Melding).where(Melding.kind == "L").order_by(Melding.id)).all()[-1]  # luxe verzuim
        melding.presumed_reason = "Moeder meldde griep en buikpijn (ziek)"
        melding.school_action = "Gebeld; kind was ziek volgens moeder."
        s.add(melding)
        s.flush()
        made = make_letters(s, melding_moment(s, melding.id or 0), on=TODAY, record=False)
        pages, _ = _pdf_text(made.data)
    text = " ".join(pages).lower()
    for word in ("griep", "buikpijn", "ziek volgens", "(ziek)", "ziekmelding"):
        assert word not in text
    assert "luxe verzuim" in text and "alleen ongeoorloofd verzuim" in text


def test_the_dossier_records_each_letter_and_the_signal_is_handled_by_it(demo: Database) -> None:
    with demo.transaction() as s:
        signal = next(sig for sig in compute_signals(s, TODAY) if sig.kind == "zorgelijk")
        made = make_letters(s, signal_moment(s, signal), on=TODAY, by="verzuimcoördinator")
        assert len(made.records) == len(made.letters) >= 1
        record = made.records[0]
        assert record.checksum == hashlib.sha256(made.data).hexdigest()
        assert record.made_by == "verzuimcoördinator" and record.template_key == "uitnodiging_zorgelijk"
        handling = s.get(SignalHandling, record.signal_handling_id)
        assert handling is not None and handling.action == "brief"
        still_open = [sig for sig in compute_signals(s, TODAY, [signal.pupil_id]) if sig.key == signal.key]
        assert not still_open
        assert record in letters_of(s, signal.pupil_id)
        items = [it for it in timeline(s, signal.pupil_id, TODAY, TODAY) if it.kind == "brief"]
        assert items and "Uitnodiging: zorgelijk verzuim" in items[0].text
        counts = letter_counts(s, TODAY, TODAY, signal.pupil_id)
        assert counts.letters == len(made.records)


def test_a_mandatory_signal_gets_its_letter_only_after_the_melding(demo: Database) -> None:
    with demo.transaction() as s:
        open_ones = [sig for sig in compute_signals(s, TODAY) if sig.mandatory and not sig.previous_action]
        assert open_ones  # the demo's thuiszitter: his LRV is due
        signal = open_ones[0]
        with pytest.raises(ValidationError, match="eerst gemeld"):
            signal_moment(s, signal)
        melding = create_melding(s, signal.pupil_id, signal.kind, signal.begin, None, by="directeur")
        handle_signal(s, signal, "melding", by="directeur", melding_id=melding.id)
        assert signal_moment(s, signal).kind == "melding"


def test_docx_is_a4_and_opens(demo: Database) -> None:
    with demo.session() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "1049")).one()
        moment = moment_for_pupil(s, "verslag_gesprek", pupil.id or 0, TODAY)
        made = make_letters(s, moment, fmt="docx", on=TODAY, record=False)
    document = Document(io.BytesIO(made.data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Betreft: Verslag van ons gesprek") == len(made.letters) == 2


def test_eml_has_the_pdf_attached_and_mailto_carries_the_text(demo: Database) -> None:
    with demo.session() as s:
        melding = s.exec(select(Melding).order_by(Melding.id)).all()[-1]
        made = make_letters(s, melding_moment(s, melding.id or 0), on=TODAY, record=False)
        raw = letter_eml(s, made.letters, made.data, made.file_name)
        url = mailto_url(made.letters[0])
    message = email.message_from_bytes(raw, policy=email_policy.default)
    assert message["X-Unsent"] == "1" and "@" in message["To"]
    attachments = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert len(attachments) == 1 and attachments[0].get_content() == made.data
    assert url.startswith("mailto:") and "subject=Melding%20van%20het%20verzuim" in url


def test_the_week_batch_is_one_pdf_and_records_every_letter(demo: Database) -> None:
    with demo.transaction() as s:
        moments = due_moments(s, TODAY)
        assert moments
        made = make_week_batch(s, TODAY, on=TODAY)
        pages, sizes = _pdf_text(made.data)
        assert set(sizes) == {A4} and len(pages) >= len(made.letters) >= 1
        assert len(made.records) == len(made.letters)
        # one letter per pupil and template: two signals that call for the same letter share it
        per_pupil = Counter((letter.pupil_id, letter.template.key, letter.addressee.names) for letter in made.letters)
        assert set(per_pupil.values()) == {1}
        assert not due_moments(s, TODAY)  # made once: no longer due
        with pytest.raises(ValidationError, match="geen brieven"):
            make_week_batch(s, TODAY)


def test_a_parent_living_elsewhere_is_entered_on_the_pupil_card(demo: Database) -> None:
    from verzuimdesk.model.setup.pupils_groups import GuardianData, save_guardians
    from verzuimdesk.model.setup.pupils_groups import guardians_of as card_guardians

    with demo.transaction() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "1003")).one()
        assert pupil.id is not None
        with pytest.raises(ValidationError, match="straat en huisnummer"):
            save_guardians(s, pupil.id, [GuardianData("B. Bakker", "vader", postcode="1234 AB")])
        save_guardians(s, pupil.id, [GuardianData("A. Bakker", "moeder"),
                                     GuardianData("B. Bakker", "vader", "", "b@example.nl", "Molenweg 2", "1234 ab",
                                                  "Elders")])  # fmt: skip
        assert card_guardians(s, pupil.id)[1].postcode == "1234 AB"
        to = addressees(s, pupil)
        assert [a.names for a in to] == ["A. Bakker", "B. Bakker"] and to[1].emails == ("b@example.nl",)


def test_the_pupil_overview_and_the_yearly_evaluation_count_letters_and_conversations(demo: Database) -> None:
    import datetime as dt

    from verzuimdesk.reports.data import Period
    from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf
    from verzuimdesk.reports.overviews.pupil_data import build_pupil_overview
    from verzuimdesk.reports.schoolgids.evaluation import texts
    from verzuimdesk.reports.schoolgids.evaluation_data import build_evaluation

    year = Period(dt.date(2025, 8, 1), TODAY, "schooljaar 2025-2026")
    with demo.session() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "1049")).one()
        made = len([r for r in letters_of(s, pupil.id or 0) if r.made_on >= year.start])
        overview = build_pupil_overview(s, pupil.id or 0, year, today=TODAY)
        assert len(overview.letters) == made == 4
        text = " ".join(_pdf_text(pupil_overview_pdf(s, pupil.id or 0, year, today=TODAY))[0])
        assert "Brieven aan de ouders: 4" in text and "Verslag van een gesprek met afspraken" in text
        ev = build_evaluation(s, "2025-2026", today=TODAY, open_signals=False)
        all_letters = len([r for r in s.exec(select(LetterRecord)).all() if r.made_on >= year.start])
    assert ev.letters is not None and ev.letters.letters == all_letters
    assert ev.letters.conversations_held >= 1
    assert f"{all_letters} brieven aan ouders gemaakt" in texts(ev)["letters"]


def test_the_school_logo_is_on_the_letterhead_of_pdf_and_docx(demo: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from verzuimdesk.model.school.records import get_school

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (47, 109, 181)).save(logo)
    with demo.transaction() as s:
        school = get_school(s)
        assert school is not None
        school.logo_path = str(logo)
        s.add(school)
        s.flush()
        moment = melding_moment(s, s.exec(select(Melding).order_by(Melding.id)).all()[-1].id or 0)
        pdf = make_letters(s, moment, on=TODAY, record=False).data
        docx = make_letters(s, moment, fmt="docx", on=TODAY, record=False).data
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    assert len(Document(io.BytesIO(docx)).inline_shapes) == 1


def test_the_weeks_list_names_conversations_and_meldingen_without_internal_numbers(demo: Database) -> None:
    """The Brieven page's week list: a planned conversation reads as its day (and with whom), a melding as its
    kind and period, never as 'gepland gesprek 4' or 'melding 12'."""
    from verzuimdesk.model import dutch
    from verzuimdesk.model.letters.record import due_overview
    from verzuimdesk.model.tables.law import ContactMoment

    with demo.session() as s:
        rows = due_overview(s, TODAY)
        planned = [m for r in rows for m in r.moments if m.kind == "gesprek_gepland"]
        assert planned, "the demo plans follow-up conversations this week"
        for m in planned:
            talk = s.get(ContactMoment, m.contact_id)
            assert m.describe() == f"gepland gesprek op {dutch.date_long(talk.date, weekday=True)} met {talk.with_whom}"
        melding = s.exec(select(Melding)).first()
        assert melding is not None and str(melding.id) not in melding_moment(s, melding.id or 0).describe().split()
    for row in rows:
        assert row.pupil_name and not re.search(r"(gesprek|melding) \d+\b", row.what), row.what
