"""The plan pages: a plan and its sign-off chain (records), and its versions, submission and
differences (versions)."""

from fastapi import APIRouter

from placeplan.plans.pages import records, versions

router = APIRouter()
for _module in (records, versions):
    router.include_router(_module.router)
