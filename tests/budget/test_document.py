"""A budget document to plain data and back: what a plan's snapshot keeps is the document."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from placeplan.budget.domain.document import document_from_mapping, document_to_mapping
from placeplan.demo.loader import DATA, read_yaml
from tests.budget.factory import budget_mapping


@pytest.mark.parametrize("path", sorted(DATA.glob("budget_*.yaml")), ids=lambda p: p.stem)
def test_every_demo_budget_survives_the_round_trip_through_json(path):
    document = document_from_mapping(read_yaml(path), str(path))
    data = json.loads(json.dumps(document_to_mapping(document)))
    assert document_from_mapping(data) == document


def test_plain_values_dates_in_iso_form_numbers_as_text_money_in_pence():
    document = document_from_mapping(budget_mapping())
    line = replace(document.lines[2], nhs_share=Decimal("50.00"))
    document = replace(document, lines=(*document.lines[:2], line))
    data = document_to_mapping(document)
    s2_line = data["schemes"][1]["lines"][0]
    # canonical text: 50.00 as the database hands it back keeps as "50", as 50 does
    assert s2_line["amount_pence"] == 50_000_00 and s2_line["nhs_share"] == "50"
    assert data["schemes"][0]["lines"][0]["planned_outputs"] == "120"
    assert document_from_mapping(data) == document
