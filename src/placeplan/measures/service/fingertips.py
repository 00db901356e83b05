"""A connector to the OHID Fingertips API: indicator metadata and data by area type.

Called directly over HTTPS with TLS verification, timeouts and a bounded number of retries
(REFERENCE.md: the fingertips-py client has none of these). Every answer carries its provenance:
the URL asked, when, and the SHA-256 of the body received, so stored figures can say where they
came from. Machines without network get a clear FingertipsUnavailable, never a hang. Reading the
answers is pure, in `placeplan.measures.domain.fingertips`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from placeplan.measures.domain.fingertips import (
    SOURCE,
    FingertipsData,
    FingertipsRow,
    IndicatorMetadata,
    Provenance,
    parse_all_data_csv,
    parse_indicator_metadata,
)

__all__ = [
    "BASE_URL",
    "SOURCE",
    "FingertipsClient",
    "FingertipsData",
    "FingertipsRow",
    "FingertipsUnavailable",
    "IndicatorMetadata",
    "Provenance",
    "parse_all_data_csv",
    "parse_indicator_metadata",
]

BASE_URL = "https://fingertips.phe.org.uk/api"
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class FingertipsUnavailable(Exception):
    """The API could not be reached or kept failing: nothing was fetched."""


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
