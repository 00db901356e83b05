"""The API's personal tokens: a token is its owner's alone."""

from __future__ import annotations

from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for


def test_revoking_someone_elses_token_is_not_found(client, sessions, world):
    with unit_of_work(sessions) as s:
        _, theirs = people.create_token(s, actor_for(s, "city-editor"), "theirs")
        mine, _ = people.create_token(s, actor_for(s, "county-editor"), "mine")
    headers = {"Authorization": f"Bearer {mine}"}
    assert client.delete(f"/api/v1/tokens/{theirs.id}", headers=headers).status_code == 404
