"""The whole API under schemathesis (issue 15, part 9): every operation of /api/v1/openapi.json,
called with generated requests and a signed-in editor's token, must never answer 500 and every
answer must be one its operation's documented responses describe (status, content type, body).
Bounded to a few examples per operation so the file runs in about two minutes."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for

# What the issue asks: no 500, and every answer one its operation documents (its status, content
# type and body). A well-formed request the service refuses on its meaning (a 400 naming the
# field: a kind of plan that does not exist) is not a failure here.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
EXAMPLES = 8  # per operation: 71 operations, about a minute on one idle core


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@schemathesis.serializer(XLSX)
def _as_bytes(ctx, value):  # type: ignore[no-untyped-def]
    """A workbook body as generated: bytes as they are (the readers must refuse them cleanly)."""
    return value if isinstance(value, bytes) else str(value).encode()


@pytest.fixture
def token(sessions, world) -> str:
    with unit_of_work(sessions) as s:
        made, _ = people.create_token(s, actor_for(s, "county-editor"), "fuzz")
    return made


def test_no_answer_is_a_500_or_undocumented(app, token):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    # a script asking for JSON: a refusal of a documented download then comes in the error shape
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60  # the whole API (71 operations today), not a corner of it
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; all reported
            said = sorted(set(re.findall(r"ST\d+ [^\n]+|\[\d{3}\][^\n]*", _told(exc))))
            failures.append(f"{operation.label}: {'; '.join(said) or _told(exc)[:300]}")
    assert not failures, "\n".join(failures)


def _told(exc: BaseException) -> str:
    parts = [str(exc)]
    for inner in getattr(exc, "exceptions", ()):
        parts.append(_told(inner))
    return "\n".join(parts)
