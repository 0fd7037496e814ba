"""The herstelcode sheet (issue 11 point 2): one A4 page "Herstelcode verzuimdesk" to print or save and keep
somewhere safe, away from the computer. The code is drawn large in a monospaced font, in groups of four."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from verzuimdesk.model import dutch
from verzuimdesk.reports.pdf_common import ACCENT, FRAME_W, LIGHT, build_pdf, styles


def recovery_pdf(code: str, *, school_name: str = "", database: str = "", made: dt.datetime | None = None) -> bytes:
    """The sheet as PDF bytes; nothing is stored by the program."""
    s = styles()
    made = made or dt.datetime.now()
    groups = code.split("-")
    mono = ParagraphStyle("code", parent=s["body"], fontName="Courier-Bold", fontSize=22, leading=28)
    cells = [[Paragraph(g, mono) for g in groups[:4]], [Paragraph(g, mono) for g in groups[4:]]]
    table = Table(cells, colWidths=[FRAME_W / 4 - 6 * mm] * 4, hAlign="CENTER")
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT), ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                               ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                               ("LEFTPADDING", (0, 0), (-1, -1), 12)]))  # fmt: skip
    body = s["Body"]
    story = [
        Paragraph("Herstelcode verzuimdesk", s["h1"]),
        Paragraph(f"{school_name or 'verzuimdesk'} · gemaakt op {dutch.date_long(made.date())} om "
                  f"{made:%H:%M}", s["Small"]),  # fmt: skip
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph("Waarvoor is deze code?", s["Heading"]),
        Paragraph("De verzuimregistratie bewaart gegevens over kinderen, ook over hun gezondheid. Daarom is het "
                  "databasebestand versleuteld: alleen wie inlogt met een eigen wachtwoord kan het openen. Is het "
                  "wachtwoord van de (enige) beheerder kwijt, dan opent deze herstelcode het bestand en stelt u een "
                  "nieuw wachtwoord in: kies op het inlogscherm <b>Wachtwoord vergeten? Herstelcode gebruiken</b>, of "
                  "gebruik de opdracht <font name='Courier'>verzuimdesk herstelcode</font>.", body),  # fmt: skip
        Paragraph("Bewaar dit blad goed", s["Heading"]),
        Paragraph("Bewaar het blad op een veilige, afgesloten plek, niet bij de computer (bijvoorbeeld in de kluis van "
                  "de school). Wie de code én het databasebestand heeft, kan alle gegevens lezen. Zonder wachtwoord "
                  "én zonder deze code is de database niet meer te openen, ook niet door de leverancier. De code "
                  "wordt nergens bewaard en niet opnieuw getoond; een nieuwe code maken (de oude werkt dan niet "
                  "meer) kan de beheerder in het scherm Privacy.", body),  # fmt: skip
        Paragraph("Letters en cijfers", s["Heading"]),
        Paragraph("De code gebruikt geen I, O, 0 en 1, zodat ze niet te verwarren zijn. Hoofd- of kleine letters, "
                  "spaties en streepjes maken bij het invoeren niet uit.", body),  # fmt: skip
    ]
    if database:
        story += [Spacer(1, 6 * mm), Paragraph(f"Database: {database}", s["Small"])]
    return build_pdf(story, title="Herstelcode verzuimdesk", footer="Vertrouwelijk — bewaar dit blad veilig")
