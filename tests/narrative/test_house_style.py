"""Word templates: the accessible default (checked in the docx's own structure: LibreOffice 7.4
has no headless accessibility check, so tests/narrative/writer_a11y.py applies its checker's
rules to the XML: heading styles and their order, table header rows, alternative text, no direct
formatting, text contrast, the document's title and language), an unknown placeholder refused by
name, and a user's template filled in its own styles. The converted file opens in LibreOffice."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from placeplan.io import docx_pdf
from placeplan.narrative.domain.placeholders import Document, Table
from placeplan.narrative.domain.text import parse
from placeplan.narrative.io.house_style import (
    TemplateRefused,
    check_template,
    default_template,
    render,
)
from tests.narrative.writer_a11y import issues
from tests.packs.pdf_reading import is_whole_pdf, page_count

VALUES = {
    "plan_title": "County BCF <2025-26> & more",
    "area_name": "Leicestershire",
    "period": "2025-26",
    "status": "draft",
    "organisation_name": "County Council",
    "generated_on": "5 December 2026",
    "document_title": "Better Care Fund narrative plan",
}


def sample() -> Document:
    doc = Document("Better Care Fund narrative plan: County BCF", dict(VALUES))
    doc.heading(1, "Section 1")
    doc.heading(2, "Overview")
    doc.text(parse("Words with **weight**.\n\n- one\n- two"))
    doc.table(
        Table("Spend by category", ("Category", "Total"), (("Acute", "£1"),), "the budget", (1,))
    )
    return doc


def template_with(*paragraphs: str) -> bytes:
    made = docx.Document()
    for text in paragraphs:
        made.add_paragraph(text)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def test_the_default_template_is_accessible_in_its_structure():
    out = docx.Document(io.BytesIO(render(default_template(), sample())))
    styles = [(p.style.name, p.text) for p in out.paragraphs]
    assert ("Heading 1", "Section 1") in styles and ("Heading 2", "Overview") in styles
    # the placeholders were filled, the value's "<" and "&" kept as text
    assert ("Subtitle", VALUES["plan_title"]) in styles
    assert not any("{{" in text for _, text in styles)
    (table,) = out.tables
    row_pr = table.rows[0]._tr.trPr
    assert row_pr.find(qn("w:tblHeader")) is not None
    described = table._tbl.tblPr.find(qn("w:tblDescription"))
    assert described is not None and described.get(qn("w:val")) == "Spend by category"
    assert out.core_properties.title == "Better Care Fund narrative plan: County BCF"
    styles_xml = zipfile.ZipFile(io.BytesIO(render(default_template(), sample()))).read(
        "word/styles.xml"
    )
    assert b'w:lang w:val="en-GB"' in styles_xml
    # the body went where {{ body }} was: before the footer's section end, after the cover
    texts = [p.text for p in out.paragraphs]
    assert texts.index("Section 1") > texts.index(VALUES["plan_title"])


def test_the_default_template_passes_libreoffices_accessibility_rules():
    doc = sample()
    doc.text(parse("*Emphasis*, **strong** and ***both***.\n\n1. first\n2. second"))
    doc.note("Draft: version 2.")
    assert issues(render(default_template(), doc)) == []


def test_the_accessibility_rules_find_what_libreoffice_would():
    """A document with the faults LibreOffice's checker names: the rules are not vacuous."""
    made = docx.Document()
    made.add_heading("Skipped a level", level=3)  # Word's own Heading 3 is light blue too
    made.add_paragraph().add_run("bold by hand").bold = True
    made.add_paragraph("1. typed")
    made.add_paragraph("2. numbering")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(picture, format="PNG")
    made.add_picture(picture)
    table = made.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))
    buffer = io.BytesIO()
    made.save(buffer)
    found = "\n".join(issues(buffer.getvalue()))
    for fault in (
        "no title",
        "Heading level 3 follows level 0",
        "Text contrast",
        "Direct formatting (b)",
        "Typed numbering",
        "No alternative text",
        "A table without alternative text",
        "without a header row",
        "Merged or split cells",
    ):
        assert fault in found


def test_an_unknown_placeholder_is_refused_by_name():
    with pytest.raises(TemplateRefused, match="chief_exec"):
        check_template(template_with("{{ plan_title }}", "Signed: {{ chief_exec }}"))
    assert check_template(template_with("{{ plan_title }}", "{{ body }}")) == {"plan_title", "body"}


def test_a_broken_template_or_not_word_is_refused():
    with pytest.raises(TemplateRefused):
        check_template(b"not a word file")
    with pytest.raises(TemplateRefused, match="do not parse"):
        check_template(template_with("{{ plan_title "))


def test_a_users_template_without_heading_styles_still_gets_real_headings():
    made = docx.Document()
    made.add_paragraph("Our cover: {{ plan_title }}")
    buffer = io.BytesIO()
    made.save(buffer)
    out = docx.Document(io.BytesIO(render(buffer.getvalue(), sample())))
    texts = [p.text for p in out.paragraphs]
    assert texts[0] == f"Our cover: {VALUES['plan_title']}"
    # no {{ body }}: the body follows the template's own content
    assert texts.index("Section 1") > 0
    heading = next(p for p in out.paragraphs if p.text == "Section 1")
    assert heading.style.name == "Heading 1"


@pytest.mark.skipif(docx_pdf.soffice() is None, reason="LibreOffice is not installed")
def test_the_filled_default_opens_in_libreoffice():
    pdf = docx_pdf.docx_to_pdf(render(default_template(), sample()))
    assert is_whole_pdf(pdf) and page_count(pdf) == 1
