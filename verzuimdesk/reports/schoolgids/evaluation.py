"""The yearly evaluation report of the verzuimbeleid (part 4: monitoring and evaluation) as PDF and DOCX.

Pure functions of an :class:`~verzuimdesk.reports.schoolgids.evaluation_data.Evaluation`; both formats show the same
tables (built once by the ``*_rows`` functions) and end with the evaluation questions of seed 004 L367 for the
team and the MR to answer. No pupil names: the report goes to the team and the medezeggenschapsraad.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from verzuimdesk.model import dutch
from verzuimdesk.model.policy.sections import pct
from verzuimdesk.reports.data import TIER_NAMES
from verzuimdesk.reports.pdf_common import (
    FONT_BOLD,
    FRAME_W,
    DocHeader,
    build_pdf,
    fitted_widths,
    grid_table,
    para,
    styles,
)
from verzuimdesk.reports.schoolgids.evaluation_data import ACTIONS, Evaluation, QuarterFigures
from verzuimdesk.reports.schoolgids.policy import dutch_a4, set_language

TITLE = "Jaarevaluatie verzuim"
FOOTER = "Jaarevaluatie van het verzuimbeleid. Bevat geen namen van leerlingen."
QUESTIONS = (
    "Is het verzuim op tijd opgemerkt?",
    "Zijn de meldingen en signalen op tijd en zorgvuldig afgehandeld?",
    "Waren de interventies tijdig en effectief?",
    "Wat leren de cijfers per kwartaal en per niveau, en wat verandert de school in het beleid of de uitvoering?",
)

QUARTER_W = (.15, .08, .11, .1, .06, .1, .11, .06, .075, .075, .075)
QUARTER_HEAD = ["Periode", "Leerl.", "Lestijd (u)", "Geoorl. (u)", "%", "Ziekte (u)", "Ongeoorl. (u)", "%",
                "Niveau 1", "Niveau 2", "Niveau 3"]  # fmt: skip
MELDING_HEAD = ["Nr.", "Soort", "Begindatum", "Aanleiding", "Opgesteld", "Dagen", "Tijdig", "Status"]
SIGNAL_HEAD = ["Soort", "Afgeh.", "Melding", "Signaal", "Gesprek", "Brief", "Afgew.", "Gem. dagen", "Tijdig",
               "Open", "Open, te laat"]  # fmt: skip
INTERVENTION_HEAD = ["Nr.", "Start", "Evaluatie gepland", "Geëvalueerd op", "Op tijd", "Effectief"]


def yes_no(value: bool | None) -> str:
    return "–" if value is None else ("ja" if value else "nee")


def short(day: dt.date | None) -> str:
    return dutch.date_short(day) if day is not None else "–"


def uren(minutes: int) -> str:
    """Klokuren with one decimal and a thousands separator, Dutch style: 1.233,7."""
    return dutch.number(minutes / 60, 1)


def _quarter_row(label: str, q: QuarterFigures) -> list[str]:
    f = q.figures
    return [label, str(f.pupils), uren(f.net_scheduled), uren(f.authorised), pct(round(f.authorised_pct, 1)),
            uren(q.sickness), uren(f.unauthorised), pct(round(f.unauthorised_pct, 1)),
            str(q.tiers[1]), str(q.tiers[2]), str(q.tiers[3])]  # fmt: skip


def quarter_rows(ev: Evaluation) -> list[list[str]]:
    rows = [_quarter_row(f"{q.period.label.split(' ')[0]} kwartaal\n{q.period.start:%d-%m} t/m {q.period.end:%d-%m}", q)
            for q in ev.quarters]  # fmt: skip
    return rows + [_quarter_row("Schooljaar", ev.year)]


def melding_rows(ev: Evaluation) -> list[list[str]]:
    return [[str(m.number), m.kind, short(m.begin), short(m.cause), short(m.created),
             "–" if m.days is None else str(m.days), yes_no(None if m.days is None else m.days <= ev.melding_days),
             m.status] for m in ev.meldingen]  # fmt: skip


def signal_rows(ev: Evaluation) -> list[list[str]]:
    return [[s.label, str(s.handled), *(str(s.actions.get(a, 0)) for a in ACTIONS),
             "–" if s.mean_days is None else pct(round(s.mean_days, 1)), f"{s.on_time} van {s.handled}",
             str(s.open), str(s.open_late)] for s in ev.signals]  # fmt: skip


def intervention_rows(ev: Evaluation) -> list[list[str]]:
    return [[str(i.number), short(i.start), short(i.planned), short(i.evaluated), yes_no(i.in_time),
             yes_no(i.effective)] for i in ev.interventions]  # fmt: skip


def texts(ev: Evaluation) -> dict[str, str]:
    """The sentences around the tables (the same in PDF and DOCX)."""
    t = ev.tier_policy
    on_time, known = ev.meldingen_on_time()
    evaluated = [i for i in ev.interventions if i.evaluated is not None]
    until = "" if ev.period.end.month == 7 and ev.period.end.day == 31 else f" tot en met {dutch.date_long(ev.period.end)}"
    return {
        "intro": (f"Dit verslag hoort bij het onderdeel 'monitoring en evaluatie' van het verzuimbeleid van "
                  f"{ev.school_name or 'de school'}. Het beslaat schooljaar {ev.school_year}{until} en is gemaakt "
                  f"op {dutch.date_long(ev.made_on)}. Alle cijfers komen uit het verzuimregister; uren zijn klokuren "
                  "van het eigen rooster van de leerlingen. Het verslag noemt geen leerlingen bij naam: de "
                  "nummers verwijzen naar de meldingen en interventies in de verzuimregistratie van de school."),
        "figures": (f"Niveaus: niveau 1 ({TIER_NAMES[1]}) minder dan {pct(t.niveau2_from)} % verzuim, niveau 2 "
                    f"({TIER_NAMES[2]}) {pct(t.niveau2_from)} tot {pct(t.niveau3_from)} %, niveau 3 "
                    f"({TIER_NAMES[3]}) {pct(t.niveau3_from)} % of meer, over al het verzuim van de leerling in "
                    "de periode. Percentages zijn delen van de lestijd."),
        "meldingen": (f"{dutch.plural(len(ev.meldingen), 'melding', 'meldingen')} met een begindatum in dit schooljaar. Van de {dutch.plural(known, 'melding', 'meldingen')} "
                      f"met een bekende aanleiding {'is' if on_time == 1 else 'zijn'} er {on_time} binnen {dutch.plural(ev.melding_days, 'dag', 'dagen')} opgesteld (de "
                      "termijn van de school; de wet zegt 'onverwijld'). De aanleiding is de dag waarop de melding "
                      "nodig werd, bij 16 uur de dag waarop de 16 uur werden bereikt."
                      if ev.meldingen else "Er zijn in dit schooljaar geen meldingen gedaan."),
        "signals": (f"Afgehandeld: signalen die in dit schooljaar ontstonden. Tijdig: binnen {dutch.plural(ev.signal_days, 'dag', 'dagen')}, "
                    f"een verplichte melding binnen {dutch.plural(ev.melding_days, 'dag', 'dagen')}. Nog open: niet afgehandelde signalen "
                    f"op {dutch.date_long(ev.period.end)}." if ev.signals else "Er waren in dit schooljaar geen signalen."),
        "interventions": (f"{dutch.plural(len(ev.interventions), 'interventie', 'interventies')} gestart; {len(evaluated)} geëvalueerd, waarvan "
                          f"{sum(1 for i in evaluated if i.in_time)} op of vóór de geplande datum; "
                          f"{sum(1 for i in evaluated if i.effective)} effectief en "
                          f"{sum(1 for i in evaluated if i.effective is False)} niet effectief; "
                          f"{dutch.plural(sum(1 for i in ev.interventions if i.overdue), 'evaluatie', 'evaluaties')} zijn over de geplande datum."
                          if ev.interventions else "Er zijn in dit schooljaar geen interventies gestart."),
        "letters": _letters_text(ev),
    }  # fmt: skip


def _letters_text(ev: Evaluation) -> str:
    """Letters to parents and conversations with them in the year (issue 13: the evaluation counts them)."""
    c = ev.letters
    if c is None:
        return ""
    kinds = "; ".join(f"{title}: {n}" for title, n in sorted(c.per_template.items()))
    letters = (f"{c.letters} brieven aan ouders gemaakt ({kinds})" if c.letters else
               "Er zijn geen brieven aan ouders gemaakt")
    return (f"{letters}. {c.conversations_held} gesprekken met ouders gehouden"
            + (f", {c.conversations_planned} nog gepland" if c.conversations_planned else "") + ".")


# ----------------------------------------------------------------------------------------------- PDF


def _table(head: list[str], rows: list[list[str]], widths: list[float], bold_last: bool = False) -> Flowable:
    extra = [("FONT", (0, len(rows)), (-1, len(rows)), FONT_BOLD, 7.8)] if bold_last else None
    return grid_table([head, *rows], widths, right_from=1, extra=extra)


def evaluation_pdf(ev: Evaluation) -> bytes:
    s = styles()
    t = texts(ev)
    w = FRAME_W
    story: list[Flowable] = [para(t["intro"], "Body")]
    story += [KeepTogether([para("Cijfers per kwartaal", "h2"),
                            _table(QUARTER_HEAD, quarter_rows(ev), [w * x for x in QUARTER_W], bold_last=True)]),
              Spacer(1, 2), para(t["figures"], "small")]  # fmt: skip
    story.append(para("Meldingen aan de leerplichtambtenaar", "h2"))
    if ev.meldingen:
        story.append(_table(MELDING_HEAD, melding_rows(ev), [w * x for x in (.07, .08, .13, .13, .13, .08, .08, .30)]))
        story.append(Spacer(1, 2))
    story.append(para(t["meldingen"], "Body" if not ev.meldingen else "small"))
    story.append(para("Signalen en hun afhandeling", "h2"))
    if ev.signals:
        rows = signal_rows(ev)  # "134 van 134" needs room: every column as wide as its text
        story.append(_table(SIGNAL_HEAD, rows, fitted_widths([SIGNAL_HEAD, *rows], w)))
        story.append(Spacer(1, 2))
    story.append(para(t["signals"], "small" if ev.signals else "Body"))
    story.append(para("Interventies en hun uitkomst", "h2"))
    if ev.interventions:
        story.append(_table(INTERVENTION_HEAD, intervention_rows(ev), [w * x for x in (.08, .16, .2, .2, .16, .2)]))
        story.append(Spacer(1, 2))
    story.append(para(t["interventions"], "Body"))
    story += [para("Brieven en gesprekken met ouders", "h2"), para(t["letters"], "Body")]
    story.append(para("Conclusies en acties", "h2"))
    story.append(para("In te vullen door de school, met het team en de medezeggenschapsraad:", "Body"))
    for question in QUESTIONS:
        story += [para(question, s["Body"]), Spacer(1, 14 * mm)]
    header = DocHeader(school_name=ev.school_name, title=TITLE, subtitle=f"Schooljaar {ev.school_year}",
                       printed_on=ev.made_on, footer_note=FOOTER)  # fmt: skip
    return build_pdf(story, header)


# ---------------------------------------------------------------------------------------------- DOCX


def _docx_table(document: DocxDocument, head: list[str], rows: list[list[str]], bold_last: bool = False) -> None:
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            if bold_last and n == len(rows) - 1:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8.5)


def evaluation_docx(ev: Evaluation) -> bytes:
    t = texts(ev)
    document = Document()
    dutch_a4(document)
    set_language(document)
    document.core_properties.title = f"{TITLE} {ev.school_year} – {ev.school_name}".strip(" –")
    document.core_properties.author = ev.school_name
    document.core_properties.language = "nl-NL"
    document.add_heading(TITLE, level=0)
    document.add_paragraph(f"{ev.school_name}, schooljaar {ev.school_year}".strip(", "), style="Subtitle")
    document.add_paragraph(t["intro"])
    document.add_heading("Cijfers per kwartaal", level=1)
    _docx_table(document, QUARTER_HEAD, quarter_rows(ev), bold_last=True)
    document.add_paragraph(t["figures"])
    document.add_heading("Meldingen aan de leerplichtambtenaar", level=1)
    if ev.meldingen:
        _docx_table(document, MELDING_HEAD, melding_rows(ev))
    document.add_paragraph(t["meldingen"])
    document.add_heading("Signalen en hun afhandeling", level=1)
    if ev.signals:
        _docx_table(document, SIGNAL_HEAD, signal_rows(ev))
    document.add_paragraph(t["signals"])
    document.add_heading("Interventies en hun uitkomst", level=1)
    if ev.interventions:
        _docx_table(document, INTERVENTION_HEAD, intervention_rows(ev))
    document.add_paragraph(t["interventions"])
    document.add_heading("Brieven en gesprekken met ouders", level=1)
    document.add_paragraph(t["letters"])
    document.add_heading("Conclusies en acties", level=1)
    document.add_paragraph("In te vullen door de school, met het team en de medezeggenschapsraad:")
    for question in QUESTIONS:
        document.add_heading(question, level=2)
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
