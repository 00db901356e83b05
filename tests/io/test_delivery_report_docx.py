"""The highlight and exception reports as Word files, checked against the demo's delivery plan.

What each report should say is worked out here, independently of the service, from the demo's data
file (src/placeplan/demo/data/delivery_leicester_2023_25.yaml: seed 004's Healthy Places actions
and their ILLUSTRATIVE updates), then the .docx is opened with python-docx and its headings and
table cells compared with it.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from placeplan.core.actor import operator
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery.domain import rules
from placeplan.delivery.io import report_docx
from placeplan.delivery.service import reports as report_data
from placeplan.demo import delivery as demo_delivery
from placeplan.io import docx_pdf as report_pdf
from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory

DEMO: dict[str, Any] = yaml.safe_load(demo_delivery.DEMO_FILE.read_text(encoding="utf-8"))
BODY_KEY = "leicester-hwb"  # the governance body every demo action reports to


@dataclass
class Demo:
    engine: Engine
    sessions: sessionmaker[Session]
    plan_id: int
    title: str


def demo_database(tmp_path_factory: pytest.TempPathFactory, demo_sqlite: Path) -> Demo:
    """The whole LLR demo (its delivery plan included) on a SQLite file of its own, a copy of
    the run's loaded demo."""
    path = tmp_path_factory.mktemp("demo-reports") / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    with sessions() as s:
        plan = s.scalars(select(Plan).where(Plan.key == demo_delivery.DEMO_PLAN_KEY)).one()
        return Demo(engine, sessions, plan.id, plan.title)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_sqlite: Path) -> Iterator[Demo]:
    built = demo_database(tmp_path_factory, demo_sqlite)
    yield built
    built.engine.dispose()


# ---- what the demo file says, worked out by hand ------------------------------------------------


def actions_in_order() -> list[dict[str, Any]]:
    """The demo's actions in the plan's order: theme, then priority, then action."""
    return [
        a
        for theme in DEMO["themes"]
        for p in theme.get("priorities", [])
        for a in p.get("actions", [])
    ]


