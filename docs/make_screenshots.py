"""Regenerate the README screenshots: the demo school in a temporary database, every screen at 1280×720
(a school laptop: 1920×1080 at 150 %).

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from verzuimdesk.demo import create_demo_school  # noqa: E402
from verzuimdesk.model.db import open_database  # noqa: E402
from verzuimdesk.ui.app import make_application  # noqa: E402
from verzuimdesk.ui.context import AppContext  # noqa: E402
from verzuimdesk.ui.main_window import PAGES, MainWindow  # noqa: E402


def prepare(label: str, page: object, db: object) -> None:
    """Put a screen in the state a reader of the README should see."""
    from sqlmodel import select

    from verzuimdesk.model.tables.law import Intervention

    if label == "Dossier":
        with db.session() as s:  # type: ignore[attr-defined]
            pupil_id = s.exec(select(Intervention.pupil_id)).first()
        page.show_pupil(pupil_id)  # type: ignore[attr-defined]
    elif label == "Overzichten":
        page.pupil_list.setCurrentRow(3)  # type: ignore[attr-defined]
        page.make_preview()  # type: ignore[attr-defined]
    elif label in ("Verlof", "Meldingen"):
        page.view.selectRow(0)  # type: ignore[attr-defined]


def conflict_shot(window: MainWindow, db: object, out: Path) -> Path:
    """intussen-gewijzigd.png (issue 14): the register on this PC while the teacher, on her PC, changed the same
    lesson; the window "Intussen gewijzigd" over the main window, as the user sees it when typing a code."""
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtGui import QPainter

    from verzuimdesk.model.actor import Actor
    from verzuimdesk.model.register.view import register_cells
    from verzuimdesk.ui.conflict import ConflictDialog

    page = window.show_page("Register")
    QTest.qWait(300)
    view = page.view  # type: ignore[attr-defined]
    row, column = next((r, c) for r, pupil in enumerate(view.rows) for c, cell in enumerate(pupil.cells)
                       if cell.scheduled and cell.reason is None and r >= 2)  # a lesson this PC shows as present
    page.grid.go_to(row, column)  # type: ignore[attr-defined]
    teacher = open_database(db.url, key=db.key)  # type: ignore[attr-defined]  # her PC, on the same school file
    teacher.actor = Actor(username="leerkracht", role="leerkracht", permissions=frozenset(),
                          full_name="P. van Dam (groep 5)")  # a demo account
    with teacher.transaction() as s:  # the name her screens record, as ctx.user does
        register_cells(s, view.day, [(view.rows[row].pupil_id, view.lessons[column].number)], "Z", by="P. van Dam")
    teacher.close()
    path = out / "intussen-gewijzigd.png"

    def photograph() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConflictDialog), dialog
        picture = window.grab()
        shown = dialog.grab()
        painter = QPainter(picture)
        painter.drawPixmap(QPoint((picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 3),
                           shown)
        painter.end()
        picture.save(str(path))
        dialog.reload_button.click()

    QTimer.singleShot(300, photograph)
    QTest.keyClick(page.grid, Qt.Key.Key_O)  # type: ignore[attr-defined]  # this PC types O on what it saw
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description="Maak schermafdrukken van elk scherm met de demoschool.")
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _app = make_application(sys.argv[:1])  # the reference keeps the application alive while screens are made
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "demo.sqlite"))
        create_demo_school(db)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(AppContext(db), settings)
        window.resize(1280, 720)
        window.show()
        for label, _module, _cls in PAGES:
            if not window.allowed(label):  # Bestuur: only in a school of a board
                continue
            page = window.show_page(label)
            prepare(label, page, db)
            QTest.qWait(300)  # deferred work (the signals inbox computes after it is shown)
            name = unicodedata.normalize("NFKD", label.lower()).encode("ascii", "ignore").decode()  # ASCII names
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)
        print(conflict_shot(window, db, out))
        window.close()
        db.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
