"""Identifier checks: ONS GSS codes of HWB areas and NHS ODS codes of organisations."""

from __future__ import annotations

import re

from placeplan.core.errors import InputError

# Only these GSS entity types are upper-tier councils with a Health and Wellbeing Board.
HWB_GSS_ENTITIES: dict[str, str] = {
    "E06": "unitary authority",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E10": "county",
}
_GSS = re.compile(r"^[EWSN]\d{8}$")

# ODS: ICBs and their sub-locations start with Q or are digit-led (e.g. 04V); NHS trusts start
# with R or T and have three characters; other bodies (practices, VCSE) have 3 to 6 characters.
_ODS_BY_KIND: dict[str, tuple[re.Pattern[str], str]] = {
    "icb": (re.compile(r"^Q[A-Z0-9]{2}$"), "an ICB code: Q and two letters or digits, e.g. QK1"),
    "ccg": (re.compile(r"^\d{2}[A-Z]$"), "a CCG code: two digits and a letter, e.g. 04V"),
    "nhs_trust": (re.compile(r"^[RT][A-Z0-9]{2}$"), "a trust code: R or T and two more, e.g. RWE"),
}
_ODS_ANY = re.compile(r"^[A-Z0-9]{3,6}$")


def hwb_area_kind(code: str, field: str = "gss_code") -> str:
    """Return the kind of upper-tier area a GSS code names, or refuse it."""
    if not _GSS.match(code):
        raise InputError(
            f"'{code}' is not a GSS code: expected a letter E, W, S or N and eight digits,"
            " e.g. E10000018",
            field=field,
        )
    kind = HWB_GSS_ENTITIES.get(code[:3])
    if kind is None:
        allowed = ", ".join(f"{k} ({v})" for k, v in HWB_GSS_ENTITIES.items())
        raise InputError(
            f"'{code}' is not the code of an English upper-tier council with a Health and"
            f" Wellbeing Board: its type {code[:3]} is not one of {allowed}",
            field=field,
        )
    return kind


def check_ods_code(code: str, organisation_kind: str, field: str = "ods_code") -> str:
    """Normalise an ODS code to upper case and check it fits the organisation's kind."""
    normal = code.strip().upper()
    rule = _ODS_BY_KIND.get(organisation_kind)
    if rule is not None:
        pattern, expected = rule
        if not pattern.match(normal):
            raise InputError(f"'{code}' is not {expected}", field=field)
    elif not _ODS_ANY.match(normal):
        raise InputError(
            f"'{code}' is not an ODS code: expected 3 to 6 letters or digits", field=field
        )
    return normal


# The kinds of plan placeplan holds; governance bodies say which kinds they may approve, so the list
# sits below both.
PLAN_KINDS: dict[str, str] = {
    "bcf_plan": "Better Care Fund plan",
    "strategy_delivery_plan": "Strategy delivery plan",
    "five_year_plan": "Five-year plan",
}
