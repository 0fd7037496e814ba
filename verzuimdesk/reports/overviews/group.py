"""Group overview and school overview as PDF (issue 4 part 2), for team meetings and the MR.

:func:`render_group_overview` is a pure function of a :class:`~verzuimdesk.reports.data.GroupOverview`.
The XLSX versions are in :mod:`verzuimdesk.reports.overviews.xlsx`. Without names (``include_names=False``), for
readers who must not see names such as the MR, the overview shows figures per group, level, weekday, lesson and
reason and leaves out the list per pupil.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES
from verzuimdesk.reports.charts import bar_drawing, trend_drawing
from verzuimdesk.reports.data import TIER_NAMES, GroupOverview, Period, format_pct
from verzuimdesk.reports.overviews.group_data import build_group_overview
from verzuimdesk.reports.pdf_common import ACCENT, FRAME_W, LIGHT, DocHeader, build_pdf, grid_table, para
from verzuimdesk.reports.source import ReportSource


def group_overview_pdf(session: Session, period: Period, group_id: int | None = None, *,
                       today: dt.date | None = None, include_names: bool = True,
                       source: ReportSource | None = None) -> bytes:
    data = build_group_overview(session, period, group_id, today=today, include_names=include_names, source=source)
    return render_group_overview(data)


def render_group_overview(data: GroupOverview) -> bytes:
    title = "Verzuimoverzicht school" if data.is_school else f"Verzuimoverzicht {data.title}"
    note = ("Vertrouwelijk: bevat persoonsgegevens van leerlingen." if data.include_names
            else "Zonder namen van leerlingen.")  # fmt: skip
    header = DocHeader(data.school.name, title, data.period.title, data.school.logo_path, data.printed_on, note)
    return build_pdf(story(data), header)


def story(data: GroupOverview) -> list[Flowable]:
    out: list[Flowable] = [_key_figures(data), Spacer(1, 2 * mm)]
    out.append(_tiers(data))
    if data.is_school:
        out.append(_groups(data))
    out += _patterns(data)
    out.append(KeepTogether([
        para("Verloop door het schooljaar" if data.is_school else "Verloop door de periode", "h2"),
        trend_drawing(data.trend, FRAME_W, 46 * mm, "afwezig (alle redenen) " + data.title,
                      "" if data.is_school else "gemiddelde school"),
    ]))  # fmt: skip
    if data.include_names:
        out += _pupils(data)
    else:
        out.append(para("Zonder namen: dit overzicht bevat geen lijst per leerling. Cijfers per leerling staan in "
                        "het overzicht met namen, dat binnen de school blijft.", "small"))
    return out


def _key_figures(data: GroupOverview) -> Table:
    fig = data.total
    lines = [
        para(f"{dutch.plural(len(data.pupils), 'leerling', 'leerlingen')} · afwezig {format_pct(fig.absent_pct)} van de lestijd", "big"),
        para(f"Geoorloofd {dutch.hours(fig.authorised, trim=False)} uur ({format_pct(fig.authorised_pct)}), ongeoorloofd "
             f"{dutch.hours(fig.unauthorised, trim=False)} uur ({format_pct(fig.unauthorised_pct)}), niet meegeteld "
             f"{dutch.hours(fig.not_counted, trim=False)} uur; ingeroosterd {dutch.hours(fig.net_scheduled, trim=False)} uur; "
             f"{fig.late_count} keer te laat.", "body"),
    ]  # fmt: skip
    missing = sum(g.registers_not_taken for g in data.groups)
    unresolved = sum(p.unresolved_days for p in data.pupils)
    lines.append(para(f"Niet genomen registers: {dutch.plural(missing, 'les', 'lessen')} · nog na te bellen: {unresolved} "
                      f"leerling-dagen met reden onbekend.", "body"))  # fmt: skip
    box = Table([[lines]], colWidths=[FRAME_W], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))  # fmt: skip
    return box


def _tiers(data: GroupOverview) -> Table:
    n = max(1, len(data.pupils))
    rows: list[list[object]] = [["Niveau", "Leerlingen", "Aandeel"]]
    bars = []
    for level in (1, 2, 3):
        count = data.tier_counts.get(level, 0)
        rows.append([f"niveau {level} – {TIER_NAMES[level]}", str(count), format_pct(100.0 * count / n)])
        bars.append((f"niveau {level}", 100.0 * count / n))
    left = [para("Verdeling over de niveaus", "h2"), grid_table(rows, [50 * mm, 21 * mm, 16 * mm], right_from=1),
            para(data.pupils[0].tier.explanation if data.pupils else "", "small")]
    right = [Spacer(1, 6 * mm), bar_drawing(bars, 80 * mm, 32 * mm)]
    table = Table([[left, right]], colWidths=[FRAME_W - 84 * mm, 84 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _groups(data: GroupOverview) -> KeepTogether:
    rows: list[list[object]] = [["Groep", "Leerl.", "Lestijd (uur)", "Geoorl.", "Ongeoorl.", "Niet meeg.",
                                 "Afwezig", "Te laat", "Niet genomen", "Na te bellen"]]
    for g in data.groups:
        f = g.figures
        rows.append([g.name, str(f.pupils), dutch.hours(f.net_scheduled, trim=False), dutch.hours(f.authorised, trim=False),
                     dutch.hours(f.unauthorised, trim=False), dutch.hours(f.not_counted, trim=False), format_pct(f.absent_pct),
                     str(f.late_count), str(g.registers_not_taken), str(g.unresolved_days)])
    widths = [24 * mm, 12 * mm, 20 * mm, 17 * mm, 20 * mm, 17 * mm, 16 * mm, 14 * mm, 19 * mm, 19 * mm]
    return KeepTogether([para("Per groep", "h2"), grid_table(rows, widths, right_from=1),
                         para("Uren zijn klokuren; Niet genomen = lessen waarvoor het register niet is genomen.",
                              "small")])  # fmt: skip


def _patterns(data: GroupOverview) -> list[Flowable]:
    rows: list[list[object]] = [["Dag", "Uren afwezig", "Afwezig", "Ongeoorloofd"]]
    for line in data.weekdays:
        f = line.figures
        rows.append([WEEKDAY_NAMES[line.weekday], dutch.hours(f.absent, trim=False), format_pct(f.absent_pct),
                     format_pct(f.unauthorised_pct)])
    weekday = [para("Per weekdag", "h2"), grid_table(rows, [22 * mm, 20 * mm, 17 * mm, 24 * mm], right_from=1)]
    lesson_rows: list[list[object]] = [["Les", "Keer afwezig", "waarvan ongeoorl."]]
    for n in data.lesson_numbers:
        times = sum(w.lessons.get(n, 0) for w in data.weekdays)
        unauth = sum(w.lessons_unauthorised.get(n, 0) for w in data.weekdays)
        lesson_rows.append([f"les {n}", str(times), str(unauth)])
    lesson = [para("Per les", "h2"), grid_table(lesson_rows, [14 * mm, 20 * mm, 24 * mm], right_from=1)]
    side = Table([[weekday, lesson]], colWidths=[86 * mm, FRAME_W - 86 * mm], hAlign="LEFT")
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    reason_rows: list[list[object]] = [["Reden", "Categorie", "Lessen", "Uren"]]
    for r in data.reasons:
        reason_rows.append([para(f"{r.code} – {r.name}" if r.code else r.name, "cell"), r.category, str(r.times),
                            dutch.hours(r.minutes, trim=False)])
    around, other = data.around_holidays, data.other_days
    holiday = para(
        f"Rond vakanties (laatste schooldag ervoor en eerste erna): afwezig {format_pct(around.absent_pct)}, "
        f"ongeoorloofd {format_pct(around.unauthorised_pct)}; op de andere dagen afwezig "
        f"{format_pct(other.absent_pct)}, ongeoorloofd {format_pct(other.unauthorised_pct)}.", "body")
    return [KeepTogether([para("Patronen", "h2"), side]),
            KeepTogether([para("Per reden", "h2"),
                          grid_table(reason_rows, [80 * mm, 26 * mm, 16 * mm, 18 * mm], right_from=2)]),
            KeepTogether([para("Rond vakanties", "h2"), holiday])]


def _pupils(data: GroupOverview) -> list[Flowable]:
    head: list[object] = ["Leerling", *(["Groep"] if data.is_school else []),
                          "Lestijd", "Geoorl.", "Ongeoorl.", "Niet meeg.", "Afwezig", "Te laat", "Na te bellen", "Niveau"]
    rows: list[list[object]] = [head]
    for p in data.pupils:
        f = p.figures
        rows.append([para(p.name, "cell")] + ([p.group] if data.is_school else []) + [
            dutch.hours(f.net_scheduled, trim=False), dutch.hours(f.authorised, trim=False), dutch.hours(f.unauthorised, trim=False),
            dutch.hours(f.not_counted, trim=False), format_pct(f.absent_pct), str(f.late_count), str(p.unresolved_days),
            str(p.tier.level)])
    fixed = [18 * mm, 16 * mm, 17 * mm, 17 * mm, 16 * mm, 13 * mm, 19 * mm, 13 * mm]
    group_w = [20 * mm] if data.is_school else []
    widths = [FRAME_W - sum(fixed) - sum(group_w)] + group_w + fixed
    return [CondPageBreak(45 * mm), para("Per leerling", "h2"), grid_table(rows, widths, right_from=2 if data.is_school else 1),
            para("Uren zijn klokuren van het eigen rooster; Afwezig = geoorloofd en ongeoorloofd samen, als deel "
                 "van de lestijd die meetelt.", "small")]  # fmt: skip
