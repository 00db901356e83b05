"""Bad input is refused with the field named, before anything is computed or written."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from placeplan.finance.domain.document import from_document, to_document
from tests.finance.factory import small_document


def _refused(document: dict, period: tuple[int, int] | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        from_document(document, period)
    return caught.value


def test_a_rate_without_a_base_is_refused() -> None:
    document = small_document()
    del document["lines"][3]["entries"][0]["base"]
    error = _refused(document)
    assert error.field == "base"
    assert "10% efficiency in 2024-25 needs a base" in error.message


def test_a_year_outside_the_model_is_refused() -> None:
    document = small_document()
    document["lines"][0]["entries"].append({"year": "2026-27", "amount": 5})
    error = _refused(document)
    assert error.field == "year"
    assert "2024-25 to 2025-26 (it is 2026-27)" in error.message


def test_a_model_outside_the_plans_period_is_refused() -> None:
    error = _refused(small_document(), period=(2025, 2029))
    assert error.field == "first_year"


def test_a_recurrent_investment_needs_a_start_year() -> None:
    document = small_document()
    document["lines"].append(
        {
            "key": "hub",
            "kind": "investment",
            "name": "Elective hub",
            "stage": "do_nothing",
            "recurrent": True,
            "source": "hand",
            "entries": [{"year": "2025-26", "amount": 5}],
        }
    )
    error = _refused(document)
    assert (error.field, error.message) == (
        "start_year",
        "Elective hub is a recurrent investment: it needs a start year",
    )
    document["lines"][-1]["start_year"] = "2025-26"
    assert from_document(document).line("hub").start_year == 2025


def test_a_line_needs_a_source_and_one_figure_a_year() -> None:
    document = small_document()
    document["lines"][0]["source"] = ""
    assert _refused(document).field == "source"
    document = small_document()
    document["lines"][0]["entries"][1]["year"] = "2024-25"
    assert _refused(document).field == "year"


def test_a_document_reads_back_to_the_same_model() -> None:
    model = from_document(small_document())
    assert from_document(to_document(model)) == model
