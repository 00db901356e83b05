"""Word templates (house styles): the accessible default, the placeholders a template uses, and
a template filled with a document (docxtpl for the placeholders, python-docx for the body).

A template is a .docx whose text may hold `{{ name }}` placeholders (domain.placeholders): the
cover, running headers and footers. The body goes where a paragraph holds only `{{ body }}`, else
after the template's own content, and is written in the template's styles: headings as Word's
Heading 1 and 2 (so they are real headings), lists in its list styles, tables with a repeating
header row and alternative text."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxtpl import DocxTemplate  # type: ignore[import-untyped]
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from placeplan.narrative.domain.placeholders import (
    BODY_PLACEHOLDER,
    KNOWN,
    PLACEHOLDERS,
    Document,
    unknown,
)
from placeplan.narrative.io.word_body import BODY_MARK, ensure_styles, write_at_marker, write_body

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)  # 5.1:1 on white: WCAG AA for text of any size
NHS_TEXT = RGBColor(0x21, 0x2B, 0x32)  # NHS dark grey, 14:1 on white


class TemplateRefused(ValueError):
    """A template placeplan cannot fill: not a Word file, broken placeholders, or unknown ones."""


def _saved(doc: WordDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _language(doc: WordDocument) -> None:
    """en-GB for screen readers and spelling (Word reads w:lang, not dc:language)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def default_template() -> bytes:
    """The accessible NHS-style template: Arial, headings in NHS blue as Word's heading styles, a
    cover of placeholders and the plan's title in the running footer."""
    doc = open_docx()
    doc.core_properties.language = "en-GB"
    doc.core_properties.author = "placeplan"
    _language(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = NHS_BLUE
    # Word's own Subtitle and Caption are a light blue (3.9:1 on white), below the 4.5:1 that
    # LibreOffice's accessibility check and WCAG AA ask of text.
    for name, size in (("Subtitle", 14), ("Caption", 11)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = NHS_TEXT
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    doc.add_paragraph("{{ document_title }}", style="Title")
    doc.add_paragraph("{{ plan_title }}", style="Subtitle")
    doc.add_paragraph("{{ area_name }}, {{ period }}")
    doc.add_paragraph("Status: {{ status }}. Made by placeplan on {{ generated_on }}.")
    doc.add_paragraph("{{ body }}")
    footer = section.footer.paragraphs[0]
    footer.text = "{{ plan_title }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return _saved(doc)


def _environment() -> SandboxedEnvironment:
    # A template is uploaded by people: its expressions run sandboxed, and what they print is
    # escaped, so a value holding "<" or "&" stays text.
    return SandboxedEnvironment(autoescape=True)


def _template(content: bytes) -> DocxTemplate:
    try:
        return DocxTemplate(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a file that is not Word
        raise TemplateRefused("the file is not a Word document (.docx)") from exc


def placeholders_in(content: bytes) -> set[str]:
    try:
        names = _template(content).get_undeclared_template_variables(_environment())
    except TemplateRefused:
        raise
    except TemplateError as exc:
        raise TemplateRefused(f"the template's placeholders do not parse: {exc}") from exc
    except Exception as exc:
        raise TemplateRefused("the file is not a Word document (.docx)") from exc
    return set(names)


def check_template(content: bytes) -> set[str]:
    """The placeholders a template uses; refused naming the first one placeplan does not know."""
    names = placeholders_in(content)
    strange = unknown(names)
    if strange:
        listed = ", ".join(f"“{{{{ {n} }}}}”" for n in strange)
        raise TemplateRefused(
            f"the template uses a placeholder placeplan does not know: {listed}."
            " Use only: " + ", ".join(sorted(KNOWN))
        )
    return names


def _filled(template: bytes, title: str, values: dict[str, str]) -> WordDocument:
    """The template with its placeholders filled, the body's place marked, its styles made."""
    filled = _template(template)
    try:
        filled.render(
            {**{name: "" for name in PLACEHOLDERS}, **values, BODY_PLACEHOLDER: BODY_MARK},
            jinja_env=_environment(),
        )
    except TemplateError as exc:
        raise TemplateRefused(f"the template could not be filled: {exc}") from exc
    buffer = io.BytesIO()
    filled.save(buffer)
    doc = open_docx(io.BytesIO(buffer.getvalue()))
    doc.core_properties.title = title
    doc.core_properties.language = "en-GB"
    _language(doc)
    ensure_styles(doc)
    return doc


def render(template: bytes, document: Document) -> bytes:
    """The template's placeholders filled and the document's body written in its styles."""
    doc = _filled(template, document.title, document.values)
    write_body(doc, document.parts)
    return _saved(doc)


def compose(
    template: bytes, title: str, values: dict[str, str], write: Callable[[WordDocument], None]
) -> bytes:
    """Another concept's document in the template: its placeholders filled from `values` (a
    placeholder not given is left empty) and what `write` adds put where the body goes."""
    doc = _filled(template, title, values)
    write_at_marker(doc, write)
    return _saved(doc)
