"""A reused highlight report follows every change to the tracker, whichever code path made it."""

from __future__ import annotations

from placeplan.core.actor import operator
from placeplan.delivery import service
from placeplan.delivery.models import DeliveryAction
from placeplan.store.uow import unit_of_work


def test_the_report_is_reused_until_the_tracker_changes(sessions, delivery):
    with sessions() as s:
        first = service.highlight(s, operator(), delivery.plan_id)
        again = service.highlight(s, operator(), delivery.plan_id)
        assert again["ambers"] is first["ambers"]  # reused, not recomputed
    action_id = next(iter(delivery.action_ids.values()))
    with unit_of_work(sessions) as s:
        # A plain ORM change, outside the service functions: the flush hook still renews the token.
        s.get(DeliveryAction, action_id).we_will = "Something else entirely"
    with sessions() as s:
        fresh = service.highlight(s, operator(), delivery.plan_id)
        assert fresh["ambers"] is not first["ambers"]
        texts = [
            item.get("we_will") for key in ("reds", "ambers", "changes") for item in fresh[key]
        ]
        old = [item.get("we_will") for key in ("reds", "ambers", "changes") for item in first[key]]
        assert "Something else entirely" in texts and "Something else entirely" not in old
