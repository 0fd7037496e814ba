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


def main() -> int:
    parser = argparse.ArgumentParser(description="Maak schermafdrukken van elk scherm met de demoschool.")
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(sys.argv[:1])
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
        window.close()
        db.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
