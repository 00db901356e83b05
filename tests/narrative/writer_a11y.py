"""LibreOffice Writer's accessibility check, read from a Word file's XML.

LibreOffice 7.4 (the Debian build the tests install) runs its accessibility check only from its
dialogs: Tools > Accessibility Check, or the PDF export dialog's OK button when PDF/UA is ticked.
`soffice --headless --convert-to` never opens that dialog, so a PDF/UA export of a document
with accessibility errors still succeeds (tried: a file with an untitled document, a picture
without alternative text, merged cells and typed numbering exported with PDFUACompliance=true,
and claimed PDF/UA part 1); the check is not in its UNO API, and Debian's build has no Python
bridge. So this module applies the same rules, one function per check of
sw/source/core/access/AccessibilityCheck.cxx that a generated document could break, to the
document's XML as Word writes it. It reports issues as LibreOffice words them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"w": W, "wp": WP, "dc": DC}
# Character formatting that LibreOffice's TextFormattingCheck reports when it is applied to the
# words rather than through a style ("The text formatting conveys additional meaning").
DIRECT = ("b", "bCs", "i", "iCs", "color", "sz", "szCs", "rFonts", "u", "strike", "dstrike",
          "shadow", "em", "outline", "emboss", "imprint")  # fmt: skip
NUMBERING = (("1.", "2."), ("(1)", "(2)"), ("1)", "2)"), ("a.", "b."), ("(a)", "(b)"),
             ("a)", "b)"), ("A.", "B."), ("(A)", "(B)"), ("A)", "B)"))  # fmt: skip


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class Styles:
    """The document's styles: each one's parent, outline level and colour."""

    def __init__(self, xml: bytes) -> None:
        root = etree.fromstring(xml)
        self.by_id = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
        default = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        self.language = default.get(_w("val")) if default is not None else None

    def _chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find("w:basedOn", NS)
            style_id = based.get(_w("val")) if based is not None else None

    def outline_level(self, style_id: str | None) -> int:
        """1 for Heading 1 and so on; 0 for body text."""
        for style in self._chain(style_id):
            found = style.find("w:pPr/w:outlineLvl", NS)
            if found is not None:
                level = int(found.get(_w("val")))
                return level + 1 if level < 9 else 0
        return 0

    def colour(self, *style_ids: str | None) -> str | None:
        """The text colour a run gets from its character style, else its paragraph's style."""
        for style_id in style_ids:
            for style in self._chain(style_id):
                found = style.find("w:rPr/w:color", NS)
                if found is not None and found.get(_w("val")) not in (None, "auto"):
                    return str(found.get(_w("val")))
        return None


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of a colour against white, as LibreOffice works it out."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t")))


def _style(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.get(_w("val")) if found is not None else None


def _paragraph_issues(body: etree._Element, styles: Styles) -> Iterator[str]:
    paragraphs = list(body.iter(_w("p")))
    previous_level = 0
    for n, p in enumerate(paragraphs):
        text = _text(p)
        style = _style(p, "w:pPr/w:pStyle")
        level = styles.outline_level(style)
        in_table = any(a.tag == _w("tc") for a in p.iterancestors())
        if level and in_table:
            yield f"Heading in a table: {text!r}"
        if level:
            if level - previous_level > 1:
                yield f"Heading level {level} follows level {previous_level}: {text!r}"
            previous_level = level
        if n + 1 < len(paragraphs):
            following = _text(paragraphs[n + 1])
            for first, second in NUMBERING:
                if text.startswith(first) and following.startswith(second):
                    yield f"Typed numbering rather than a list: {text[:40]!r}"
        if any(mark in text for mark in ("___", "....", "……", "….", ".…")):
            yield f"Repeated dots or underscores, a fake form: {text[:40]!r}"
        if text.startswith("*"):
            yield f"A fake footnote: {text[:40]!r}"
        if re.search(r"\S {2,}\S", text):
            yield f"Spaces used for layout: {text[:40]!r}"
        pictures = p.findall(".//w:drawing", NS) + (
            paragraphs[n - 1].findall(".//w:drawing", NS) if n else []
        )
        if not text and not in_table and n and not _text(paragraphs[n - 1]) and not pictures:
            yield "Empty paragraphs used for spacing"
        for r in p.iter(_w("r")):
            props = r.find("w:rPr", NS)
            direct = [
                c for c in DIRECT if props is not None and props.find(f"w:{c}", NS) is not None
            ]
            if direct and r.findtext("w:t", namespaces=NS):
                yield f"Direct formatting ({', '.join(direct)}) on {r.findtext('w:t', namespaces=NS)!r}"
            colour = styles.colour(_style(r, "w:rPr/w:rStyle"), style)
            if colour and r.findtext("w:t", namespaces=NS) and contrast_on_white(colour) < 4.5:
                yield f"Text contrast {contrast_on_white(colour):.1f}:1 (#{colour}) on {text[:40]!r}"


def _table_issues(body: etree._Element) -> Iterator[str]:
    for table in body.iter(_w("tbl")):
        caption = _style(table, "w:tblPr/w:tblCaption") or _style(table, "w:tblPr/w:tblDescription")
        rows = table.findall("w:tr", NS)
        if not caption:
            yield "A table without alternative text"
        if not rows or rows[0].find("w:trPr/w:tblHeader", NS) is None:
            yield f"A table without a header row: {caption!r}"
        if table.find(".//w:gridSpan", NS) is not None or table.find(".//w:vMerge", NS) is not None:
            yield f"Merged or split cells: {caption!r}"
        if len({len(r.findall("w:tc", NS)) for r in rows}) > 1:
            yield f"Rows of different lengths: {caption!r}"
        cells = [c for r in rows for c in r.findall("w:tc", NS)]
        if sum(1 for c in cells if not _text(c).strip()) > len(cells) // 2:
            yield f"More than half the cells empty, a table used for layout: {caption!r}"


def _picture_issues(body: etree._Element) -> Iterator[str]:
    for drawing in body.iter(_w("drawing")):
        if drawing.find("wp:anchor", NS) is not None:
            yield "A floating picture (breaks the reading order)"
        for properties in drawing.iter(f"{{{WP}}}docPr"):
            if not (properties.get("descr") or properties.get("title")):
                yield f"No alternative text: {properties.get('name')}"


def issues(docx: bytes) -> list[str]:
    """Every issue LibreOffice's check would list for the document; [] when it passes."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = Styles(z.read("word/styles.xml"))
        core = etree.fromstring(z.read("docProps/core.xml"))
    found = []
    title = core.findtext("dc:title", namespaces=NS)
    if not (title or "").strip():
        found.append("The document has no title")
    if not styles.language:
        found.append("The document's default language is not set")
    body = document.find("w:body", NS)
    found += _paragraph_issues(body, styles)
    found += _table_issues(body)
    found += _picture_issues(body)
    return found
