"""A document's body written into a Word file in its template's styles: headings, paragraphs with
emphasis, lists, notes, diagrams as pictures with alternative text, and tables with a repeating
header row and alternative text.

Every piece of formatting comes from a named style (Strong, Emphasis, Caption, Table Heading,
Source, Note), never from formatting applied to the words themselves: LibreOffice's accessibility
check counts such direct formatting as an issue ("the text formatting conveys additional meaning"),
and a reader's own styles can restyle named ones."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from placeplan.narrative.domain.placeholders import Diagram, Part, Table
from placeplan.narrative.domain.text import Block, Run
from placeplan.narrative.io.diagram import diagram_png

BODY_MARK = "\u27e6placeplan-body\u27e7"  # what {{ body }} renders to, then is replaced by
HEADING_LEVELS = (1, 2, 3)
DIAGRAM_MAX_CM = 16.0
# Paragraph styles the body uses besides headings and lists, each made (based on Normal) where a
# template lacks it: name -> (bold, italic)
PARAGRAPH_STYLES = {
    "Caption": (True, False),
    "Table Heading": (True, False),
    "Source": (False, True),
    "Note": (False, True),
}
# Character styles for a block's emphasis: name -> (bold, italic)
CHARACTER_STYLES = {
    "Strong": (True, False),
    "Emphasis": (False, True),
    "Strong Emphasis": (True, True),
}


def _has_style(doc: WordDocument, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def ensure_styles(doc: WordDocument) -> None:
    """A template made without Word's heading styles gets them, each with its outline level, so
    the headings stay headings to a screen reader and in the navigation pane."""
    for level in HEADING_LEVELS:
        name = f"Heading {level}"
        if _has_style(doc, name):
            continue
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.bold = True
        p_pr = style.element.get_or_add_pPr()
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        p_pr.append(outline)
    for name, (bold, italic) in PARAGRAPH_STYLES.items():
        if not _has_style(doc, name):
            made = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            made.base_style = doc.styles["Normal"]
            made.font.bold, made.font.italic = bold or None, italic or None
    for name, (bold, italic) in CHARACTER_STYLES.items():
        if not _has_style(doc, name):
            made = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            made.font.bold, made.font.italic = bold or None, italic or None


def _character_style(run: Run) -> str | None:
    if run.strong and run.emphasis:
        return "Strong Emphasis"
    return "Strong" if run.strong else "Emphasis" if run.emphasis else None


def _runs(paragraph: Paragraph, runs: tuple[Run, ...]) -> None:
    for r in runs:
        paragraph.add_run(r.text, style=_character_style(r))


def _text(doc: WordDocument, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if block.kind == "paragraph":
            _runs(doc.add_paragraph(), block.items[0])
            continue
        style = "List Bullet" if block.kind == "bullets" else "List Number"
        for n, item in enumerate(block.items, start=1):
            if _has_style(doc, style):
                _runs(doc.add_paragraph(style=style), item)
            else:  # a template without list styles: the marker as text
                marker = "\u2022 " if block.kind == "bullets" else f"{n}. "
                _runs(doc.add_paragraph(), (Run(marker), *item))


def _repeat_header(table: WordTable) -> None:
    """The first row is the table's header: Word repeats it on each page and screen readers
    announce its cells as column headings."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _describe(table: WordTable, caption: str) -> None:
    """The table's alternative text (Word: Table Properties > Alt Text)."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _table(doc: WordDocument, spec: Table) -> None:
    doc.add_paragraph(spec.caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(spec.header))
    if _has_style(doc, "Table Grid"):
        table.style = "Table Grid"
    for n, (cell, text) in enumerate(zip(table.rows[0].cells, spec.header, strict=True)):
        cell.paragraphs[0].style = doc.styles["Table Heading"]
        cell.paragraphs[0].add_run(text)
        if n in spec.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table)
    _describe(table, spec.caption)
    for values in spec.rows:
        cells = table.add_row().cells
        for n, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if n in spec.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"Source: {spec.source}", style="Source")


def _diagram(doc: WordDocument, spec: Diagram) -> None:
    """The picture in its own paragraph, in line with the text (a floating picture breaks the
    reading order), its alternative text the tree in words."""
    doc.add_paragraph(spec.caption, style="Caption")
    png, pixels = diagram_png(spec)
    width = Cm(min(DIAGRAM_MAX_CM, pixels / 96 * 2.54))
    picture = doc.add_paragraph().add_run().add_picture(io.BytesIO(png), width=width)
    # Word: Picture > Alt Text; LibreOffice reads the same two attributes as title and description
    picture._inline.docPr.set("descr", spec.description())
    picture._inline.docPr.set("title", spec.caption)
    doc.add_paragraph(f"Source: {spec.source}", style="Source")


def _part(doc: WordDocument, part: Part) -> None:
    if part.kind == "heading":
        doc.add_paragraph(part.title, style=f"Heading {min(max(part.level, 1), 3)}")
    elif part.kind == "text":
        _text(doc, part.blocks)
    elif part.kind == "table" and part.table is not None:
        _table(doc, part.table)
    elif part.kind == "note":
        doc.add_paragraph(part.note, style="Note")
    elif part.kind == "diagram" and part.diagram is not None:
        _diagram(doc, part.diagram)


def write_at_marker(doc: WordDocument, write: Callable[[WordDocument], None]) -> None:
    """What `write` adds to the document, moved to where the template's body placeholder was (else
    left at its end)."""
    body = doc.element.body
    before = len(body)
    write(doc)
    marker = next((p for p in doc.paragraphs if p.text.strip() == BODY_MARK), None)
    if marker is None:
        return
    # python-docx appends before the section properties; move what it added to the marker.
    sect_pr = body.find(qn("w:sectPr"))
    added = [
        el for el in list(body)[before - (1 if sect_pr is not None else 0) :] if el is not sect_pr
    ]
    for element in added:
        marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)


def write_body(doc: WordDocument, parts: list[Part]) -> None:
    """The parts, in order, where the template's body placeholder was (else at its end)."""

    def write(into: WordDocument) -> None:
        for part in parts:
            _part(into, part)

    write_at_marker(doc, write)
