"""The dialog "Intussen gewijzigd" (issue 14 point 3): another user changed what this screen showed.

It says who changed it and when, that nothing of this save was stored, and lists the user's own input that was
not saved (selectable, so it can be copied), so nothing is lost silently. "Opnieuw laden" reloads the screens
(ui/context.py announces the action's kinds as changed); "Sluiten" leaves the screen as it is.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model.errors import ConflictError


class ConflictDialog(QDialog):
    def __init__(self, exc: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Intussen gewijzigd")
        self.setMinimumWidth(520)
        heading = QLabel("<b>Intussen gewijzigd door een andere gebruiker</b>")
        self.message = QLabel(str(exc))
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        self.unsaved = QPlainTextEdit("\n".join(exc.attempted))
        self.unsaved.setReadOnly(True)
        self.unsaved.setMaximumHeight(110)
        if exc.attempted:
            layout.addWidget(QLabel("Uw invoer die niet is opgeslagen:"))
            layout.addWidget(self.unsaved)
        else:
            self.unsaved.hide()
        buttons = QDialogButtonBox()
        self.reload_button: QPushButton = buttons.addButton("Opnieuw laden", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button: QPushButton = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.reload_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def ask(self) -> bool:
        """Show the dialog modally; True when the user chose "Opnieuw laden"."""
        return self.exec() == QDialog.DialogCode.Accepted
