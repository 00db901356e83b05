"""Delivery reports as Word files: the highlight and exception reports and the plan on a page.

Pure: a report's content (as `delivery.service.reports` builds it) in, the .docx file's bytes
out; no database. Where the asking person's organisation has uploaded its own Word template (the
narrative's house styles), a Composer is passed: the report is then written into that template
(its cover's placeholders filled, the report where its body goes) rather than a blank document.
Accessible as Word checks it: real heading styles, tables with a header row that repeats on each
page and alternative text, each rating written as a word with a shape, not shown by colour alone,
and the plan's RAG definitions in every file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from placeplan.delivery.domain.ratings import NOT_RATED, RAG_SHAPES, RAG_WORDS, RATINGS

# Light fills behind black text: the word and shape carry the meaning, the fill only helps.
_FILLS = {"red": "F9D4D0", "amber": "FFEDC2", "green": "CCE8D7", NOT_RATED: "E8EDEE"}

# A report put in an organisation's template: (title, placeholders' values, what writes the body)
Composer = Callable[[str, dict[str, str], Callable[[DocumentObject], None]], bytes]


def rag_text(rating: str | None) -> str:
    """A rating as a shape and a word, e.g. "▲ Red"; an absent one is "○ Not rated"."""
    key = rating if rating in RAG_SHAPES else NOT_RATED
    return f"{RAG_SHAPES[key]} {RAG_WORDS[key]}"


def _long_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def _landscape(doc: DocumentObject) -> None:
    section = doc.sections[-1]
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width < height:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width


def _has_style(doc: DocumentObject, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def _made(
    title: str,
    values: dict[str, str],
    write: Callable[[DocumentObject], None],
    compose: Composer | None,
) -> bytes:
    """The report written into the organisation's template, else into a blank landscape A4."""
    if compose is not None:

        def landscape_then(doc: DocumentObject) -> None:
            _landscape(doc)
            write(doc)

        return compose(title, values, landscape_then)
    doc = _new_document(title)
    write(doc)
    return _saved(doc)


def _new_document(title: str, landscape: bool = True) -> DocumentObject:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "en-GB"
    doc.core_properties.author = "placeplan"
    # The document's language, for screen readers and spelling (Word reads w:lang, not dc:language)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    return doc


def _repeat_header(table: Table) -> None:
    """Mark the first row as the table's header: Word repeats it on each page and screen readers
    announce its cells as column headings."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _describe(table: Table, caption: str) -> None:
    """The table's alternative text (Word: Table Properties > Alt Text)."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _rag_cell(cell: _Cell, rating: str | None, suffix: str = "") -> None:
    key = rating if rating in RAG_SHAPES else NOT_RATED
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(rag_text(key))
    run.bold = key != NOT_RATED
    if suffix:
        paragraph.add_run(suffix)
    _shade(cell, _FILLS[key])


Cell = str | tuple[str, str | None]  # text, or ("rag", rating) for a rating cell


def _table(
    doc: DocumentObject,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths_cm: Sequence[float] | None = None,
) -> Table:
    table: Table = doc.add_table(rows=1, cols=len(headers))
    if _has_style(doc, "Table Grid"):
        table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table)
    _describe(table, caption)
    for values in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, tuple):
                _rag_cell(cell, value[1])
            else:
                cell.text = value
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    return table


def _none(doc: DocumentObject, text: str = "None.") -> None:
    doc.add_paragraph(text)


def _definitions(doc: DocumentObject, content: dict[str, Any]) -> None:
    doc.add_heading("What the RAG ratings mean", level=2)
    defs = content["rag_definitions"]
    _table(
        doc,
        "RAG definitions for this plan",
        ["Rating", rag_text("red"), rag_text("amber"), rag_text("green")],
        [
            [label, *(defs.get(kind, {}).get(r, "") for r in ("red", "amber", "green"))]
            for kind, label in content["rag_kinds"].items()
        ],
        [5.0, 7.3, 7.3, 7.3],
    )