def ratings_at(period: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Each action's latest update at or before `period`, and the one before that. The file lists
    its periods in time order, so the updates up to and including `period` are a prefix of it."""
    labels = [u["period"] for u in DEMO["updates"]]
    latest: dict[str, dict[str, Any]] = {}
    previous: dict[str, dict[str, Any]] = {}
    for update in DEMO["updates"][: labels.index(period) + 1]:
        for ref, values in update["actions"].items():
            if ref in latest:
                previous[ref] = latest[ref]
            latest[ref] = {**values, "period": update["period"]}
    return latest, previous


def expected(period: str, kind: str = "highlight") -> dict[str, Any]:
    latest, previous = ratings_at(period)
    order = [a["ref"] for a in actions_in_order()]
    we_will = {a["ref"]: a["we_will"] for a in actions_in_order()}

    def rated(rag: str) -> list[str]:
        return [ref for ref in order if ref in latest and latest[ref]["overall"] == rag]

    changes = [
        ref
        for ref in order
        if ref in latest
        and latest[ref]["period"] == period
        and (ref not in previous or previous[ref]["overall"] != latest[ref]["overall"])
    ]
    decisions = [
        (ref, latest[ref]["decision"])
        for ref in order
        if ref in latest and latest[ref]["period"] == period and latest[ref].get("decision")
    ]
    end = parse_quarter_or_month(period).last_day
    overdue = [
        (a["ref"], m["by"])
        for a in actions_in_order()
        for m in a.get("milestones", [])
        if rules.is_overdue(
            date.fromisoformat(m["due"]) if m.get("due") else None,
            date.fromisoformat(m["done"]) if m.get("done") else None,
            end,
        )
    ]
    # The report lists overdue milestones action by action, each action's by due date.
    due = {
        (a["ref"], m["by"]): m["due"] for a in actions_in_order() for m in a.get("milestones", [])
    }
    overdue.sort(key=lambda o: (order.index(o[0]), due[o]))
    reds = rated("red")
    if kind == "exception":
        changes = [
            ref
            for ref in changes
            if latest[ref]["overall"] == "red"
            or (ref in previous and previous[ref]["overall"] == "red")
        ]
        overdue = [o for o in overdue if o[0] in reds]
        decisions = [d for d in decisions if d[0] in reds]
    return {
        "reds": reds,
        "ambers": rated("amber") if kind == "highlight" else [],
        "changes": changes,
        "decisions": decisions,
        "overdue": overdue,
        "we_will": we_will,
        "latest": latest,
        "previous": previous,
    }


# ---- reading the Word file ----------------------------------------------------------------------


def headings(doc: Any, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def table_after(doc: Any, heading_start: str) -> Any:
    """The table that follows the heading starting with `heading_start`, or None."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if seen and text.startswith(("What", "Red", "Amber", "Overdue", "Decisions", "Not")):
                return None
            if text.startswith(heading_start):
                seen = True
        elif child.tag == qn("w:tbl") and seen:
            return next(t for t in doc.tables if t._tbl is child)
    return None


def first_column(table: Any) -> list[str]:
    return [row.cells[0].text for row in table.rows[1:]]


def report(demo: Demo, period: str | None, kind: str, body: str | None = None) -> dict[str, Any]:
    with demo.sessions() as s:
        return report_data.report_content(s, operator(), demo.plan_id, period, body, kind)


def opened(content: dict[str, Any]) -> Any:
    return Document(io.BytesIO(report_docx.report_docx(content)))


# ---- the tests ----------------------------------------------------------------------------------

# 2023-24 Q4 is the demo's period with a red (HP2.4), two ambers and a decision asked for.
PERIOD = "2023-24 Q4"


def test_highlight_docx_has_the_reports_headings_and_tables(demo):
    content = report(demo, PERIOD, "highlight")
    want = expected(PERIOD)
    doc = opened(content)
    assert headings(doc, "Heading 1") == [f"Highlight report: {demo.title}"]
    assert doc.core_properties.title == f"Highlight report: {demo.title}"
    sections = headings(doc, "Heading 2")
    labels = [u["period"] for u in DEMO["updates"]]
    before = labels[labels.index(PERIOD) - 1]  # the period before, as the file orders them
    assert sections == [
        "Summary",
        f"Red actions ({len(want['reds'])})",
        f"Amber actions ({len(want['ambers'])})",
        f"What changed since {before} ({len(want['changes'])})",
        f"Overdue milestones ({len(want['overdue'])})",
        f"Decisions needed ({len(want['decisions'])})",
        "What the RAG ratings mean",
    ]
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"Reporting period: {PERIOD} (each action's latest rating up to 31 March 2024)" in (
        paragraphs
    )  # 2023-24 Q4 is January to March 2024
    assert f"Compared with: {before}" in paragraphs

    reds = table_after(doc, "Red actions")
    assert [c.split("\n")[0] for c in first_column(reds)] == [
        f"{r}: {want['we_will'][r]}" for r in want["reds"]
    ]
    header = [c.text for c in reds.rows[0].cells]
    assert header == report_docx.ACTION_HEADERS
    for row, ref in zip(reds.rows[1:], want["reds"], strict=True):
        cells = [c.text for c in row.cells]
        latest = want["latest"][ref]
        # The rating is a word with a shape, never colour alone.
        assert cells[1] == "▲ Red"
        assert cells[3] == report_docx.rag_text(latest.get("risk"))
        assert cells[4] == report_docx.rag_text(latest.get("trajectory"))
        if latest.get("internal"):
            assert latest["internal"] in cells[5]
    ambers = table_after(doc, "Amber actions")
    assert [c.split("\n")[0] for c in first_column(ambers)] == [
        f"{r}: {want['we_will'][r]}" for r in want["ambers"]
    ]
    assert {row.cells[1].text for row in ambers.rows[1:]} == {"◆ Amber"}

    changes = table_after(doc, "What changed since")
    assert first_column(changes) == [f"{r}: {want['we_will'][r]}" for r in want["changes"]]
    for row, ref in zip(changes.rows[1:], want["changes"], strict=True):
        was = want["previous"].get(ref, {}).get("overall")
        assert row.cells[1].text == report_docx.rag_text(was)
        assert row.cells[2].text == report_docx.rag_text(want["latest"][ref]["overall"])

    decisions = table_after(doc, "Decisions needed")
    assert [(r.cells[0].text, r.cells[1].text) for r in decisions.rows[1:]] == want["decisions"]

    summary = table_after(doc, "Summary")
    counted = {r.cells[0].text: int(r.cells[1].text) for r in summary.rows[1:]}
    latest = want["latest"]
    assert counted == {
        "▲ Red": sum(1 for v in latest.values() if v["overall"] == "red"),
        "◆ Amber": sum(1 for v in latest.values() if v["overall"] == "amber"),
        "● Green": sum(1 for v in latest.values() if v["overall"] == "green"),
        "○ Not rated": len(actions_in_order()) - len(latest),
    }


def test_every_table_has_a_repeating_header_row_and_alt_text(demo):
    doc = opened(report(demo, PERIOD, "highlight"))
    assert doc.tables
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val"))
        # Only the first row is a header.
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )


