"""The Fingertips connector against fixtures built from the API's documented response shapes
(tests/measures/fixtures/README.md): there is no network here, so a transport replays them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from placeplan.core.errors import InputError
from placeplan.measures.service.fingertips import (
    FingertipsClient,
    FingertipsUnavailable,
    Provenance,
    parse_all_data_csv,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"


def replay(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/indicator_metadata/by_indicator_id"):
        assert request.url.params["indicator_ids"] == "22401"
        return httpx.Response(
            200,
            content=(FIXTURES / "fingertips_metadata_22401.json").read_bytes(),
            headers={"content-type": "application/json"},
        )
    if path.endswith("/all_data/csv/by_indicator_id"):
        assert request.url.params["child_area_type_id"] == "502"
        return httpx.Response(
            200, content=(FIXTURES / "fingertips_all_data_22401.csv").read_bytes()
        )
    return httpx.Response(404)


def test_metadata_and_data_with_provenance():
    with FingertipsClient(transport=httpx.MockTransport(replay), backoff_seconds=0) as client:
        [meta] = client.indicator_metadata([22401])
        data = client.data([22401], child_area_type_id=502, parent_area_type_id=15)
    assert meta.indicator_id == 22401 and meta.unit == "per 100,000"
    assert meta.provenance.url.startswith("https://fingertips.phe.org.uk/api/indicator_metadata")
    assert len(meta.provenance.sha256) == 64
    assert len(data.rows) == 6
    leicester = [r for r in data.rows if r.area_code == "E06000016"]
    assert [(r.period, r.value, r.count, r.denominator) for r in leicester] == [
        ("2021/22", Decimal("1950.1"), Decimal(600), Decimal(30767)),
        ("2022/23", Decimal("2010.4"), Decimal(625), Decimal(31088)),
    ]
    suppressed = [r for r in data.rows if r.area_code == "E06000017" and r.period == "2022/23"][0]
    assert suppressed.value is None and suppressed.value_note == "*"


def test_offline_is_a_clear_error_not_a_hang():
    def no_network(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    with (
        FingertipsClient(transport=httpx.MockTransport(no_network)) as client,
        pytest.raises(FingertipsUnavailable, match="offline"),
    ):
        client.indicator_metadata([22401])


def test_busy_answers_are_retried_a_bounded_number_of_times():
    calls = []

    def busy_then_ok(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return replay(request) if len(calls) == 3 else httpx.Response(503)

    with FingertipsClient(transport=httpx.MockTransport(busy_then_ok), backoff_seconds=0) as client:
        assert client.indicator_metadata([22401])
    assert len(calls) == 3
    calls.clear()
    always_busy = httpx.MockTransport(lambda request: httpx.Response(503))
    with (
        FingertipsClient(transport=always_busy, retries=2, backoff_seconds=0) as client,
        pytest.raises(FingertipsUnavailable, match="503"),
    ):
        client.indicator_metadata([22401])


def test_tls_is_verified_and_timeouts_are_set():
    client = FingertipsClient()
    try:
        assert client.base_url.startswith("https://")
        assert client._client.timeout.connect == 5.0 and client._client.timeout.read == 30.0
    finally:
        client.close()


def test_a_changed_answer_names_the_missing_column_and_bad_number():
    provenance = Provenance(
        "https://example.invalid/all_data", __import__("datetime").datetime.now(), "0" * 64
    )
    with pytest.raises(InputError) as caught:
        parse_all_data_csv("Indicator ID,Area Code\n22401,E06000016\n", provenance)
    assert caught.value.row == 1 and caught.value.field == "Area Name"
    body = (FIXTURES / "fingertips_all_data_22401.csv").read_text(encoding="utf-8-sig")
    broken = body.replace("1950.1", "lots", 1)
    with pytest.raises(InputError) as caught:
        parse_all_data_csv(broken, provenance)
    assert (caught.value.row, caught.value.field) == (2, "Value")


def test_the_command_says_plainly_when_offline():
    import subprocess
    import sys

    # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "placeplan.cli_entry",
            "fingertips",
            "fetch",
            "--indicator",
            "22401",
            "--base-url",
            "http://127.0.0.1:9/api",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "offline" in result.stderr