def _saved(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


ACTION_HEADERS = [
    "Action",
    "Overall",
    "Change since last period",
    "Risk / issue",
    "Trajectory",
    "Commentary and risks",
    "Leads",
]


def action_cells(item: dict[str, Any], content: dict[str, Any]) -> list[Cell]:
    """One action's row of the red and amber tables."""
    where = " · ".join(x for x in (item.get("theme"), item.get("body")) if x)
    was = ""
    if item.get("previous_rag"):
        was = f" (was {RAG_WORDS[item['previous_rag']]} in {item['previous_period']})"
    stale = ""
    if item.get("rated_in") and item["rated_in"] != content["period"]:
        stale = f" (not updated since {item['rated_in']})"
    commentary = item.get("commentary") or ""
    if item.get("risks"):
        commentary = f"{commentary}\nRisks: {item['risks']}".strip()
    return [
        f"{item['ref']}: {item['we_will']}" + (f"\n{where}" if where else ""),
        ("rag", item.get("overall_rag")),
        content["change_labels"].get(item["change"], item["change"]) + was + stale,
        ("rag", item.get("risk_rag")),
        ("rag", item.get("trajectory_rag")),
        commentary,
        ", ".join(item.get("lead_contacts") or []),
    ]


_ACTION_WIDTHS = [6.5, 2.4, 3.6, 2.4, 2.4, 6.0, 2.8]


def report_docx(content: dict[str, Any], compose: Composer | None = None) -> bytes:
    """The highlight report (reds and ambers) or the exception report (reds only) as a .docx."""
    plan_title = content["plan"]["title"]
    heading = f"{content['title']}: {plan_title}"

    def write(doc: DocumentObject) -> None:
        doc.add_heading(heading, level=1)
        body = content["body"]["name"] if content["body"] else "All governance bodies"
        if content["period"] is None:
            doc.add_paragraph(f"Governance body: {body}")
            doc.add_paragraph("No action has been rated yet, so there is nothing to report.")
            _definitions(doc, content)
            return
        _report_intro(doc, content, body)
        _report_summary(doc, content)
        _report_actions(doc, content)
        _report_changes(doc, content)
        _report_overdue(doc, content)
        _report_decisions(doc, content)
        _report_not_updated(doc, content)
        _definitions(doc, content)

    values = {"plan_title": plan_title, "period": content["period"] or ""}
    return _made(heading, values, write, compose)


def _report_intro(doc: DocumentObject, content: dict[str, Any], body: str) -> None:
    """The period, the body and the period compared with, under the report's title."""
    doc.add_paragraph(
        f"Reporting period: {content['period']} (each action's latest rating up to"
        f" {_long_date(content['period_end'])})"
    )
    doc.add_paragraph(f"Governance body: {body}")
    previous = content["previous_period"]
    doc.add_paragraph(
        f"Compared with: {previous}" if previous else "Compared with: no earlier period"
    )
    if content["kind"] == "exception":
        doc.add_paragraph(
            "This exception report lists the red actions only: those that will not deliver"
            " against the plan without intervention."
        )


def _report_summary(doc: DocumentObject, content: dict[str, Any]) -> None:
    doc.add_heading("Summary", level=2)
    counts = content["counts"]
    _table(
        doc,
        f"Actions by overall rating, {content['period']}",
        ["Overall rating", "Actions"],
        [[("rag", r), str(counts[r])] for r in RATINGS],
        [5.0, 3.0],
    )


def _report_actions(doc: DocumentObject, content: dict[str, Any]) -> None:
    """The red actions' table and, in the highlight report, the amber actions'."""
    sections = [("Red actions", content["reds"])]
    if content["kind"] == "highlight":
        sections.append(("Amber actions", content["ambers"]))
    for title, items in sections:
        doc.add_heading(f"{title} ({len(items)})", level=2)
        if items:
            _table(
                doc,
                f"{title}, {content['period']}",
                ACTION_HEADERS,
                [action_cells(i, content) for i in items],
                _ACTION_WIDTHS,
            )
        else:
            _none(doc)


def _report_changes(doc: DocumentObject, content: dict[str, Any]) -> None:
    previous = content["previous_period"]
    since = f"since {previous}" if previous else "since the last period"
    doc.add_heading(f"What changed {since} ({len(content['changes'])})", level=2)
    if content["changes"]:
        _table(
            doc,
            f"Changes in overall rating {since}",
            ["Action", "Was", "Now", "Change"],
            [
                [
                    f"{c['ref']}: {c['we_will']}",
                    ("rag", c.get("previous_rag")),
                    ("rag", c.get("overall_rag")),
                    content["change_labels"].get(c["change"], c["change"]),
                ]
                for c in content["changes"]
            ],
            [13.0, 3.5, 3.5, 6.0],
        )
    else:
        _none(doc, "No overall rating changed.")


def _report_overdue(doc: DocumentObject, content: dict[str, Any]) -> None:
    doc.add_heading(f"Overdue milestones ({len(content['overdue'])})", level=2)
    if content["overdue"]:
        _table(
            doc,
            f"Milestones overdue at {_long_date(content['period_end'])}",
            ["Action", "Milestone", "Due"],
            [[o["action_ref"], o["by"], _long_date(o["due"])] for o in content["overdue"]],
            [3.0, 19.0, 4.0],
        )
    else:
        _none(doc)


def _report_decisions(doc: DocumentObject, content: dict[str, Any]) -> None:
    doc.add_heading(f"Decisions needed ({len(content['decisions'])})", level=2)
    if content["decisions"]:
        _table(
            doc,
            f"Decisions asked for in {content['period']}",
            ["Action", "Decision needed"],
            [[d["ref"], d["decision"]] for d in content["decisions"]],
            [3.0, 23.0],
        )
    else:
        _none(doc, "None asked for this period.")


def _report_not_updated(doc: DocumentObject, content: dict[str, Any]) -> None:
    """The actions without an update for the period; the section is left out when there are
    none."""
    if content["not_updated"]:
        period = content["period"]
        doc.add_heading(f"Not updated for {period} ({len(content['not_updated'])})", level=2)
        _table(
            doc,
            f"Actions without an update for {period}",
            ["Action", "Last rated in"],
            [[n["ref"], n["last_rated_in"] or "Never"] for n in content["not_updated"]],
            [6.0, 6.0],
        )


def on_a_page_docx(content: dict[str, Any], compose: Composer | None = None) -> bytes:
    """The plan on a page as a landscape .docx: a column per theme with its ambition, priorities
    and its actions' ratings, then the totals and what the ratings mean."""
    plan_title = content["plan"]["title"]
    heading = f"Plan on a page: {plan_title}"
    values = {"plan_title": plan_title, "period": content["period"] or ""}
    return _made(heading, values, lambda doc: _write_on_a_page(doc, content, heading), compose)


def _write_on_a_page(doc: DocumentObject, content: dict[str, Any], heading: str) -> None:
    """One piece: the page's heading, the themes' table, the totals, principles and definitions."""
    doc.add_heading(heading, level=1)
    period = content["period"]
    doc.add_paragraph(
        f"Ratings as at {period} (each action's latest rating up to"
        f" {_long_date(content['period_end'])})"
        if period
        else "No action has been rated yet."
    )
    themes = content["themes"]
    if themes:
        table = doc.add_table(rows=4, cols=len(themes))
        if _has_style(doc, "Table Grid"):
            table.style = "Table Grid"
        _repeat_header(table)
        _describe(table, f"The plan's themes, their priorities and ratings, {period or ''}".strip())
        for cell, theme in zip(table.rows[0].cells, themes, strict=True):
            cell.paragraphs[0].add_run(f"{theme['ref']}. {theme['name']}").bold = True
        for cell, theme in zip(table.rows[1].cells, themes, strict=True):
            cell.paragraphs[0].add_run("Ambition: ").bold = True
            cell.paragraphs[0].add_run(theme["ambition"] or "")
        for cell, theme in zip(table.rows[2].cells, themes, strict=True):
            first = True
            for p in theme["priorities"]:
                paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                paragraph.add_run(f"{p['ref']}. ").bold = True
                paragraph.add_run(p["statement"])
                if p["do_priority"]:
                    paragraph.add_run(" (do priority)").italic = True
                if p["actions"]:
                    paragraph.add_run(f" [{p['actions']} actions]")
            for run in (r for par in cell.paragraphs for r in par.runs):
                run.font.size = Pt(8)
        for cell, theme in zip(table.rows[3].cells, themes, strict=True):
            lines = [f"{rag_text(r)}: {theme['counts'][r]}" for r in RATINGS]
            lines.append(f"Overdue milestones: {theme['overdue']}")
            cell.text = "\n".join(lines)

    doc.add_heading("Actions by overall rating", level=2)
    totals = content["totals"]
    _table(
        doc,
        f"Actions by theme and overall rating, {period or ''}".strip(),
        ["Theme", *(rag_text(r) for r in RATINGS), "All actions", "Overdue milestones"],
        [
            [
                t["name"],
                *(str(t["counts"][r]) for r in RATINGS),
                str(t["actions"]),
                str(t["overdue"]),
            ]
            for t in themes
        ]
        + [
            [
                "All themes",
                *(str(totals[r]) for r in RATINGS),
                str(totals["actions"]),
                str(totals["overdue"]),
            ]
        ],
    )
    if content["principles"]:
        doc.add_heading("Guiding principles", level=2)
        for p in content["principles"]:
            doc.add_paragraph(
                f"{p['ref']}. {p['name']}",
                style="List Bullet" if _has_style(doc, "List Bullet") else None,
            )
    _definitions(doc, content)
