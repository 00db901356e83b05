"""A document's body written into a Word file in its template's styles: headings, paragraphs with
emphasis, lists, notes and tables with a repeating header row and alternative text."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from placeplan.narrative.domain.placeholders import Part, Table
from placeplan.narrative.domain.text import Block, Run

BODY_MARK = "\u27e6placeplan-body\u27e7"  # what {{ body }} renders to, then is replaced by
HEADING_LEVELS = (1, 2, 3)


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


def _runs(paragraph: Paragraph, runs: tuple[Run, ...]) -> None:
    for r in runs:
        run = paragraph.add_run(r.text)
        if r.strong:
            run.bold = True
        if r.emphasis:
            run.italic = True


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
    caption = doc.add_paragraph()
    caption.add_run(spec.caption).bold = True
    table = doc.add_table(rows=1, cols=len(spec.header))
    if _has_style(doc, "Table Grid"):
        table.style = "Table Grid"
    for n, (cell, text) in enumerate(zip(table.rows[0].cells, spec.header, strict=True)):
        cell.paragraphs[0].add_run(text).bold = True
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
    doc.add_paragraph().add_run(f"Source: {spec.source}").italic = True


def _part(doc: WordDocument, part: Part) -> None:
    if part.kind == "heading":
        doc.add_paragraph(part.title, style=f"Heading {min(max(part.level, 1), 3)}")
    elif part.kind == "text":
        _text(doc, part.blocks)
    elif part.kind == "table" and part.table is not None:
        _table(doc, part.table)
    elif part.kind == "note":
        doc.add_paragraph().add_run(part.note).italic = True


def write_body(doc: WordDocument, parts: list[Part]) -> None:
    """The parts, in order, where the template's body placeholder was (else at its end)."""
    body = doc.element.body
    before = len(body)
    for part in parts:
        _part(doc, part)
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
