"""A connector to the OHID Fingertips API: indicator metadata and data by area type.

Called directly over HTTPS with TLS verification, timeouts and a bounded number of retries
(REFERENCE.md: the fingertips-py client has none of these). Every answer carries its provenance:
the URL asked, when, and the SHA-256 of the body received, so stored figures can say where they
came from. Machines without network get a clear FingertipsUnavailable, never a hang.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from placeplan.core.errors import InputError

BASE_URL = "https://fingertips.phe.org.uk/api"
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
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class FingertipsUnavailable(Exception):
    """The API could not be reached or kept failing: nothing was fetched."""


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


class FingertipsClient:
    def __init__(
        self,
        base_url: str = BASE_URL,
        timeout: httpx.Timeout | None = None,
        retries: int = 2,
        transport: httpx.BaseTransport | None = None,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout or httpx.Timeout(30.0, connect=5.0),
            verify=True,
            transport=transport,
            headers={"User-Agent": "placeplan (+https://placeplan.invalid)"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> FingertipsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, path: str, params: dict[str, Any]) -> tuple[httpx.Response, Provenance]:
        attempt = 0
        while True:
            try:
                response = self._client.get(path, params=params)
            except httpx.TransportError as exc:
                if attempt >= self.retries or isinstance(exc, httpx.ConnectError):
                    raise FingertipsUnavailable(
                        f"cannot reach the OHID Fingertips API at {self.base_url} "
                        f"({type(exc).__name__}: {exc}); is this machine offline? Nothing was fetched."
                    ) from exc
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.retries:
                    break
            attempt += 1
            time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        if response.status_code != 200:
            raise FingertipsUnavailable(
                f"the OHID Fingertips API answered {response.status_code} for {response.url}; "
                "nothing was fetched"
            )
        provenance = Provenance(
            url=str(response.url),
            fetched_at=datetime.now(UTC),
            sha256=hashlib.sha256(response.content).hexdigest(),
        )
        return response, provenance

    def area_types(self) -> list[dict[str, Any]]:
        response, _ = self._get("/area_types", {})
        return list(response.json())

    def areas_by_area_type(self, area_type_id: int) -> list[dict[str, Any]]:
        response, _ = self._get("/areas/by_area_type", {"area_type_id": area_type_id})
        return list(response.json())

    def indicator_metadata(self, indicator_ids: Iterable[int]) -> list[IndicatorMetadata]:
        ids = ",".join(str(i) for i in indicator_ids)
        response, provenance = self._get(
            "/indicator_metadata/by_indicator_id", {"indicator_ids": ids}
        )
        return parse_indicator_metadata(response.json(), provenance)

    def data(
        self, indicator_ids: Sequence[int], child_area_type_id: int, parent_area_type_id: int
    ) -> FingertipsData:
        response, provenance = self._get(
            "/all_data/csv/by_indicator_id",
            {
                "indicator_ids": ",".join(str(i) for i in indicator_ids),
                "child_area_type_id": child_area_type_id,
                "parent_area_type_id": parent_area_type_id,
            },
        )
        return parse_all_data_csv(response.content.decode("utf-8-sig"), provenance)
