"""Letters to parents (issue 13) as A4 PDF (ReportLab, the look of the leave decision letter) and A4 DOCX
(python-docx, for editing in Word), and prepared as e-mail: an ``.eml`` with the PDF attached or a
``mailto:`` link. The program never sends mail itself, so it stores no mail credentials.

Layout of a letter: letterhead (logo, school, address, contact line), the addressee block at the height of a
window envelope, place and date, a reference (kenmerk), "Betreft: …", then the template's body: an empty line
separates paragraphs, "## " starts a heading, "- " a list item. Margins 22 mm left and right, as leave.py.
Each letter of a file starts on a new page; in a PDF each keeps its own "pagina 1 van 1".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import quote

from docx import Document
from docx.shared import Mm, Pt
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ListFlowable, ListItem, Spacer
from sqlmodel import Session

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.letters.compose import Letter
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import School
from verzuimdesk.reports.letters.leave import letter_sheet
from verzuimdesk.reports.pdf_common import build_pdf, dutch_date, letterhead, para
from verzuimdesk.reports.pdf_merge import StreamingPdfWriter
from verzuimdesk.reports.schoolgids.policy import set_language

MARGIN_MM = 22


@dataclass(frozen=True)
class Block:
    kind: str  # "p" | "h" | "ul"
    lines: tuple[str, ...]
    part: int = field(default=0, compare=False, repr=False)  # which paragraph of the body it came from


def blocks(body: str) -> list[Block]:
    """The body as paragraphs, headings and lists (see the module docstring)."""
    out: list[Block] = []
    for part, chunk in enumerate(body.replace("\r\n", "\n").split("\n\n")):
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            kind, text = ("h", line[3:].strip()) if line.startswith("## ") else \
                ("ul", line[2:].strip()) if line.startswith("- ") else ("p", line)
            if kind != "h" and out and out[-1].kind == kind and out[-1].part == part:
                out[-1] = Block(kind, out[-1].lines + (text,), part)
            else:
                out.append(Block(kind, (text,), part))
    return out


def _head_lines(letter: Letter) -> tuple[list[str], str, str]:
    place = f"{letter.place}, " if letter.place else ""
    return letter.addressee.lines(), f"{place}{dutch_date(letter.date)}", f"Kenmerk: {letter.reference}"


# ------------------------------------------------------------------------------------------------- PDF


def _story(letter: Letter, school: School | None, sheet: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = letterhead(school)
    address, dated, reference = _head_lines(letter)
    story += [para("\n".join(address), sheet["Body"]), Spacer(1, 8 * mm), para(dated, sheet["Body"]),
              para(reference, sheet["Small"]), para(f"Betreft: {letter.subject}", sheet["Subject"])]  # fmt: skip
    for block in blocks(letter.body):
        if block.kind == "h":
            story.append(para(block.lines[0], sheet["Heading"]))
        elif block.kind == "ul":
            story.append(ListFlowable([ListItem(para(item, sheet["Body"]), leftIndent=12) for item in block.lines],
                                      bulletType="bullet", start="•", leftIndent=12, bulletFontSize=8))  # fmt: skip
        else:
            story.append(para("\n".join(block.lines), sheet["Body"]))
    return story


def letter_pdf(letter: Letter, school: School | None) -> bytes:
    footer = f"{school.name if school else ''} — kenmerk {letter.reference}"
    return build_pdf(_story(letter, school, letter_sheet()), title=f"{letter.template.title} {letter.pupil_name}",
                     footer=footer)  # fmt: skip


def letters_pdf(session: Session, letters: list[Letter]) -> bytes:
    """All ``letters`` in one PDF, each from a new page with its own page numbers."""
    if not letters:
        raise ValidationError("Er zijn geen brieven om te maken.")
    school = get_school(session)
    if len(letters) == 1:
        return letter_pdf(letters[0], school)
    out = io.BytesIO()
    writer = StreamingPdfWriter(out)
    for letter in letters:
        writer.append(letter_pdf(letter, school))
    writer.close()
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ DOCX


def letters_docx(session: Session, letters: list[Letter]) -> bytes:
    """All ``letters`` in one Word document on A4, each from a new page."""
    if not letters:
        raise ValidationError("Er zijn geen brieven om te maken.")
    school = get_school(session)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    document.core_properties.title = letters[0].template.title
    document.core_properties.author = school.name if school else ""
    set_language(document)
    for n, letter in enumerate(letters):
        start = len(document.paragraphs)
        _docx_letter(document, letter, school)
        if n:  # each letter starts on a new page
            document.paragraphs[start].paragraph_format.page_break_before = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_letter(doc: Any, letter: Letter, school: School | None) -> None:
    """One letter into ``doc`` (python-docx has no type information: pyproject, docx.* untyped)."""
    if school is not None:
        if school.logo_path:
            try:
                doc.add_picture(school.logo_path, height=Mm(18))
            except Exception:  # an unreadable logo must not stop the letter (as pdf_common._logo)
                pass
        head = doc.add_paragraph()
        run = head.add_run(school.name)
        run.bold, run.font.size = True, Pt(13)
        contact = [school.address, " ".join(p for p in (school.postcode, school.city) if p),
                   " · ".join(p for p in (school.phone, school.email) if p)]  # fmt: skip
        small = head.add_run("".join(f"\n{line}" for line in contact if line))
        small.font.size = Pt(8)
    address, dated, reference = _head_lines(letter)
    doc.add_paragraph()
    doc.add_paragraph("\n".join(address))
    doc.add_paragraph(dated)
    doc.add_paragraph(reference).runs[0].font.size = Pt(8)
    doc.add_paragraph().add_run(f"Betreft: {letter.subject}").bold = True
    for block in blocks(letter.body):
        if block.kind == "h":
            doc.add_paragraph().add_run(block.lines[0]).bold = True
        elif block.kind == "ul":
            for item in block.lines:
                doc.add_paragraph(item, style="List Bullet")
        else:
            doc.add_paragraph("\n".join(block.lines))


# ---------------------------------------------------------------------------------------------- e-mail


def letter_eml(session: Session, letters: list[Letter], pdf: bytes, file_name: str) -> bytes:
    """A ready-to-send e-mail (``.eml``, marked unsent so the mail program opens it as a draft) to the e-mail
    addresses of the addressees, with a short note and the PDF attached."""
    if not letters:
        raise ValidationError("Er zijn geen brieven om te mailen.")
    school = get_school(session)
    to = list(dict.fromkeys(e for letter in letters for e in letter.addressee.emails))
    if not to:
        raise ValidationError(f"Van de ouders van {letters[0].pupil_name} is geen e-mailadres bekend; print de "
                              "brief of vul het e-mailadres in bij de leerling.")  # fmt: skip
    first = letters[0]
    message = EmailMessage()
    if school is not None and school.email:
        message["From"] = f"{school.name} <{school.email}>"
    message["To"] = ", ".join(to)
    message["Subject"] = first.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=(school.email.split("@")[-1] if school and "@" in school.email
                                               else "verzuimdesk.local"))  # fmt: skip
    message["X-Unsent"] = "1"
    names = " en ".join(letter.addressee.names for letter in letters)
    message.set_content(f"Beste {names},\n\nIn de bijlage vindt u een brief van {school.name if school else 'school'} "
                        f"over {first.pupil_name}: {first.subject}.\n\nMet vriendelijke groet,\n\n"
                        f"{first.values.get('contactpersoon.naam', '')}\n{school.name if school else ''}\n")  # fmt: skip
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    return bytes(message)


def mailto_url(letter: Letter) -> str:
    """A ``mailto:`` link with the letter's subject and text (no attachment: mailto cannot carry one)."""
    if not letter.addressee.emails:
        raise ValidationError(f"Van {letter.addressee.names} is geen e-mailadres bekend.")
    to = ",".join(quote(e, safe="@") for e in letter.addressee.emails)
    text = "\n\n".join("\n".join(("- " + line if b.kind == "ul" else line) for line in b.lines)
                       for b in blocks(letter.body))  # fmt: skip
    return f"mailto:{to}?subject={quote(letter.subject)}&body={quote(text)}"
