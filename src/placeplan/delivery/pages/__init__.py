"""The delivery HTML pages: the tracker and its update form, the highlight page and the public
view (tracker), editing actions and milestones (edit), the tracker workbook (workbook) and the
report files and pages (reports)."""

from fastapi import APIRouter

from placeplan.delivery.pages import edit, reports, tracker, workbook

router = APIRouter()
for _module in (tracker, edit, workbook, reports):
    router.include_router(_module.router)
