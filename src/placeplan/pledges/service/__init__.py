"""Operations on a plan's pledges and interventions, split by job: reading them (reads),
recording a measure's latest value (recording), its stored figure (stored), changing pledges and
measures (editing) and loading them from a document (documents). Every write is audited in the
caller's transaction; whoever may read a plan may read its pledges, and editors of the plan's area
or system may change them.

The public functions are re-exported here, so `from placeplan.pledges import service;
service.list_pledges(...)` works."""

from placeplan.pledges.service.documents import load_document
from placeplan.pledges.service.reads import (
    PLEDGE_KINDS,
    MeasureView,
    PledgeView,
    assess,
    can_record,
    find_measure,
    get_pledge,
    interventions_view,
    list_interventions,
    list_pledges,
)
from placeplan.pledges.service.recording import LATEST_FIELDS, record_latest

__all__ = [
    "LATEST_FIELDS",
    "PLEDGE_KINDS",
    "MeasureView",
    "PledgeView",
    "assess",
    "can_record",
    "find_measure",
    "get_pledge",
    "interventions_view",
    "list_interventions",
    "list_pledges",
    "load_document",
    "record_latest",
]
