"""The verzuimbeleid chapter as Word (DOCX, the primary output: schools edit the schoolgids in Word), PDF and
plain text (domain.md §9). Pure functions of a :class:`~verzuimdesk.model.policy.text.PolicyDocument`.

DOCX: the built-in styles of Word's default template, so the chapter pastes into a schoolgids with its own
styles: "Title" for the chapter title, "Subtitle" for the school, "Heading 1" per section, "Heading 2" for
subheadings, "List Bullet" for lists (real Word list paragraphs), "Normal" for prose; language nl-NL.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm, Pt
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer

from verzuimdesk.model.policy.sections import PolicyDocument, blocks
from verzuimdesk.reports.pdf_common import DocHeader, build_pdf, para, styles

FOOTER = "Verzuimbeleid, hoofdstuk van de schoolgids. Opgesteld met verzuimdesk."


def subtitle(doc: PolicyDocument) -> str:
    return doc.school_name + (f", schooljaar {doc.school_year}" if doc.school_year else "")


# ---------------------------------------------------------------------------------------------- DOCX


def set_language(document: DocxDocument, lang: str = "nl-NL") -> None:
    """Mark the Normal style (and so every style based on it) as Dutch, for Word's spelling checker."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = OxmlElement("w:lang")
        rpr.append(node)
    node.set(qn("w:val"), lang)


def dutch_a4(document: DocxDocument) -> None:
    """A4 paper with the margins of Word's Dutch default (2,5 cm all round); python-docx's template is US
    Letter with inch margins."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(25)
        section.left_margin = section.right_margin = Mm(25)
        section.header_distance = section.footer_distance = Mm(12.5)


def policy_docx(doc: PolicyDocument) -> bytes:
    document = Document()
    dutch_a4(document)
    set_language(document)
    document.styles["Normal"].font.size = Pt(10.5)
    props = document.core_properties
    props.title = f"{doc.title} – {doc.school_name}".strip(" –")
    props.author = doc.school_name
    props.subject = "Verzuimbeleid (schoolgids)"
    props.language = "nl-NL"
    props.comments = doc.version_line
    document.add_heading(doc.title, level=0)
    if subtitle(doc):
        document.add_paragraph(subtitle(doc), style="Subtitle")
    line = document.add_paragraph()
    run = line.add_run(doc.version_line)
    run.italic = True
    run.font.size = Pt(9)
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        for kind, content in blocks(section.text):
            if kind == "h":
                document.add_heading(str(content), level=2)
            elif kind == "list":
                for item in content:
                    document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(str(content))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- PDF


def _sheet() -> dict[str, ParagraphStyle]:
    base = styles()
    return {
        "body": ParagraphStyle("PolicyBody", parent=base["Body"], fontSize=10, leading=14, spaceAfter=6),
        "h1": ParagraphStyle("PolicyH1", parent=base["h2"], fontSize=13, leading=16, spaceBefore=12, spaceAfter=5),
        "h2": ParagraphStyle("PolicyH2", parent=base["Heading"], fontSize=10.5, textColor=base["body"].textColor,
                             spaceBefore=6, spaceAfter=3),
        "item": ParagraphStyle("PolicyItem", parent=base["Body"], fontSize=10, leading=14, spaceAfter=2),
        "note": ParagraphStyle("PolicyNote", parent=base["Small"], fontSize=8.5, leading=11, spaceAfter=8),
    }  # fmt: skip


def policy_story(doc: PolicyDocument) -> list[Flowable]:
    sheet = _sheet()
    story: list[Flowable] = [para(doc.version_line, sheet["note"])]
    for section in doc.sections:
        parts: list[Flowable] = [para(section.heading, sheet["h1"])]
        for kind, content in blocks(section.text):
            if kind == "h":
                parts.append(para(str(content), sheet["h2"]))
            elif kind == "list":
                items = [ListItem(para(item, sheet["item"]), leftIndent=14, value="•") for item in content]
                parts.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=14, bulletFontSize=9))
                parts.append(Spacer(1, 4))
            else:
                parts.append(para(str(content), sheet["body"]))
        story.append(KeepTogether(parts[:2]))  # a heading never ends a page alone
        story += parts[2:]
    return story


def policy_pdf(doc: PolicyDocument) -> bytes:
    header = DocHeader(school_name=subtitle(doc), title=doc.title, subtitle="Hoofdstuk van de schoolgids",
                       footer_note=FOOTER)  # fmt: skip
    return build_pdf(policy_story(doc), header)


# ---------------------------------------------------------------------------------------------- text


def policy_text(doc: PolicyDocument, width: int = 100) -> str:
    """Plain text: title, school, version line, each section with an underlined heading; lists with "- "."""
    import textwrap

    def wrap(text: str, indent: str = "", first: str = "") -> str:
        return textwrap.fill(text, width=width, initial_indent=first or indent, subsequent_indent=indent)

    lines = [doc.title.upper()]
    if subtitle(doc):
        lines.append(subtitle(doc))
    lines += [doc.version_line, ""]
    for section in doc.sections:
        lines += ["", section.heading, "=" * len(section.heading), ""]
        for kind, content in blocks(section.text):
            if kind == "h":
                lines += [str(content), "-" * len(str(content))]
            elif kind == "list":
                lines += [wrap(item, "  ", "- ") for item in content]
            else:
                lines.append(wrap(str(content)))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
