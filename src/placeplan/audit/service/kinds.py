"""The kinds of record the audit history knows how to read: those of the concepts before it,
described here, and those of later concepts, which describe their own (`audit.domain.
describe_kind` in their present layer) and answer the hook `audit.record_kinds` through the
wiring, since the audit cannot import them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from placeplan.audit.domain import Kind, Registry, describe_kind
from placeplan.core.codes import PLAN_KINDS
from placeplan.core.hooks import Hook
from placeplan.core.principal import ROLES
from placeplan.organisations.models import ORGANISATION_KINDS

record_kinds: Hook[Callable[[], Iterable[Kind]]] = Hook(
    "audit.record_kinds",
    "how the records of the concepts after the audit read in its history (audit.domain.Kind)",
)

ROLE_WORDS = {role: text.split(":", 1)[0] for role, text in ROLES.items()}

EARLIER_KINDS: tuple[Kind, ...] = (
    describe_kind(
        "source",
        noun="source document",
        name="title",
        labels={"title": "Title"},
        # how the code and the files name a document, not words for its readers
        hidden={"key", "file"},
    ),
    describe_kind("region", noun="NHS region", labels={"code": "Code", "name": "Name"}),
    describe_kind(
        "system",
        noun="system",
        labels={"code": "Code", "name": "Name", "region_id": "NHS region"},
        refs={"region_id": "region"},
    ),
    describe_kind(
        "area",
        noun="area",
        labels={
            "name": "Name",
            "gss_code": "GSS code",
            "kind": "Kind",
            "system_id": "System",
            "registered_patients": "Registered patients",
            "patients_in_most_deprived_20pct": "Patients in the most deprived 20%",
            "patients_source": "Source of patient numbers",
        },
        refs={"system_id": "system"},
    ),
    describe_kind(
        "area_population",
        noun="population figure",
        name="{age_band}, {year}",
        within="area_id",
        labels={
            "area_id": "Area",
            "year": "Year",
            "age_band": "Age band",
            "population": "Population",
            "source": "Source",
        },
        refs={"area_id": "area"},
    ),
    describe_kind(
        "organisation",
        noun="organisation",
        labels={
            "name": "Name",
            "key": "Key",
            "kind": "Kind",
            "ods_code": "ODS code",
            "system_id": "System",
            "valid_from": "Valid from",
            "valid_to": "Valid to",
            "source": "Source",
        },
        refs={"system_id": "system"},
        choices={"kind": ORGANISATION_KINDS},
    ),
    describe_kind(
        "body",
        noun="governance body",
        labels={
            "name": "Name",
            "short_name": "Short name",
            "key": "Key",
            "area_id": "Area",
            "system_id": "System",
            "reports_to_id": "Reports to",
            "may_approve": "May approve",
            "valid_from": "Valid from",
            "valid_to": "Valid to",
            "note": "Note",
            "source": "Source",
        },
        refs={"area_id": "area", "system_id": "system", "reports_to_id": "body"},
        choices={"may_approve": PLAN_KINDS},
    ),
    describe_kind(
        "user",
        noun="user",
        name="display_name",
        labels={
            "display_name": "Name",
            "username": "Username",
            "organisation_id": "Organisation",
            "role": "Role",
            "active": "Active",
        },
        refs={"organisation_id": "organisation"},
        choices={"role": ROLE_WORDS},
    ),
    describe_kind(
        "api_token",
        noun="API token",
        within="user_id",
        labels={
            "name": "Name",
            "user_id": "Belongs to",
            "created_at": "Created",
            "revoked_at": "Revoked",
        },
        refs={"user_id": "user"},
        # the prefix is part of the secret; when it was last used is not a change anyone made
        hidden={"prefix", "last_used_at"},
        verbs={"revoke": "revoked"},
    ),
    describe_kind(
        "sign_in",
        noun="sign-in",
        name=lambda state, _names: f"as {state.get('username') or 'an unknown account'}",
        labels={"username": "Username", "address": "From address", "outcome": "Outcome"},
        verbs={
            "sign_in": "signed in",
            "sign_in_failed": "failed to sign in",
            "sign_in_locked": "locked signing in",
        },
    ),
)


def registry() -> Registry:
    """Every kind described: the earlier concepts' here, the later concepts' through the hook."""
    return Registry((*EARLIER_KINDS, *record_kinds.call()))
