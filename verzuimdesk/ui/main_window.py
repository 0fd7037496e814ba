"""The main window: navigation on the left, one screen at a time, remembered size and layout."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from verzuimdesk import __version__
from verzuimdesk.model.db import url_for_display
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.security.roles import ROLES
from verzuimdesk.ui.context import ALL, AppContext
from verzuimdesk.ui.widgets import scrolling

# (navigation label, module, class): the screens in the order of a morning's work, then the rest.
PAGES: list[tuple[str, str, str]] = [
    ("Register", "verzuimdesk.ui.register.page", "RegisterPage"),
    ("Nabellen", "verzuimdesk.ui.register.nabellen", "NabellenPage"),
    ("Signalen", "verzuimdesk.ui.signals.page", "SignalsPage"),
    ("Verlof", "verzuimdesk.ui.leave.page", "LeavePage"),
    ("Dossier", "verzuimdesk.ui.dossier.page", "DossierPage"),
    ("Meldingen", "verzuimdesk.ui.meldingen.page", "MeldingenPage"),
    ("Brieven", "verzuimdesk.ui.letters.page", "LettersPage"),
    ("Overzichten", "verzuimdesk.ui.documents.overviews", "DocumentsPage"),
    ("DUO-levering", "verzuimdesk.ui.documents.duo", "DuoPage"),
    ("Schoolgids", "verzuimdesk.ui.documents.schoolgids", "PolicyPage"),
    ("Leerlingen", "verzuimdesk.ui.setup.pupils", "PupilsPage"),
    ("Groepen", "verzuimdesk.ui.setup.groups", "GroupsPage"),
    ("Kalender", "verzuimdesk.ui.setup.calendar", "CalendarPage"),
    ("Instellingen", "verzuimdesk.ui.setup.settings", "SettingsPage"),
    ("Back-ups", "verzuimdesk.ui.backup.page", "BackupPage"),  # the screen: "Reservekopieën en logboek"
    ("Accounts", "verzuimdesk.ui.security.accounts", "AccountsPage"),
    ("Privacy", "verzuimdesk.ui.security.privacy", "PrivacyPage"),
    ("Bestuur", "verzuimdesk.ui.board.page", "BoardPage"),  # only in a school of a board, for a board account
]
# Screen → the permission it needs (model/security/roles.py); a screen a role may not use is not in the
# navigation, and the operations behind it refuse as well (ui/context.py).
PAGE_PERMISSIONS = {
    "Register": "register", "Nabellen": "nabellen", "Signalen": "signalen", "Verlof": "verlof",
    "Dossier": "dossier", "Meldingen": "meldingen", "Brieven": "dossier", "Overzichten": "overzichten",
    "DUO-levering": "meldingen", "Back-ups": "instellingen",
    "Schoolgids": "instellingen", "Leerlingen": "instellingen", "Groepen": "instellingen",
    "Kalender": "instellingen", "Instellingen": "instellingen", "Accounts": "gebruikers", "Privacy": "privacy",
    "Bestuur": "bestuur",
}  # fmt: skip
REGISTER_PERMISSIONS = ("register_lezen", "register_schrijven", "register_eigen")
# A school laptop: every screen fits 1280×720 logical pixels (1920×1080 at 150 %) without scrolling, and
# the window can be made as small as 1024×700; a screen that needs more room than that scrolls.
WORKS_AT = [(1280, 720), (1024, 700)]
SMALLEST = (760, 520)  # below this a screen is more scroll bar than screen
NAV_MIN_WIDTH = 170
# Section headings in the navigation, placed before the screen named.
SECTIONS = {"Register": "Dagelijks", "Dossier": "Leerlingzaken", "DUO-levering": "Verantwoording",
            "Leerlingen": "Inrichting"}

NAV_STYLE = """
QListWidget#navigation { font-size: 11pt; border: none; background: palette(window); padding-top: 6px; }
QListWidget#navigation::item { padding: 9px 14px; border-radius: 4px; margin: 1px 6px; }
QListWidget#navigation::item:selected { background: #2F6DB5; color: white; }
QListWidget#navigation::item:hover:!selected { background: #DCE6F2; }
QListWidget#navigation::item:disabled { color: #6B7785; font-size: 9pt; font-weight: bold; padding: 12px 0px 2px 8px; }
"""

IMPORT_KINDS = [
    ("EDEXML-bestand uit een ander schoolsysteem", "edexml", "EDEXML (*.xml)"),
    ("Leerlingen uit Excel of CSV", "leerlingen", "Spreadsheets (*.xlsx *.csv)"),
    ("Groepen uit Excel of CSV", "groepen", "Spreadsheets (*.xlsx *.csv)"),
    ("Schoolinrichting (school, kalender, groepen, roosters)", "inrichting", "Inrichtingsbestand (*.toml)"),
    ("Verzuimgeschiedenis uit Excel of CSV", "verzuim", "Spreadsheets (*.xlsx *.csv)"),
]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.dialog_parent = self
        self.settings = settings or QSettings("verzuimdesk", "verzuimdesk")
        self.setWindowTitle("verzuimdesk")
        self.setMinimumSize(*SMALLEST)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(240)
        self.nav.setMinimumWidth(NAV_MIN_WIDTH)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._build_pages()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self._show_page)
        self._build_menu()
        self.school_label = QLabel()
        self.statusBar().addPermanentWidget(self.school_label)
        ctx.changed.connect(self._update_status)
        self._update_status(ALL)
        self._restore()

    # ------------------------------------------------------------------------------------- building
    def _build_pages(self) -> None:
        """Navigation items and empty places in the stack; a screen is built when first shown, so that
        starting the program does no work the first screen does not need."""
        self._nav_rows: list[str | None] = []  # navigation row → screen label (None for a heading)
        for number, (label, _module, _cls) in enumerate(PAGES, start=1):
            if label in SECTIONS:
                heading = QListWidgetItem(SECTIONS[label])
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                self.nav.addItem(heading)
                self._nav_rows.append(None)
            self.stack.addWidget(QWidget())
            item = QListWidgetItem(label)
            item.setToolTip(f"{label} (Ctrl+{number})" if number <= 9 else label)
            self.nav.addItem(item)
            self._nav_rows.append(label)
            item.setHidden(not self.allowed(label))
        for row, label in enumerate(self._nav_rows):  # a heading whose screens are all hidden goes too
            if label is None:
                rest = self._nav_rows[row + 1:]
                section = rest[: rest.index(None)] if None in rest else rest
                self.nav.item(row).setHidden(not any(self.allowed(str(lb)) for lb in section))

    def allowed(self, label: str) -> bool:
        """May the logged-in user use this screen? (Everyone when nobody is logged in: tests of screens.)"""
        permission = PAGE_PERMISSIONS.get(label, "gebruikers")
        if permission == "bestuur":  # a board account in a school of a board (model/board/access.py)
            from verzuimdesk.model.board.access import is_board_user

            return self.ctx.db.school is not None and self.ctx.read(is_board_user)
        if permission == "register":
            return any(self.ctx.may(p) for p in REGISTER_PERMISSIONS)
        return self.ctx.may(permission)

    def page(self, label: str) -> QWidget:
        """The screen called ``label``, built now if it was not yet."""
        if not self.allowed(label):
            from verzuimdesk.model.errors import AccessDeniedError

            raise AccessDeniedError(f"Uw account mag het scherm {label} niet gebruiken.")
        if label not in self.pages:
            row = [p[0] for p in PAGES].index(label)
            _label, module, cls = PAGES[row]
            page = getattr(importlib.import_module(module), cls)(self.ctx)
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.insertWidget(row, scrolling(page))  # a screen larger than the window scrolls
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self.pages[label] = page
            if label == "Leerlingen":
                page.open_dossier = lambda pid: self.show_page("Dossier").show_pupil(pid)  # type: ignore[attr-defined]
            if hasattr(page, "restore_state"):
                page.restore_state(self.settings)
        return self.pages[label]

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&Bestand")
        imp = QAction("&Importeren…", self)
        imp.setShortcut(QKeySequence("Ctrl+I"))
        imp.triggered.connect(self.import_file)
        imp.setEnabled(self.ctx.may("instellingen"))
        file_menu.addAction(imp)
        file_menu.addSeparator()
        lock = QAction("&Vergrendelen", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        file_menu.addAction(lock)
        password = QAction("Eigen &wachtwoord wijzigen…", self)
        password.triggered.connect(self.change_own_password)
        password.setEnabled(self.ctx.actor is not None)
        file_menu.addAction(password)
        file_menu.addSeparator()
        quit_action = QAction("&Afsluiten", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu("&Ga naar")
        for number, (label, _m, _c) in enumerate(PAGES, start=1):
            action = QAction(label, self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, name=label: self.show_page(name))
            action.setEnabled(self.allowed(label))
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&Over verzuimdesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _show_page(self, row: int) -> None:
        label = self._nav_rows[row] if 0 <= row < len(self._nav_rows) else None
        if label is None:
            return
        page = self.page(label)
        self.stack.setCurrentIndex([p[0] for p in PAGES].index(label))
        if hasattr(page, "on_shown"):
            page.on_shown()

    def show_page(self, label: str) -> QWidget:
        self.nav.setCurrentRow(self._nav_rows.index(label))
        return self.page(label)

    def current_page(self) -> QWidget | None:
        """The screen shown now (``None`` before any was built)."""
        label = self.current_label()
        return self.pages.get(label)

    def current_label(self) -> str:
        return PAGES[self.stack.currentIndex()][0]

    def _update_status(self, _kinds: object) -> None:
        school = self.ctx.read(get_school)
        name = school.name if school else "(geen school ingericht)"
        self.setWindowTitle(f"{name} — verzuimdesk")
        actor = self.ctx.actor
        who = f"ingelogd als {actor.username} ({ROLES[actor.role].label})  ·  " if actor else ""
        local = self.ctx.db.engine.dialect.name == "sqlite"  # issue 11: is the file encrypted (on a server: n/a)
        locked = ("  ·  versleuteld" if self.ctx.db.key is not None else "  ·  NIET versleuteld") if local else ""
        self.school_label.setText(f"{who}{name}  ·  database: {url_for_display(self.ctx.db.url)}{locked}")

    # ------------------------------------------------------------------------------------- actions
    def import_file(self) -> None:
        if not self.ctx.may("instellingen"):
            self.ctx.report("Uw account mag geen bestanden inlezen; vraag het de beheerder.")
            return
        labels = [k[0] for k in IMPORT_KINDS]
        label, ok = QInputDialog.getItem(self, "Importeren", "Wat wilt u inlezen?", labels, 0, False)
        if not ok:
            return
        _label, kind, pattern = IMPORT_KINDS[labels.index(label)]
        path, _ = QFileDialog.getOpenFileName(self, "Bestand kiezen", self.settings.value("import/dir", ""), pattern)
        if not path:
            return
        self.settings.setValue("import/dir", path.rsplit("/", 1)[0])
        from verzuimdesk.ui.imports import report_dialog, run_in_background

        worker = run_in_background(self, self.ctx.db, kind, path)  # off the UI thread, with Annuleren
        if worker.result is not None:
            self.ctx.changed.emit(ALL)
        dialog = report_dialog(self, worker)
        if dialog is None:
            self.statusBar().showMessage("Het inlezen is afgebroken; er is niets gewijzigd.", 8000)
            return
        dialog.exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "Over verzuimdesk",
            f"<b>verzuimdesk {__version__}</b><br>Verzuimregistratie volgens de Leerplichtwet 1969 voor "
            "scholen in het po, sbo, so en vso.<br><br>Database: " + url_for_display(self.ctx.db.url),
        )

    def lock(self) -> None:
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.lock()

    def change_own_password(self) -> None:
        from verzuimdesk.ui.security.accounts import PasswordDialog

        actor = self.ctx.actor
        if actor is not None and self.allowed("Bestuur"):  # a board account: its password is the board's
            from verzuimdesk.model.board.admin import change_board_password
            from verzuimdesk.ui.board.access import BoardAccess
            from verzuimdesk.ui.board.accounts import ask_new_password

            password = ask_new_password(self, actor.username)
            if password is not None:
                BoardAccess.of_school(self.ctx).run(change_board_password, actor.username, password)
        elif actor is not None:
            PasswordDialog(self.ctx, actor.username, self).exec()

    # ------------------------------------------------------------------------------------- state
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            room = self.screen().availableGeometry()
            self.resize(min(1280, room.width()), min(800, room.height()))
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([NAV_MIN_WIDTH, 1280 - NAV_MIN_WIDTH])
        label = str(self.settings.value("window/screen", "") or "")
        first = next((p[0] for p in PAGES if self.allowed(p[0])), PAGES[0][0])
        self.show_page(label if label in self._nav_rows and self.allowed(label) else first)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/screen", self.current_label())
        for page in self.pages.values():
            if hasattr(page, "save_state"):
                page.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.save_state()
        super().closeEvent(event)
