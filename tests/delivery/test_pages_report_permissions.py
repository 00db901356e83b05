"""Who may fetch the delivery reports: the highlight and exception reports (page, Word, PDF, CSV)
and the plan on a page are internal, like the tracker they come from. Signed-out visitors get none
of them, even for a published plan (its public view is the public's page), and nothing internal
leaks in the refusal. Everyone signed in may read them, as they may read the tracker."""

from __future__ import annotations

import pytest

from placeplan.io import docx_pdf as report_pdf
from tests.delivery.conftest import SECRETS, make_delivery_plan

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

USERS = [None, "county-viewer", "county-editor", "city-viewer", "city-editor", "icb-approver"]

PAGES = [
    "/plans/{plan}/delivery/highlight",
    "/plans/{plan}/delivery/highlight?reds_only=true",
    "/plans/{plan}/delivery/exception",
    "/plans/{plan}/delivery/exception?format=csv",
    "/plans/{plan}/delivery/exception?format=csv&table=decisions",
    "/plans/{plan}/delivery/on-a-page",
    "/plans/{plan}/delivery/on-a-page?format=csv",
]
FILES = [
    "/plans/{plan}/delivery/highlight.docx",
    "/plans/{plan}/delivery/highlight.docx?period=2025-26+Q1&body=county-hwb",
    "/plans/{plan}/delivery/exception.docx",
    "/plans/{plan}/delivery/on-a-page.docx",
]
PDFS = [
    "/plans/{plan}/delivery/highlight.pdf",
    "/plans/{plan}/delivery/exception.pdf",
    "/plans/{plan}/delivery/on-a-page.pdf",
]


@pytest.mark.parametrize("user", USERS)
def test_reports_of_a_draft_plan(browser, sessions, world, user):
    plan = make_delivery_plan(sessions)
    b = browser(user)
    for path in PAGES + FILES:
        answer = b.get(path.format(plan=plan.plan_id))
        if user is None or user.startswith("city-"):
            # a draft plan does not exist for the public, nor for an organisation with no part in it
            assert answer.status_code == 404, path
        else:
            assert answer.status_code == 200, (path, answer.text[:300])


def test_signed_out_visitors_get_no_report_of_a_published_plan(browser, sessions, world):
    plan = make_delivery_plan(sessions, publish=True)
    b = browser(None)
    assert b.get(f"/public/plans/{plan.plan_id}").status_code == 200  # the public's view
    for path in PAGES + FILES + PDFS:
        answer = b.get(path.format(plan=plan.plan_id))
        assert answer.status_code in (401, 403, 404), path
        assert not answer.headers.get("content-disposition"), path
        for secret in SECRETS.values():
            assert secret not in answer.text, (path, secret)
        for rating in ("Red", "Amber", "Green", "RAG"):
            assert rating not in answer.text, (path, rating)


def test_a_signed_in_reader_gets_the_internal_fields(browser, sessions, world):
    plan = make_delivery_plan(sessions, publish=True)
    b = browser("icb-viewer")  # another organisation with a part in the plan's area
    page = b.get(f"/plans/{plan.plan_id}/delivery/exception?period=2025-26+Q2").text
    # tests/delivery/conftest.py: HP2.1 is red in 2025-26 Q2 with these internal fields.
    for field in ("internal", "risks", "decision", "contact"):
        assert SECRETS[field] in page, field
    docx = b.get(f"/plans/{plan.plan_id}/delivery/exception.docx?period=2025-26+Q2")
    assert docx.status_code == 200
    assert docx.headers["content-disposition"].endswith('.docx"')


@pytest.mark.skipif(report_pdf.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdfs_for_a_signed_in_reader(browser, sessions, world):
    plan = make_delivery_plan(sessions)
    b = browser("county-viewer")
    for path in PDFS:
        answer = b.get(path.format(plan=plan.plan_id))
        assert answer.status_code == 200, (path, answer.text[:300])
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF-")


def test_bad_input_is_refused_with_the_field(browser, sessions, world):
    plan = make_delivery_plan(sessions)
    b = browser("county-viewer")
    for path in (
        "/plans/{plan}/delivery/highlight.docx?body=no-such-body",
        "/plans/{plan}/delivery/exception?period=2025+Q9",
        "/plans/{plan}/delivery/exception?format=csv&table=secrets",
        "/plans/{plan}/delivery/on-a-page.docx?period=someday",
    ):
        answer = b.get(path.format(plan=plan.plan_id))
        assert answer.status_code == 400, path
