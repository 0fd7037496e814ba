"""Batch: one PDF or one file per pupil, progress per pupil, cancel leaves no half file."""

from __future__ import annotations

from pypdf import PdfReader

from tests.builders import SmallSchool
from tests.reports.conftest import TODAY, WEEK
from verzuimdesk.model.db import Database
from verzuimdesk.reports.overviews.batch import run_batch


def test_one_pdf_for_the_group(sqlite_db: Database, week_school: SmallSchool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "groep5.pdf"
    steps = list(run_batch(sqlite_db, WEEK, target, group_id=week_school.g5, today=TODAY))
    assert [p.done for p in steps] == [0, 1, 2, 3, 3] and steps[-1].finished
    reader = PdfReader(target, strict=True)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert text.count("pagina 1 van") == 3
    assert "Piet Jansen" in text and "Sanne van den Berg" in text and "Emre Yılmaz" in text
    assert [p.name for p in target.parent.iterdir()] == ["groep5.pdf"]


def test_one_file_per_pupil(sqlite_db: Database, week_school: SmallSchool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = list(run_batch(sqlite_db, WEEK, tmp_path / "uit", one_file=False, today=TODAY))
    files = sorted(p.name for p in (tmp_path / "uit").iterdir())
    assert len(files) == 4 and steps[-1].paths and all(f.endswith(".pdf") for f in files)
    assert "Groep 5 - Jansen, Piet (1001).pdf" in files


def test_cancel_stops_early_and_leaves_no_half_file(sqlite_db: Database, week_school: SmallSchool,
                                                    tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "school.pdf"
    stop = {"now": False}
    seen = []
    for p in run_batch(sqlite_db, WEEK, target, today=TODAY, cancelled=lambda: stop["now"]):
        seen.append(p.done)
        if p.done == 1:
            stop["now"] = True
    assert seen == [0, 1]
    assert list(target.parent.iterdir()) == []
    # closing the generator half-way (the consumer stops) cleans up too
    gen = run_batch(sqlite_db, WEEK, target, today=TODAY)
    next(gen), next(gen)
    gen.close()
    assert list(target.parent.iterdir()) == []
    # one file per pupil: the finished files stay, no partial one
    stop["now"] = False
    out = tmp_path / "los"
    for p in run_batch(sqlite_db, WEEK, out, one_file=False, today=TODAY, cancelled=lambda: stop["now"]):
        if p.done == 2:
            stop["now"] = True
    assert len(list(out.iterdir())) == 2 and not any(f.name.endswith(".deel") for f in out.iterdir())
