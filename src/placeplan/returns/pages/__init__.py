"""The returns concept's pages: actual spend and its ledger upload (spend), and the quarterly and
year-end returns (returns)."""

from fastapi import APIRouter

from placeplan.returns.pages import returns, spend

router = APIRouter()
for _module in (spend, returns):
    router.include_router(_module.router)
