"""Assurance's pages: records (the dashboard and each plan's assurance) and comparisons (league
tables and funnel plots across areas)."""

from __future__ import annotations

from fastapi import APIRouter

from placeplan.assurance.pages import batch, comparisons, records

router = APIRouter()
router.include_router(batch.router)
router.include_router(records.router)
router.include_router(comparisons.router)
