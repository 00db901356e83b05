"""HTML pages of a plan's money over its years: the financial models, their lines, settings and
scenarios (models), and the need-weighted allocations with their form and need index (allocations)."""

from fastapi import APIRouter

from placeplan.finance.pages import allocations, models

router = APIRouter(include_in_schema=False)
# Allocations first, so that /finance/allocations/... is never read as a model's page.
router.include_router(allocations.router)
router.include_router(models.router)
