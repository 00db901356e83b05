"""The measures' pages: figures (the catalogue, a metric's chart in an area and its breakdowns,
the board, a plan's metrics, commentary and uploads) and charts (what people record about a
chart: its recalculations, annotations and baseline, each added, changed and removed)."""

from fastapi import APIRouter

from placeplan.measures.pages import charts, figures

router = APIRouter(include_in_schema=False)
router.include_router(charts.router)
router.include_router(figures.router)
