"""DUO-levering: preview and export the periodic aggregated absence figures (domain.md §8, provisional
format 0.1), with the school's settings (periods, bands, subdivision, schorsing) and the delivery log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.aggregate import (
    CATEGORY_LABELS,
    SUBDIVISIONS,
    AggregateReport,
    AggregateSettings,
    Period,
    build_aggregate,
    check_settings,
    custom_period,
    delivery_refusal,
    klokuren,
    load_settings,
    parse_bands,
    save_settings,
    school_year_periods,
)
from verzuimdesk.model.law.exports import aggregate_deliveries
from verzuimdesk.model.school.calendar import school_year_name_for
from verzuimdesk.model.school.records import school_years
from verzuimdesk.reports.duo.aggregate import FORMAT_VERSION, export_aggregate
from verzuimdesk.ui.context import PUPILS, REGISTER, SETTINGS, AppContext
from verzuimdesk.ui.forms import error_label, show_inline
from verzuimdesk.ui.widgets import DateEdit, dialog_buttons

CUSTOM = "eigen"


class AggregateSettingsDialog(QDialog):
    """Periods, bands, subdivision and the optional schorsing category."""

    def __init__(self, settings: AggregateSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Instellingen DUO-levering")
        self.result_settings: AggregateSettings | None = None
        self.months = QLineEdit(", ".join(str(m) for m in settings.period_months))
        self.months.setToolTip("De beginmaand van elke periode van het schooljaar; kwartalen: 8, 11, 2, 5.")
        self.bands = QLineEdit("; ".join(dutch.number(b, 2, trim=True) for b in settings.bands))
        self.bands.setToolTip("Percentages van de eigen lestijd, bijvoorbeeld 5; 10; 20.")
        self.subdivision = QComboBox()
        for code, label in SUBDIVISIONS.items():
            self.subdivision.addItem(label, code)
        self.subdivision.setCurrentIndex(self.subdivision.findData(settings.subdivision))
        self.onderbouw = QSpinBox()
        self.onderbouw.setRange(1, 7)
        self.onderbouw.setValue(settings.onderbouw_max)
        self.onderbouw.setPrefix("groep 1 t/m ")
        self.schorsing = QCheckBox("Schorsing en verwijdering apart vermelden (blijft ook in geoorloofd totaal)")
        self.schorsing.setChecked(settings.schorsing)
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow("Perioden (beginmaanden):", self.months)
        form.addRow("Grenzen (% afwezig):", self.bands)
        form.addRow("Onderverdeling:", self.subdivision)
        form.addRow("Onderbouw:", self.onderbouw)
        form.addRow("", self.schorsing)
        form.addRow(self.error)
        form.addRow(dialog_buttons(self))

    def accept(self) -> None:
        try:
            months = tuple(int(m) for m in self.months.text().replace(";", ",").split(",") if m.strip())
        except ValueError:
            show_inline(self.error, "Schrijf de beginmaanden als getallen, bijvoorbeeld 8, 11, 2, 5.")
            return
        try:
            self.result_settings = check_settings(AggregateSettings(
                period_months=months, bands=parse_bands(self.bands.text()),
                subdivision=self.subdivision.currentData(), onderbouw_max=self.onderbouw.value(),
                schorsing=self.schorsing.isChecked()))  # fmt: skip
        except ValidationError as exc:
            show_inline(self.error, str(exc))
            return
        super().accept()


class DuoPage(QWidget):
    title = "DUO-levering"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], dt.date] = dt.date.today
        self.report: AggregateReport | None = None
        self.period_box = QComboBox()
        self.van, self.tot = DateEdit(), DateEdit()
        self.settings_button = QPushButton("&Instellingen…")
        self.export_button = QPushButton("&Exporteren (XML en CSV)…")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setVisible(False)
        self.log = QTableWidget()
        self.log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.log.verticalHeader().setVisible(False)
        self.log.setColumnCount(7)
        self.log.setHorizontalHeaderLabels(["Geleverd op", "Door", "Periode", "Formaat", "Versie", "Bestand",
                                            "Controlegetal (SHA-256)"])  # fmt: skip
        self.log.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Periode:"))
        bar.addWidget(self.period_box)
        bar.addWidget(QLabel("van"))
        bar.addWidget(self.van)
        bar.addWidget(QLabel("t/m"))
        bar.addWidget(self.tot)
        bar.addStretch(1)
        bar.addWidget(self.settings_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>DUO-levering</h2>"))
        intro = QLabel(f"Geaggregeerde verzuimcijfers per periode, alleen aantallen (formaat {FORMAT_VERSION}: "
                       "voorlopig, de officiële specificatie van DUO is er nog niet). Alleen leerplichtige en "
                       "kwalificatieplichtige leerlingen tellen mee, elk tegen de eigen lestijd.")  # fmt: skip
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.preview, 3)
        layout.addWidget(QLabel("<b>Leveringslogboek</b>"))
        layout.addWidget(self.log, 2)

        self._fill_periods()
        self.period_box.currentIndexChanged.connect(lambda _i: self._period_changed())
        self.van.dateChanged.connect(lambda _d: self.refresh_preview())
        self.tot.dateChanged.connect(lambda _d: self.refresh_preview())
        self.settings_button.clicked.connect(self.edit_settings)
        self.export_button.clicked.connect(self.export)
        ctx.changed.connect(self._on_changed)
        self._period_changed()

    # ------------------------------------------------------------------------------------ periods
    def _fill_periods(self) -> None:
        settings = self.ctx.read(load_settings)
        years = [y.name for y in self.ctx.read(school_years)] or [school_year_name_for(self.today())]
        current = self.period_box.currentData()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for year in years:
            for period in school_year_periods(year, settings.period_months):
                self.period_box.addItem(period.label, period)
        self.period_box.addItem("eigen periode", CUSTOM)
        index = next((i for i in range(self.period_box.count()) if current is not None
                      and self.period_box.itemData(i) == current), -1)  # fmt: skip
        if index < 0:  # the period that contains today, else the last one
            today = self.today()
            index = next((i for i in range(self.period_box.count() - 1)
                          if self.period_box.itemData(i).start <= today <= self.period_box.itemData(i).end),
                         max(0, self.period_box.count() - 2))  # fmt: skip
        self.period_box.setCurrentIndex(index)
        self.period_box.blockSignals(False)

    def _period_changed(self) -> None:
        data = self.period_box.currentData()
        custom = data == CUSTOM
        self.van.setEnabled(custom)
        self.tot.setEnabled(custom)
        if not custom and isinstance(data, Period):
            for edit, day in ((self.van, data.start), (self.tot, data.end)):
                edit.blockSignals(True)
                edit.set_date(day)
                edit.blockSignals(False)
        self.refresh_preview()

    def period(self) -> Period | None:
        data = self.period_box.currentData()
        if isinstance(data, Period):
            return data
        try:
            return custom_period(self.van.date_value(), self.tot.date_value())
        except ValidationError:
            return None

    # ------------------------------------------------------------------------------------ data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {REGISTER, PUPILS, SETTINGS}:
            self.refresh()

    def refresh(self) -> None:
        self._fill_periods()
        self._period_changed()
        self.refresh_log()

    def refresh_preview(self) -> None:
        period = self.period()
        if period is None:
            self.report = None
            self.notice.setText("De einddatum ligt vóór de begindatum.")
            self.preview.setRowCount(0)
            self.export_button.setEnabled(False)
            return
        today = self.today()
        refusal = self.ctx.read(delivery_refusal, period, today)
        try:
            self.report = self.ctx.read(build_aggregate, period, today=today)
        except ValidationError as exc:  # a period that has not begun: nothing to show, nothing to deliver
            self.report = None
            self.notice.setText(str(exc))
            self.notice.setStyleSheet("color: #A0471C;")
            self.preview.setRowCount(0)
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(str(exc))
            return
        notes = [refusal] if refusal else []
        if self.report.running:
            notes.insert(0, f"Voorbeeld — {self.report.running_label}: de lestijd en het verzuim zijn geteld tot en "
                            "met die datum. Deze periode kan pas na afloop worden geleverd.")  # fmt: skip
        if self.report.excluded:
            notes.append(f"{dutch.plural(self.report.excluded, 'ingeschreven leerling telt', 'ingeschreven leerlingen tellen')} niet mee: niet leerplichtig of "
                         "kwalificatieplichtig in deze periode (of geboortedatum onbekend).")  # fmt: skip
        self.notice.setText("\n".join(notes))
        self.notice.setStyleSheet("color: #A0471C;" if refusal else "color: #555;")
        self.export_button.setEnabled(not refusal)
        self.export_button.setToolTip(refusal)
        self._fill_preview(self.report)
        self.refresh_log()

    def _fill_preview(self, report: AggregateReport) -> None:
        cats = report.settings.categories
        headers = ["Onderverdeling", "Leerlingen", "Lestijd (uren)"]
        for cat in cats:
            headers += [f"{CATEGORY_LABELS[cat]}\nleerlingen", f"{CATEGORY_LABELS[cat]}\nuren"]
        headers += [f"> {dutch.number(b, 2, trim=True)}%\nleerlingen" for b in report.settings.bands]
        self.preview.clear()
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setRowCount(len(report.rows))
        for r, row in enumerate(report.rows):
            values = [row.subdivision, str(row.pupils), dutch.number(klokuren(row.scheduled_minutes), 2)]
            for cat in cats:
                values += [str(row.pupils_with[cat]), dutch.number(row.hours(cat), 2)]
            values += [str(n) for n in row.bands]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.is_total:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()

    def refresh_log(self) -> None:
        rows = self.ctx.read(aggregate_deliveries)
        self.log.setRowCount(len(rows))
        for r, d in enumerate(rows):
            for c, value in enumerate((f"{dutch.date_time_short(d.exported_at)}", d.exported_by, d.period_label,
                                       d.format.upper(), d.format_version, d.file_name, d.checksum[:16] + "…")):
                item = QTableWidgetItem(value)
                if c == 6:
                    item.setToolTip(d.checksum)
                self.log.setItem(r, c, item)

    # ------------------------------------------------------------------------------------ actions
    def edit_settings(self) -> None:
        dialog = AggregateSettingsDialog(self.ctx.read(load_settings), self)
        if not self.open_dialog(dialog) or dialog.result_settings is None:
            return
        self.ctx.run({SETTINGS}, save_settings, dialog.result_settings)
        self.refresh()

    def export(self) -> None:
        period = self.period()
        if period is None:
            return
        name = f"verzuimaggregaat-{period.code.replace('/', '-')}.xml"
        path = self.ask_save_path(name)
        if not path:
            return
        xml_path = Path(path).with_suffix(".xml")
        csv_path = xml_path.with_suffix(".csv")
        done = self.ctx.run(set(), export_aggregate, period, xml_path=xml_path, csv_path=csv_path, by=self.ctx.user,
                            today=self.today())
        if done is None:
            return
        self.refresh_log()
        self.inform("DUO-levering", f"De cijfers van {period.label} zijn geschreven naar:\n{xml_path}\n{csv_path}\n\n"
                    "Beide bestanden zijn vastgelegd in het leveringslogboek.")  # fmt: skip

    # ------------------------------------------------------------------------------------ hooks (tests replace)
    def open_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def ask_save_path(self, suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(self, "DUO-levering opslaan", suggested,
                                                    "XML-bestand (*.xml)")  # fmt: skip
        return path or None

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def on_shown(self) -> None:
        self.refresh()