def test_the_rag_definitions_are_in_the_file(demo):
    content = report(demo, PERIOD, "highlight")
    doc = opened(content)
    table = table_after(doc, "What the RAG ratings mean")
    # The demo file sets none of its own, so the plan uses the defaults of delivery/rules.py.
    definitions = {**rules.DEFAULT_RAG_DEFINITIONS, **DEMO.get("rag_definitions", {})}
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    for kind, label in rules.RAG_KINDS.items():
        assert rows[label] == [definitions[kind][r] for r in ("red", "amber", "green")]


def test_exception_docx_has_the_reds_only(demo):
    want = expected(PERIOD, "exception")
    doc = opened(report(demo, PERIOD, "exception"))
    assert headings(doc, "Heading 1") == [f"Exception report: {demo.title}"]
    sections = headings(doc, "Heading 2")
    assert f"Red actions ({len(want['reds'])})" in sections
    assert not any(s.startswith("Amber actions") for s in sections)
    reds = table_after(doc, "Red actions")
    assert [c.split("\n")[0] for c in first_column(reds)] == [
        f"{r}: {want['we_will'][r]}" for r in want["reds"]
    ]
    decisions = table_after(doc, "Decisions needed")
    assert [(r.cells[0].text, r.cells[1].text) for r in decisions.rows[1:]] == want["decisions"]


def test_exception_report_when_the_red_has_recovered(demo):
    # 2024-25 Q1: HP2.4 moved from red to amber, so nothing is red but the move out of red shows,
    # and milestones due before 30 June 2024 and not done are overdue (none of a red action).
    period = "2024-25 Q1"
    want = expected(period, "exception")
    assert want["reds"] == [] and want["changes"]  # the demo file's figures, checked by eye
    content = report(demo, period, "exception")
    assert [c["ref"] for c in content["changes"]] == want["changes"]
    assert content["overdue"] == [] and want["overdue"] == []
    doc = opened(content)
    assert "Red actions (0)" in headings(doc, "Heading 2")
    changes = table_after(doc, "What changed since")
    assert [r.cells[1].text for r in changes.rows[1:]] == ["▲ Red"] * len(want["changes"])

    highlight = report(demo, period, "highlight")
    all_overdue = expected(period)["overdue"]
    assert [(o["action_ref"], o["by"]) for o in highlight["overdue"]] == all_overdue
    table = table_after(opened(highlight), "Overdue milestones")
    assert [(r.cells[0].text, r.cells[1].text) for r in table.rows[1:]] == all_overdue


def test_a_report_for_one_governance_body(demo):
    content = report(demo, PERIOD, "highlight", BODY_KEY)
    assert content["body"] is not None
    doc = opened(content)
    assert f"Governance body: {content['body']['name']}" in [p.text for p in doc.paragraphs]
    # Every demo action reports to this body, so the body's report is the whole plan's.
    assert [r["ref"] for r in content["reds"]] == expected(PERIOD)["reds"]


def test_an_unknown_body_or_period_is_refused(demo):
    from placeplan.core.errors import InputError

    with pytest.raises(InputError) as body:
        report(demo, PERIOD, "highlight", "no-such-body")
    assert body.value.field == "body"
    with pytest.raises(InputError) as period:
        report(demo, "2023 Q9", "highlight")
    assert period.value.field == "period"


def test_a_plan_with_no_ratings_yet(sessions, world):
    from placeplan.plans import service as plans
    from placeplan.store.uow import unit_of_work
    from tests.factories import LEICESTERSHIRE

    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s,
            operator(),
            "strategy_delivery_plan",
            "Empty plan",
            "2025-26",
            area_code=LEICESTERSHIRE,
        )
        plan_id = plan.id
    with sessions() as s:
        content = report_data.report_content(s, operator(), plan_id, None, None, "exception")
    doc = opened(content)
    assert "No action has been rated yet, so there is nothing to report." in [
        p.text for p in doc.paragraphs
    ]
    assert headings(doc, "Heading 2") == ["What the RAG ratings mean"]


@pytest.mark.skipif(report_pdf.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_the_docx_opens_in_libreoffice_and_becomes_a_pdf(demo):
    pdf = report_pdf.docx_to_pdf(report_docx.report_docx(report(demo, PERIOD, "highlight")))
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5000  # a page of text and tables, not an empty document


def test_cli_writes_the_highlight_report_as_docx(demo, tmp_path, monkeypatch):
    from placeplan.delivery.cli import delivery as group

    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", str(demo.engine.url))
    out = tmp_path / "highlight.docx"
    result = CliRunner().invoke(
        group,
        ["highlight", str(demo.plan_id), "--period", PERIOD, "--docx", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert headings(doc, "Heading 1") == [f"Highlight report: {demo.title}"]
    want = expected(PERIOD)
    assert f"Red actions ({len(want['reds'])})" in headings(doc, "Heading 2")
