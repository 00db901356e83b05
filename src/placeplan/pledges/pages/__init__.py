"""HTML pages of a plan's pledges: reading them (reading) and changing them (editing)."""

from fastapi import APIRouter

from placeplan.pledges.pages import editing, reading

router = APIRouter(include_in_schema=False)
# Editing first, so that /pledges/new and /measures/new are not taken for a pledge or measure ref.
router.include_router(editing.router)
router.include_router(reading.router)
