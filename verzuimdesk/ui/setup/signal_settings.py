"""Instellingen → Signalering: the school's own signal rules (zorgelijk verzuim, domain.md §7.3; care, §7.4),
the lateness policy and ladder (§4.4), the tier cut-offs (§10) and the choices on mandatory meldingen.

Why this file is long: one settings tab with three editors (rules, lateness policy with its ladder, tiers and
melding choices) that save together.

Rules are data: each rule's Dutch description is generated from its kind, threshold and weeks
(``describe_rule``), and that text is what the schoolgids quotes, so the text and the detector cannot
disagree. Validation messages come from the model (``save_rule``, ``check_lateness_policy`` …)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals.policy import (
    FIXED_MINUTES,
    KIND_LABELS,
    LATENESS_MODES,
    UNITS,
    WEEKS_KINDS,
    LadderStep,
    LatenessPolicy,
    MeldingPolicy,
    check_rule,
    describe_rule,
    get_lateness_policy,
    get_melding_policy,
    lesuren_allowed,
)
from verzuimdesk.model.law.signals.rules import (
    POLICY_KEYS,
    delete_rule,
    list_rules,
    purpose_for,
    save_policies,
    set_rule_active,
    store_rule,
)
from verzuimdesk.model.register.tiers import TierPolicy, get_tier_policy
from verzuimdesk.model.store import setting_versions
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalRule
from verzuimdesk.ui.context import SETTINGS, SIGNALS, AppContext
from verzuimdesk.ui.forms import (
    confirm,
    error_label,
    fit_columns,
    selected_row,
    show_inline,
    table_view,
)
from verzuimdesk.ui.widgets import DUTCH, Column, RowsModel, dialog_buttons

CHANGED = {SIGNALS, SETTINGS}
PURPOSES = {RulePurpose.WORRYING.value: "zorgelijk verzuim", RulePurpose.CARE.value: "zorg (MAZL)"}
MODE_LABELS = {"werkelijke_minuten": "werkelijke minuten te laat", "hele_les": "de hele les",
               "vast_aantal": "vast aantal minuten per keer"}  # fmt: skip


def _threshold_text(rule: SignalRule) -> str:
    kind = RuleKind(rule.kind)
    if kind == RuleKind.HOURS_UNAUTHORISED:
        return f"{rule.threshold} uur"
    if kind == RuleKind.SICK_CONSECUTIVE:
        return dutch.plural(rule.threshold, "dag", "dagen")
    return f"{rule.threshold} keer"


RULE_COLUMNS: list[Column[SignalRule]] = [
    Column("Soort", lambda r: KIND_LABELS.get(RuleKind(r.kind), r.kind), sort_key=lambda r: r.sort_order),
    Column("Drempel", _threshold_text, sort_key=lambda r: r.threshold, align_right=True),
    Column("Lesweken", lambda r: r.weeks if RuleKind(r.kind) in WEEKS_KINDS else "—", align_right=True),
    Column("Doel", lambda r: PURPOSES.get(r.purpose, r.purpose)),
    Column("Actief", lambda r: "ja" if r.active else "nee"),
    Column("Omschrijving (voor de schoolgids)", lambda r: r.description, tooltip=lambda r: r.description),
]


# ------------------------------------------------------------------------------------------ dialog


class RuleDialog(QDialog):
    """A rule: kind, threshold (N), weeks (M), active; the schoolgids text is shown as it will be stored."""

    def __init__(self, ctx: AppContext, rule: SignalRule | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rule_id = rule.id if rule else None
        self.setWindowTitle("Signaalregel bewerken" if rule else "Nieuwe signaalregel")
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        for kind in RuleKind:
            self.kind.addItem(f"{KIND_LABELS[kind]} ({PURPOSES[purpose_for(kind.value)]})", kind.value)
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 200)
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 40)
        self.weeks.setSuffix(" lesweken")
        self.active = QCheckBox("regel toepassen")
        self.active.setChecked(True)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #F4F6F9; padding: 6px; border: 1px solid #D5DBE3;")
        self.error = error_label()
        if rule is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(rule.kind), 0))
            self.threshold.setValue(rule.threshold)
            self.weeks.setValue(rule.weeks or 1)
            self.active.setChecked(rule.active)
        form = QFormLayout()
        form.addRow("Soort:", self.kind)
        form.addRow("Drempel (N):", self.threshold)
        form.addRow("Periode (M):", self.weeks)
        form.addRow("", self.active)
        buttons = dialog_buttons(self, "Opslaan")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Tekst voor de schoolgids (wordt met de regel opgeslagen):"))
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for w in (self.threshold, self.weeks):
            w.valueChanged.connect(lambda _v: self._update())
        self.kind.currentIndexChanged.connect(lambda _i: self._update())
        self._update()

    def draft(self) -> SignalRule:
        kind = self.kind.currentData()
        return SignalRule(kind=kind, purpose=purpose_for(kind), threshold=self.threshold.value(),
                          weeks=self.weeks.value() if RuleKind(kind) in WEEKS_KINDS else 1)  # fmt: skip

    def _update(self) -> None:
        kind = RuleKind(self.kind.currentData())
        self.weeks.setEnabled(kind in WEEKS_KINDS)
        self.threshold.setSuffix(" uur" if kind == RuleKind.HOURS_UNAUTHORISED else
                                 " schooldagen" if kind == RuleKind.SICK_CONSECUTIVE else " keer")  # fmt: skip
        draft = self.draft()
        self.preview.setText(describe_rule(draft))
        try:
            check_rule(draft)
            show_inline(self.error, "")
        except ValidationError as exc:
            show_inline(self.error, str(exc))

    def accept(self) -> None:
        draft = self.draft()
        saved = self.ctx.run(CHANGED, store_rule, self.rule_id, draft.kind, draft.threshold, draft.weeks,
                             self.active.isChecked())  # fmt: skip
        if saved is None:
            show_inline(self.error, self.error.text() or "Niet opgeslagen; zie de melding.")
            return
        super().accept()


# ------------------------------------------------------------------------------------------ the tab


class SignalSettings(QWidget):
    """The "Signalering" tab of Instellingen."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rules_model: RowsModel[SignalRule] = RowsModel(RULE_COLUMNS)
        self.rules, self.rules_proxy = table_view(self.rules_model, stretch=5)
        fit_columns(self.rules, [200, 70, 75, 120, 55])
        self.rules.setMinimumHeight(300)
        self.rules.setWordWrap(True)
        self.rules.doubleClicked.connect(lambda _i: self.edit_rule())
        rule_bar = QHBoxLayout()
        self.toggle_button = QPushButton("A&an/uit")
        for text, slot in (("&Toevoegen…", self.add_rule), ("&Bewerken…", self.edit_rule),
                           ("&Verwijderen", self.remove_rule)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            rule_bar.addWidget(button)
        self.toggle_button.clicked.connect(self.toggle_rule)
        rule_bar.addWidget(self.toggle_button)
        rule_hint = QLabel("Zorgelijk verzuim: de school beschrijft zelf wanneer zij een signaal geeft (alleen in "
                           "deze situaties mag dat). Zorgsignalen (ziekte) zijn voor de intern begeleider of de "
                           "jeugdarts en nooit een melding.")  # fmt: skip
        rule_hint.setWordWrap(True)
        rule_hint.setStyleSheet("color: #555;")
        rule_bar.addWidget(rule_hint, 1)
        rules_box = QGroupBox("Regels voor signalen (verzuimbeleid in de schoolgids)")
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addLayout(rule_bar)
        rules_layout.addWidget(self.rules)

        self.lateness_box = self._lateness_box()
        self.tier_box = self._tier_box()
        self.melding_box = self._melding_box()
        self.policy_error = error_label()
        save = QPushButton("Beleid &opslaan")
        save.clicked.connect(self.save_policies)
        right = QVBoxLayout()
        right.addWidget(self.tier_box)
        right.addWidget(self.melding_box)
        right.addStretch(1)
        policies = QHBoxLayout()
        policies.addWidget(self.lateness_box, 3)
        policies.addLayout(right, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.policy_error, 1)
        bottom.addStretch(1)
        bottom.addWidget(save)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(rules_box, 1)
        layout.addLayout(policies)
        layout.addLayout(bottom)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.rules.selectionModel().selectionChanged.connect(lambda *_a: self._rule_selected())
        ctx.changed.connect(self._on_changed)
        self._loaded = False

    # ------------------------------------------------------------------------------------- boxes
    def _lateness_box(self) -> QGroupBox:
        box = QGroupBox("Te laat komen")
        form = QFormLayout(box)
        self.mode = QComboBox()
        for value in LATENESS_MODES:
            self.mode.addItem(MODE_LABELS.get(value, value), value)
        self.fixed = QSpinBox()
        self.fixed.setRange(1, 240)
        self.fixed.setSuffix(" minuten per keer")
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.fixed.valueChanged.connect(lambda _v: self._mode_changed())
        self.mode_text = QLabel()
        self.mode_text.setWordWrap(True)
        self.mode_text.setStyleSheet("color: #555;")
        self.ladder_on = QCheckBox("ladder van acties gebruiken (elke stap geeft een signaal)")
        self.ladder = QTableWidget(0, 2)
        self.ladder.setHorizontalHeaderLabels(["Keer te laat", "Actie"])
        self.ladder.verticalHeader().setVisible(False)
        self.ladder.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.ladder.setColumnWidth(0, 95)
        self.ladder.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ladder.setMinimumHeight(150)
        self.ladder.setMaximumHeight(160)
        add = QPushButton("Stap toevoegen")
        add.clicked.connect(lambda: self._add_step(LadderStep(self._next_times(), "")))
        remove = QPushButton("Stap verwijderen")
        remove.clicked.connect(self._remove_step)
        steps = QHBoxLayout()
        steps.addWidget(add)
        steps.addWidget(remove)
        steps.addStretch(1)
        form.addRow("Telt als:", self.mode)
        form.addRow("", self.fixed)
        form.addRow(self.mode_text)
        form.addRow(self.ladder_on)
        form.addRow(self.ladder)
        form.addRow(steps)
        return box

    def _tier_box(self) -> QGroupBox:
        box = QGroupBox("Aanwezigheidsniveaus")
        form = QFormLayout(box)
        self.niveau2 = QDoubleSpinBox()
        self.niveau3 = QDoubleSpinBox()
        for spin in (self.niveau2, self.niveau3):
            spin.setRange(0.5, 100)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setSuffix(" % afwezig")
            spin.setLocale(DUTCH)
        self.tier_period = QComboBox()
        self.tier_period.addItem("schooljaar tot nu toe", None)
        self.tier_period.addItem("laatste weken", "weken")
        self.tier_weeks = QSpinBox()
        self.tier_weeks.setRange(1, 52)
        self.tier_weeks.setSuffix(" weken")
        self.tier_period.currentIndexChanged.connect(lambda _i: self.tier_weeks.setEnabled(
            self.tier_period.currentData() is not None))
        form.addRow("Niveau 2 vanaf:", self.niveau2)
        form.addRow("Niveau 3 vanaf:", self.niveau3)
        form.addRow("Periode:", self.tier_period)
        form.addRow("", self.tier_weeks)
        hint = QLabel("Geoorloofd en ongeoorloofd verzuim samen, als deel van de ingeroosterde tijd. Gangbaar: "
                      "onder 5 % niveau 1, 5–10 % niveau 2, vanaf 10 % niveau 3 (chronisch verzuim).")  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        return box

    def _melding_box(self) -> QGroupBox:
        box = QGroupBox("Verplichte meldingen")
        form = QFormLayout(box)
        self.luxe_weekend = QCheckBox("luxe verzuim: ook rond een lang weekend")
        self.luxe_weekend.setToolTip("Standaard uit: artikel 13a Leerplichtwet noemt schoolvakanties.")
        self.luxe_refused = QCheckBox("luxe verzuim: verzuim in een periode waarvoor verlof is geweigerd")
        self.lrv_weeks = QSpinBox()
        self.lrv_weeks.setRange(1, 12)
        self.lrv_weeks.setSuffix(" lesweken")
        form.addRow(self.luxe_weekend)
        form.addRow(self.luxe_refused)
        form.addRow("Langdurig relatief verzuim na:", self.lrv_weeks)
        self.unit = QComboBox()
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit.setMinimumContentsLength(16)
        for value, label in UNITS.items():
            self.unit.addItem(label, value)
        self.unit.setToolTip("Primair onderwijs telt de 16 uur (art. 21a Leerplichtwet) in klokuren; het vso kan "
                             "kiezen voor lesuren: 16 lessen van ten hoogste 60 minuten.")  # fmt: skip
        form.addRow("De 16 uur tellen in:", self.unit)
        return box

    # ------------------------------------------------------------------------------------- data
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & CHANGED:
            self.refresh()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        current = self.selected_rule()
        rules = self.ctx.run(set(), list_rules)  # stores the default rules the first time
        self.rules_model.set_rows(rules or [])
        self.rules.resizeRowsToContents()
        if current is not None:
            self.select_rule(current.id)
        self.policy_versions = self.ctx.read(setting_versions, POLICY_KEYS)  # as shown (issue 14)
        lateness = self.ctx.read(get_lateness_policy)
        self.mode.setCurrentIndex(max(self.mode.findData(lateness.mode), 0))
        self.fixed.setValue(lateness.fixed_minutes or 5)
        self.ladder_on.setChecked(lateness.ladder_enabled)
        self.ladder.setRowCount(0)
        for step in lateness.ladder:
            self._add_step(step)
        tier = self.ctx.read(get_tier_policy)
        self.niveau2.setValue(tier.niveau2_from)
        self.niveau3.setValue(tier.niveau3_from)
        self.tier_period.setCurrentIndex(0 if tier.weeks is None else 1)
        self.tier_weeks.setValue(tier.weeks or 8)
        self.tier_weeks.setEnabled(tier.weeks is not None)
        melding = self.ctx.read(get_melding_policy)
        self.luxe_weekend.setChecked(melding.luxe_long_weekend)
        self.luxe_refused.setChecked(melding.luxe_refused_leave)
        self.lrv_weeks.setValue(melding.lrv_weeks)
        self.unit.setCurrentIndex(max(self.unit.findData(melding.unit), 0))
        self.unit.setEnabled(self.ctx.read(lesuren_allowed) or melding.unit != "klokuren")
        self._mode_changed()
        self._rule_selected()

    def _mode_changed(self) -> None:
        self.fixed.setEnabled(self.mode.currentData() == FIXED_MINUTES)
        self.mode_text.setText(LatenessPolicy(mode=self.mode.currentData(), fixed_minutes=self.fixed.value()).describe())

    def _add_step(self, step: LadderStep) -> None:
        row = self.ladder.rowCount()
        self.ladder.insertRow(row)
        times = QTableWidgetItem(str(step.times))
        times.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.ladder.setItem(row, 0, times)
        self.ladder.setItem(row, 1, QTableWidgetItem(step.action))

    def _next_times(self) -> int:
        steps = self.ladder_steps(strict=False)
        return (steps[-1].times + 3) if steps else 3

    def _remove_step(self) -> None:
        row = self.ladder.currentRow()
        if row >= 0:
            self.ladder.removeRow(row)

    def ladder_steps(self, *, strict: bool = True) -> list[LadderStep]:
        out = []
        for row in range(self.ladder.rowCount()):
            times_item, action_item = self.ladder.item(row, 0), self.ladder.item(row, 1)
            text = times_item.text().strip() if times_item else ""
            if not text.isdigit():
                if strict:
                    raise ValidationError(f"Vul bij stap {row + 1} van de ladder een aantal keer te laat in (een "
                                          "heel getal).")  # fmt: skip
                continue
            out.append(LadderStep(int(text), action_item.text().strip() if action_item else ""))
        return out

    def policies(self) -> tuple[LatenessPolicy, TierPolicy, MeldingPolicy]:
        lateness = LatenessPolicy(mode=self.mode.currentData(), fixed_minutes=self.fixed.value(),
                                  ladder_enabled=self.ladder_on.isChecked(), ladder=tuple(self.ladder_steps()))
        tier = TierPolicy(niveau2_from=self.niveau2.value(), niveau3_from=self.niveau3.value(),
                          weeks=self.tier_weeks.value() if self.tier_period.currentData() is not None else None)
        melding = MeldingPolicy(luxe_long_weekend=self.luxe_weekend.isChecked(),
                                luxe_refused_leave=self.luxe_refused.isChecked(), lrv_weeks=self.lrv_weeks.value(),
                                unit=self.unit.currentData())
        return lateness, tier, melding

    # ------------------------------------------------------------------------------------- actions
    def save_policies(self) -> bool:
        show_inline(self.policy_error, "")
        try:
            lateness, tier, melding = self.policies()
        except ValidationError as exc:
            self.ctx.report(str(exc))
            show_inline(self.policy_error, str(exc))
            return False
        if self.ctx.run(CHANGED, save_policies, lateness, tier, melding, versions=self.policy_versions) is None:
            show_inline(self.policy_error, "Niet opgeslagen; zie de melding.")
            return False
        return True

    def selected_rule(self) -> SignalRule | None:
        return selected_row(self.rules, self.rules_proxy)

    def select_rule(self, rule_id: int | None) -> bool:
        for i in range(self.rules_proxy.rowCount()):
            if self.rules_model.row_at(self.rules_proxy.mapToSource(self.rules_proxy.index(i, 0)).row()).id == rule_id:
                self.rules.selectRow(i)
                return True
        return False

    def _rule_selected(self) -> None:
        rule = self.selected_rule()
        self.toggle_button.setText("&Uitzetten" if rule is not None and rule.active else "A&anzetten")
        self.toggle_button.setEnabled(rule is not None)

    def open_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally (tests replace this)."""
        return bool(dialog.exec())

    def confirm(self, question: str) -> bool:
        return confirm(self, "Signaalregel", question)

    def add_rule(self) -> None:
        self.open_dialog(RuleDialog(self.ctx, None, self))

    def edit_rule(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.open_dialog(RuleDialog(self.ctx, rule, self))

    def toggle_rule(self) -> None:
        rule = self.selected_rule()
        if rule is not None and rule.id is not None:
            self.ctx.run(CHANGED, set_rule_active, rule.id, not rule.active)
            self.select_rule(rule.id)

    def remove_rule(self) -> None:
        rule = self.selected_rule()
        if rule is not None and rule.id is not None and self.confirm(
                f"De regel '{KIND_LABELS.get(RuleKind(rule.kind), rule.kind)}' verwijderen?"):
            self.ctx.run(CHANGED, delete_rule, rule.id)
