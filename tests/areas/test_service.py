"""Area service behaviour on both SQLite and PostgreSQL (the `engine` fixture runs each test twice)."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from tests.factories import LEICESTERSHIRE, build_world


def test_areas_refuse_duplicates_and_bad_codes(sessions):
    build_world(sessions)
    from placeplan.areas import service as areas
    from placeplan.core.actor import operator

    with sessions() as s:
        with pytest.raises(InputError) as caught:
            areas.create_area(s, operator(), LEICESTERSHIRE, "Again", "LLR")
        assert caught.value.field == "gss_code"
        with pytest.raises(InputError) as caught:
            areas.create_area(s, operator(), "E07000129", "Blaby", "LLR")  # a district: no HWB
        assert "upper-tier" in caught.value.message
