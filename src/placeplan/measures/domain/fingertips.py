"""What the OHID Fingertips API answers, read into plain rows with their provenance (the URL
asked, when, and the SHA-256 of the body received), and Fingertips' periods rewritten as ours.
Pure: the HTTP connector is `placeplan.measures.service.fingertips`."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.core.errors import InputError

SOURCE = "OHID Fingertips API"
# Columns of all_data/csv the connector relies on (the API writes more; extra ones are ignored).
REQUIRED_COLUMNS = (
    "Indicator ID",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
    "Time period Sortable",
)
_PERIOD = re.compile(r"^(\d{4})/(\d{2})((?: Q[1-4])?)$")


@dataclass(frozen=True)
class Provenance:
    url: str
    fetched_at: datetime
    sha256: str
    source: str = SOURCE


@dataclass(frozen=True)
class IndicatorMetadata:
    indicator_id: int
    name: str
    definition: str | None
    unit: str | None
    provenance: Provenance


@dataclass(frozen=True)
class FingertipsRow:
    indicator_id: int
    area_code: str
    area_name: str
    area_type: str
    sex: str
    age: str
    category_type: str | None
    category: str | None
    period: str
    period_sortable: int | None
    value: Decimal | None
    lower_ci95: Decimal | None
    upper_ci95: Decimal | None
    count: Decimal | None
    denominator: Decimal | None
    value_note: str | None


@dataclass(frozen=True)
class FingertipsData:
    rows: tuple[FingertipsRow, ...]
    provenance: Provenance


def _number(text: str, url: str, row: int, field: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise InputError(f"'{text}' is not a number", file=url, row=row, field=field) from exc


def parse_all_data_csv(body: str, provenance: Provenance) -> FingertipsData:
    """Rows of an all_data/csv answer; a missing column or a bad number names row and field."""
    reader = csv.DictReader(io.StringIO(body))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"the Fingertips answer lacks the column(s) {', '.join(missing)}",
            file=provenance.url,
            row=1,
            field=missing[0],
        )
    rows = []
    for number, raw in enumerate(reader, start=2):
        indicator = _number(raw["Indicator ID"], provenance.url, number, "Indicator ID")
        sortable = _number(
            raw["Time period Sortable"], provenance.url, number, "Time period Sortable"
        )
        if indicator is None:
            raise InputError(
                "a row has no indicator id", file=provenance.url, row=number, field="Indicator ID"
            )
        rows.append(
            FingertipsRow(
                indicator_id=int(indicator),
                area_code=raw["Area Code"].strip(),
                area_name=raw["Area Name"].strip(),
                area_type=raw["Area Type"].strip(),
                sex=raw["Sex"].strip(),
                age=raw["Age"].strip(),
                category_type=raw["Category Type"].strip() or None,
                category=raw["Category"].strip() or None,
                period=raw["Time period"].strip(),
                period_sortable=int(sortable) if sortable is not None else None,
                value=_number(raw["Value"], provenance.url, number, "Value"),
                lower_ci95=_number(
                    raw["Lower CI 95.0 limit"], provenance.url, number, "Lower CI 95.0 limit"
                ),
                upper_ci95=_number(
                    raw["Upper CI 95.0 limit"], provenance.url, number, "Upper CI 95.0 limit"
                ),
                count=_number(raw["Count"], provenance.url, number, "Count"),
                denominator=_number(raw["Denominator"], provenance.url, number, "Denominator"),
                value_note=raw["Value note"].strip() or None,
            )
        )
    return FingertipsData(tuple(rows), provenance)


def parse_indicator_metadata(answer: Any, provenance: Provenance) -> list[IndicatorMetadata]:
    """indicator_metadata/by_indicator_id answers a mapping of indicator id to its metadata."""
    if not isinstance(answer, dict):
        raise InputError(
            "indicator metadata should be a JSON object keyed by indicator id", file=provenance.url
        )
    found = []
    for key, item in answer.items():
        descriptive = (item or {}).get("Descriptive") or {}
        if not descriptive.get("Name"):
            raise InputError(
                f"indicator {key} has no name", file=provenance.url, field="Descriptive.Name"
            )
        found.append(
            IndicatorMetadata(
                indicator_id=int(item.get("IID", key)),
                name=str(descriptive["Name"]),
                definition=descriptive.get("Definition"),
                unit=((item.get("Unit") or {}).get("Label")),
                provenance=provenance,
            )
        )
    return sorted(found, key=lambda m: m.indicator_id)


def our_period(text: str, row: int, file: str) -> str:
    """Fingertips' "2021/22" as our "2021-22" (and "2021/22 Q1" as "2021-22 Q1")."""
    match = _PERIOD.match(" ".join(text.split()))
    if not match:
        raise InputError(
            f"Fingertips period '{text}' is not a financial year (2021/22) or quarter"
            " (2021/22 Q1), the periods placeplan stores",
            file=file,
            row=row,
            field="Time period",
        )
    return f"{match[1]}-{match[2]}{match[3]}"
