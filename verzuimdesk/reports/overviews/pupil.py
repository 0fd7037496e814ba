"""The per-pupil absence overview for the parent conversation (issue 4 part 1; domain.md §10), as PDF.

:func:`render_pupil_overview` is a pure function of a :class:`~verzuimdesk.reports.data.PupilOverview`;
:func:`pupil_overview_pdf` gathers the data and renders it. One or two A4 pages, also for a pupil with a
year of heavy absence: signals are summed up per kind, and only the most recent contacts and interventions
are listed (the rest is in the dossier, and the overview says how many).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES
from verzuimdesk.reports.charts import calendar_drawing, legend_drawing, trend_drawing
from verzuimdesk.reports.data import Period, PupilOverview, SignalLine, format_pct, short_date
from verzuimdesk.reports.overviews.pupil_data import build_pupil_overview
from verzuimdesk.reports.pdf_common import (
    ACCENT,
    FONT,
    FONT_BOLD,
    FRAME_W,
    INK,
    LIGHT,
    DocHeader,
    build_pdf,
    grid_table,
    para,
    styles,
)
from verzuimdesk.reports.source import ReportSource, date_span_text

TITLE = "Overzicht aanwezigheid en verzuim"
MAX_CONTACTS, MAX_INTERVENTIONS = 6, 4  # the most recent ones; the overview stays within two pages


def pupil_overview_pdf(session: Session, pupil_id: int, period: Period, *, include_sickness_details: bool = False,
                       today: dt.date | None = None, source: ReportSource | None = None) -> bytes:
    data = build_pupil_overview(session, pupil_id, period, include_sickness_details=include_sickness_details,
                                today=today, source=source)  # fmt: skip
    return render_pupil_overview(data)


def header_for(data: PupilOverview) -> DocHeader:
    return DocHeader(data.school.name, TITLE, f"{data.pupil_name} · {data.group_name} · {data.period.text}",
                     data.school.logo_path, data.printed_on)  # fmt: skip


def render_pupil_overview(data: PupilOverview) -> bytes:
    return build_pdf(story(data), header_for(data))


def story(data: PupilOverview) -> list[Flowable]:
    out: list[Flowable] = []
    out += _identity(data)
    out += _key_figures(data)
    out.append(Spacer(1, 2 * mm))
    out.append(_two_columns(_categories(data), _reasons(data)))
    out.append(KeepTogether([
        para("Kalender van de periode", "h2"),
        calendar_drawing(data.days, FRAME_W),
        Spacer(1, 1.5 * mm),
        legend_drawing(FRAME_W),
    ]))  # fmt: skip
    out.append(CondPageBreak(70 * mm))
    out += _pattern(data)
    out.append(KeepTogether([
        para("Verloop door de periode, vergeleken met de groep", "h2"),
        trend_drawing(data.trend, FRAME_W, 44 * mm, "afwezig (alle redenen) " + data.pupil_name,
                      data.trend_compare_label),
    ]))  # fmt: skip
    out += _law(data)
    out += _dossier(data)
    return out


# ------------------------------------------------------------------------------------------- parts


def _identity(data: PupilOverview) -> list[Flowable]:
    fig = data.figures
    rows = [
        ["Leerling", data.pupil_name + (f" (nr. {data.pupil_key})" if data.pupil_key else ""),
         "Geboortedatum", dutch.date_long(data.birth_date) if data.birth_date else "—"],
        ["Groep", data.group_name, "Periode", data.period.title],
        ["Lestijd", f"{dutch.hours(fig.net_scheduled, trim=False)} uur op {dutch.plural(fig.school_days, 'schooldag', 'schooldagen')} (eigen rooster)",
         "Te laat", f"{fig.late_count} keer"],
    ]  # fmt: skip
    rows = [[c if i % 2 == 0 else para(str(c), "cell") for i, c in enumerate(r)] for r in rows]
    table = Table(rows, colWidths=[20 * mm, 72 * mm, 25 * mm, FRAME_W - 117 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.8), ("FONT", (0, 0), (0, -1), FONT_BOLD, 7.8),
        ("FONT", (2, 0), (2, -1), FONT_BOLD, 7.8), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))  # fmt: skip
    return [table]


def _key_figures(data: PupilOverview) -> list[Flowable]:
    fig, tier = data.figures, data.tier
    present = para(f"Aanwezig {format_pct(fig.present_pct)} van de lestijd", "big")
    absent = para(f"Afwezig {format_pct(fig.absent_pct)}: geoorloofd {format_pct(fig.authorised_pct)}, "
                  f"ongeoorloofd {format_pct(fig.unauthorised_pct)}", "body")  # fmt: skip
    steps = " · ".join(f"<u><b>[ niveau {lv} ]</b></u>" if lv == tier.level else f"niveau {lv}" for lv in (1, 2, 3))
    tier_text = [para(f"Aanwezigheid: {tier.label}", "head"),
                 Paragraph(steps, styles()["body"]),
                 para(tier.explanation, "small")]
    box = Table([[[present, absent], tier_text]], colWidths=[FRAME_W * 0.52, FRAME_W * 0.48], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, 0), (0, 0), LIGHT),
        ("LINEBEFORE", (1, 0), (1, 0), 0.5, ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))  # fmt: skip
    return [Spacer(1, 2 * mm), box]


def _categories(data: PupilOverview) -> list[Flowable]:
    rows: list[list[object]] = [["Categorie", "Uren", "% lestijd"]]
    for line in data.categories:
        rows.append([line.label, dutch.hours(line.minutes, trim=False), format_pct(line.pct) if line.pct is not None else ""])
    width = FRAME_W * 0.44
    return [para("Uren per categorie", "h2"), grid_table(rows, [width - 34 * mm, 15 * mm, 19 * mm], right_from=1),
            para("Niet meegeteld: lestijd die door de school uitviel; die telt niet mee in de percentages.",
                 "small")]  # fmt: skip


def _reasons(data: PupilOverview) -> list[Flowable]:
    width = FRAME_W * 0.54
    if not data.reasons:
        return [para("Uren per reden", "h2"), para("Geen afwezigheid of te laat komen geregistreerd.", "body")]
    rows: list[list[object]] = [["Reden", "Categorie", "Lessen", "Uren"]]
    for line in data.reasons:
        name = f"{line.code} – {line.name}" if line.code else line.name
        rows.append([para(name, "cell"), line.category, str(line.times), dutch.hours(line.minutes, trim=False)])
    note = ("Redenen bij ziekte zijn op verzoek vermeld." if data.include_sickness_details else
            "Redenen die over de gezondheid gaan staan hier niet; zij tellen als geoorloofd.")  # fmt: skip
    return [para("Uren per reden", "h2"),
            grid_table(rows, [width - 53 * mm, 20 * mm, 15 * mm, 14 * mm], right_from=2),
            para(note, "small")]  # fmt: skip


def _two_columns(left: list[Flowable], right: list[Flowable]) -> Table:
    table = Table([[left, right]], colWidths=[FRAME_W * 0.45, FRAME_W * 0.55], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))  # fmt: skip
    return table


def _pattern(data: PupilOverview) -> list[Flowable]:
    numbers = data.lesson_numbers
    head: list[object] = ["Dag", *(f"les {n}" for n in numbers), "Uren afwezig", "% lestijd"]
    rows: list[list[object]] = [head]
    for line in data.weekdays:
        cells = []
        for n in numbers:
            times, unauth = line.lessons.get(n, 0), line.lessons_unauthorised.get(n, 0)
            cells.append("" if not times else (f"{times} ({unauth})" if unauth else str(times)))
        rows.append([WEEKDAY_NAMES[line.weekday], *cells,
                     dutch.hours(line.figures.absent, trim=False), format_pct(line.figures.absent_pct)])
    fixed = 20 * mm + 24 * mm + 18 * mm
    lw = min(14 * mm, (FRAME_W - fixed) / max(1, len(numbers)))
    table = grid_table(rows, [20 * mm] + [lw] * len(numbers) + [24 * mm, 18 * mm], right_from=1)
    return [KeepTogether([
        para("Patroon per weekdag en les", "h2"),
        table,
        para("Per les: zo vaak was de leerling (deels) afwezig; tussen haakjes hoe vaak daarvan ongeoorloofd. "
             "Te laat komen telt hier mee.", "small"),
    ])]  # fmt: skip


def _law(data: PupilOverview) -> list[Flowable]:
    out: list[Flowable] = []
    if data.leave:
        rows: list[list[object]] = [["Soort", "Periode", "Besluit", "Besloten op"]]
        for v in data.leave:
            rows.append([v.kind, date_span_text(v.date_from, v.date_to), v.status,
                         short_date(v.decided_on) if v.decided_on else "—"])
        out.append(grid_table(rows, [50 * mm, 48 * mm, 50 * mm, FRAME_W - 148 * mm]))
    else:
        out.append(para("Geen verlofaanvragen in deze periode.", "body"))
    out = [KeepTogether([para("Verlof", "h2"), *out])]
    part: list[Flowable] = [para("Meldingen en signalen", "h2")]
    if data.meldingen or data.signals:
        rows = [["Soort", "Periode", "Uren ongeoorl.", "Stand", "DUO-nummer / toelichting"]]
        for m in data.meldingen:
            rows.append([para(f"melding {m.kind}", "cell"), para(date_span_text(m.begin, m.end), "cell"),
                         dutch.hours(m.minutes, trim=False), para(m.status, "cell"), para(m.duo_number or "—", "cell")])
        for kind, lines in _signals_per_kind(data.signals):
            times = f" ({len(lines)}×)" if len(lines) > 1 else ""
            actions = Counter(line.action for line in lines)
            stand = ", ".join(f"{a} ({n}×)" if n > 1 else a for a, n in actions.most_common())
            last = max(lines, key=lambda line: line.end)
            rows.append([para(f"signaal: {kind}{times}", "cell"),
                         para(date_span_text(min(line.begin for line in lines), last.end), "cell"), "",
                         para(stand, "cell"), para(last.reason, "cell")])
        part.append(grid_table(rows, [36 * mm, 36 * mm, 18 * mm, 32 * mm, FRAME_W - 122 * mm]))
    else:
        part.append(para("Geen meldingen bij de leerplichtambtenaar en geen signalen in deze periode.", "body"))
    return out + [KeepTogether(part)]


def _signals_per_kind(signals: list[SignalLine]) -> list[tuple[str, list[SignalLine]]]:
    """The signals of the period per kind, in the order the kinds first occurred."""
    per_kind: dict[str, list[SignalLine]] = {}
    for line in sorted(signals, key=lambda line: line.begin):
        per_kind.setdefault(line.kind, []).append(line)
    return list(per_kind.items())


def _recent(items: list[Any], limit: int, when: Callable[[Any], dt.date], what: str) -> tuple[list[Any], list[Flowable]]:
    """The last ``limit`` items in date order, and a note on how many earlier ones the dossier holds."""
    ordered = sorted(items, key=when)
    if len(ordered) <= limit:
        return ordered, []
    earlier = len(ordered) - limit
    return ordered[-limit:], [para(f"De {limit} meest recente {what}; {earlier} eerdere staan in het dossier van de "
                                   "leerling.", "small")]  # fmt: skip


def _dossier(data: PupilOverview) -> list[Flowable]:
    out: list[Flowable] = [para("Contacten en afspraken", "h2")]
    if data.contacts:
        contacts, note = _recent(data.contacts, MAX_CONTACTS, lambda c: c.date, "contacten")
        rows: list[list[object]] = [["Datum", "Soort", "Met", "Besproken", "Afspraken"]]
        for c in contacts:
            kind = c.kind + (" (gepland)" if c.planned else "")
            rows.append([short_date(c.date), para(kind, "cell"), para(c.with_whom, "cell"), para(c.summary, "cell"),
                         para(c.agreements, "cell")])
        out.append(grid_table(rows, [20 * mm, 24 * mm, 28 * mm, 53 * mm, FRAME_W - 125 * mm]))
        out += note
    else:
        out.append(para("Geen contacten vastgelegd in deze periode.", "body"))
    held = sum(1 for c in data.contacts if c.kind == "gesprek" and not c.planned and c.date <= data.period.end)
    letters = "; ".join(f"{short_date(x.date)} {x.title} (aan {x.addressee})" for x in data.letters)
    out.append(para(f"Gesprekken gehouden: {held}. Brieven aan de ouders: {len(data.letters)}"
                    + (f" — {letters}." if letters else "."), "small"))
    out = [KeepTogether(out)]
    if data.interventions:
        interventions, note = _recent(data.interventions, MAX_INTERVENTIONS, lambda i: i.start, "interventies")
        rows = [["Aanpak", "Gestart", "Evaluatie", "Uitkomst"]]
        for i in interventions:
            result = i.outcome or ("nog niet geëvalueerd" if i.effective is None else "")
            if i.effective is not None:
                result = ("effectief" if i.effective else "niet effectief") + (f": {i.outcome}" if i.outcome else "")
            rows.append([para(i.title, "cell"), short_date(i.start), short_date(i.evaluation) if i.evaluation else "—",
                         para(result, "cell")])
        out.append(KeepTogether([para("Aanpak en evaluatie", "h2"),
                                 grid_table(rows, [55 * mm, 22 * mm, 22 * mm, FRAME_W - 99 * mm]), *note]))
    out.append(Spacer(1, 3 * mm))
    if data.health_withheld:
        lines = "regel is" if data.health_withheld == 1 else "regels zijn"
        out.append(para(f"Dit overzicht vermeldt geen gegevens over de gezondheid van de leerling: "
                        f"{data.health_withheld} {lines} daarom weggelaten of ingekort.", "small"))
    out.append(para("Alle uren zijn klokuren (60 minuten) van het eigen rooster van de leerling. Percentages zijn "
                    "berekend over de ingeroosterde lestijd die meetelt.", "small"))
    return out


