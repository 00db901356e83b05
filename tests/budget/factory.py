"""Small budgets for tests, built as the demo and the workbook build them."""

from __future__ import annotations

from typing import Any


def budget_mapping(shift_income_pence: int = 0) -> dict[str, Any]:
    """Two schemes, three lines: £150,000 NHS minimum (£100,000 to social care), £50,000 iBCF."""
    return {
        "year": "2025-26",
        "stated": [{"what": "total", "text": "£200,000"}, {"what": "share:acute", "text": "25%"}],
        "income": [
            {
                "source": "nhs_minimum",
                "contributor": "icb",
                "amount_pence": 150_000_00 + shift_income_pence,
            },
            {"source": "better_care_grant", "amount_pence": 50_000_00},
        ],
        "schemes": [
            {
                "id": "S1",
                "name": "Home first",
                "scheme_type": "home_based_intermediate_care",
                "category": "intermediate_care_and_discharge",
                "metrics": ["discharge_delay"],
                "lines": [
                    {
                        "id": "S1-1",
                        "funding_source": "nhs_minimum",
                        "amount_pence": 100_000_00,
                        "new_pence": 10_000_00,
                        "sub_type": "reablement_step_down",
                        "area_of_spend": "social_care",
                        "commissioner": "la",
                        "provider": "local_authority",
                        "planned_outputs": 120,
                        "output_unit": "packages",
                    },
                    {
                        "id": "S1-2",
                        "funding_source": "better_care_grant",
                        "amount_pence": 50_000_00,
                        "sub_type": "reablement_step_down",
                        "area_of_spend": "social_care",
                        "commissioner": "la",
                        "provider": "local_authority",
                        "planned_outputs": 60,
                        "output_unit": "packages",
                    },
                ],
            },
            {
                "id": "S2",
                "name": "Acute discharge team",
                "scheme_type": "high_impact_change_model",
                "category": "acute",
                "lines": [
                    {
                        "id": "S2-1",
                        "funding_source": "nhs_minimum",
                        "amount_pence": 50_000_00,
                        "sub_type": "multidisciplinary_discharge_teams",
                        "area_of_spend": "acute",
                        "commissioner": "joint",
                        "nhs_share": 50,
                        "provider": "nhs_acute",
                    },
                ],
            },
        ],
    }


def edited_workbook(content: bytes, amounts: dict[str, int]) -> bytes:
    """The planning workbook `content` with the Expenditure (£) cell of each named line set to
    the given whole pounds: as a lead edits it in Excel."""
    import io

    from openpyxl import load_workbook

    from placeplan.budget.io import layout

    book = load_workbook(io.BytesIO(content))
    sheet = book[layout.EXPENDITURE]
    headers = {cell.value: cell.column for cell in sheet[layout.HEADER_ROW]}
    id_column, amount_column = headers["Line ID"], headers["Expenditure (£)"]
    for row in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
        line_id = sheet.cell(row, id_column).value
        if line_id in amounts:
            sheet.cell(row, amount_column).value = amounts[line_id]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
