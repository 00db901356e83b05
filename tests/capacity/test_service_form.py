"""A service, the settings and an interim option on forms: the scenario's mapping to the form's
fields and back, and the scenario's own refusals said against the form's fields."""

from __future__ import annotations

import copy

import pytest
import yaml

from placeplan.capacity.domain.form_fields import (
    code_from_name,
    cycle_words,
    number,
    percent_text,
    share,
    text,
)
from placeplan.capacity.domain.model_form import (
    interim_fields,
    interim_from_fields,
    interim_refusal,
    settings_fields,
    settings_from_fields,
    settings_refusal,
)
from placeplan.capacity.domain.scenario import parse_scenario
from placeplan.capacity.domain.service_form import refusal, service_fields, service_from_fields
from placeplan.core.errors import InputError
from tests.capacity.conftest import DEMO


def demo() -> dict:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def codes(data: dict) -> list[str]:
    return [s["id"] for s in data["services"]]


def names(data: dict) -> dict[str, str]:
    return {s["id"]: s.get("name") or s["id"] for s in data["services"]}


def through_the_forms(data: dict) -> dict:
    """The whole scenario through every form: the settings', each interim option's and each
    service's fields, and back."""
    out = settings_from_fields(settings_fields(data), data)
    out["interim"] = {
        code: interim_from_fields(interim_fields(code, raw), raw)
        for code, raw in data["interim"].items()
    }
    out["services"] = [
        service_from_fields(service_fields(raw), [c for c in codes(data) if c != raw["id"]], raw)
        for raw in data["services"]
    ]
    return out


def test_the_demo_scenario_goes_through_the_forms_and_back_unchanged():
    data = demo()
    back = through_the_forms(data)
    assert back == data
    assert list(back) == list(data)  # in the file's order too
    assert parse_scenario(back) == parse_scenario(data)


def test_the_forms_show_the_demo_in_plain_figures():
    data = demo()
    p1, p2 = (service_fields(s) for s in data["services"][:2])
    # P1 (demo file): growth 0.30, visit slots 720 a day at 2.5 visits a package, monthly demand
    assert p1["growth"] == "30" and p1["capacity_unit"] == "slots" and p1["capacity"] == "720"
    assert p1["visits_per_day"] == "2.5" and p1["arrivals_by"] == "month"
    assert [p1[f"arrivals_{i}"] for i in (1, 7, 9)] == ["12.4", "12.6", "13"]
    # P2: one demand figure 5.1, gamma stays mean 28 sd 14, 64 beds, 20 more in winter, 10% to P3
    assert (p2["arrivals_by"], p2["arrivals"], p2["los_distribution"]) == ("year", "5.1", "gamma")
    assert (p2["los_mean"], p2["los_sd"], p2["capacity"]) == ("28", "14", "64")
    assert p2["surge_months"] == "2025-12,2026-01,2026-02" and p2["surge_extra"] == "20"
    assert p2["onward-P3"] == "10" and p2["interim"] == "temporary_residential_place"
    assert cycle_words("2025-04")[0] == "April 2025" and cycle_words(None)[11] == "month 12"


def test_p2_capacity_by_month_from_the_form():
    data = demo()
    p2 = data["services"][1]
    fields = service_fields(p2)
    steps = [64, 64, 64, 75, 86, 97, 108, 119, 130, 141, 152, 152]  # the demo's notes' example
    fields |= {"capacity_by": "month"} | {f"capacity_{i + 1}": str(v) for i, v in enumerate(steps)}
    raw = service_from_fields(fields, ["P1", "P3", "STEPUP"], p2)
    assert raw["capacity"] == steps
    data["services"][1] = raw
    assert parse_scenario(data).service("P2").capacity == tuple(steps)


@pytest.mark.parametrize(
    ("typed", "read"),
    [("12", 12), ("12.0", 12.0), ("1,200", 1200), ("£180", 180), ("4.9", 4.9), ("ten", "ten")],
)
def test_a_field_reads_as_the_number_typed_or_stays_text(typed, read):
    assert number(typed) == read and type(number(typed)) is type(read)


@pytest.mark.parametrize("value", [0.07, 0.1, 0.3, 0.333, 1.5, -0.2, 0])
def test_shares_go_to_percentages_and_back_exactly(value):
    assert share(percent_text(value)) == value


def test_numbers_show_without_exponents():
    assert (text(0.00001), text(720.0), text(28), text(None)) == ("0.00001", "720", "28", "")


def refused(data: dict, index: int, change: dict) -> InputError:
    """The scenario's refusal of the demo with service `index`'s fields changed, as that
    service's form says it."""
    raw = data["services"][index]
    fields = service_fields(raw) | change
    others = [c for c in codes(data) if c != raw["id"]]
    data["services"][index] = service_from_fields(fields, others, raw)
    with pytest.raises(InputError) as caught:
        parse_scenario(data)
    return refusal(caught.value, index, fields, data.get("start"), names(data))


def test_a_bad_month_of_capacity_is_refused_at_its_input_naming_its_month():
    months = {"capacity_by": "month"} | {f"capacity_{i}": "64" for i in range(1, 13)}
    error = refused(demo(), 1, months | {"capacity_4": "-5"})
    # the schema's own words (capacity is a whole number of at least 0) at the fourth month
    assert error.field == "capacity_4"
    assert error.message == "Capacity in July 2025 must be at least 0, got -5"


def test_words_in_a_number_field_are_the_schema_s_refusal():
    error = refused(demo(), 1, {"cost_per_day": "lots"})
    assert error.field == "cost_per_day"
    assert error.message == "Cost a day must be a number, got 'lots'"


def test_a_share_is_refused_in_percentages():
    error = refused(demo(), 1, {"onward-P3": "150"})
    assert error.field == "onward-P3"
    # the schema's maximum share is 1: as the form types it, 100%
    assert error.message == (
        "The share going on to short-term residential and nursing care must be at most 100%, "
        "got 150%"
    )


def test_shares_adding_up_to_more_than_all_are_refused_at_the_first_route():
    error = refused(demo(), 1, {"onward-P3": "60", "onward-STEPUP": "50"})
    assert error.field == "onward-P1" and "add up to 110%, more than 100%" in error.message


def test_a_stay_without_its_spread_and_a_surge_without_places():
    assert refused(demo(), 1, {"los_sd": ""}).field == "los_sd"
    assert refused(demo(), 1, {"surge_extra": ""}).field == "surge_extra"
    assert refused(demo(), 1, {"los_distribution": "empirical", "los_days": "3, x"}).field == (
        "los_days"
    )


def test_a_routing_cycle_is_said_with_the_services_names():
    data = demo()
    data["services"][2]["onward"] = {"P2": 1.0}  # P3 sends everyone back to P2
    error = refused(data, 1, {"onward-P3": "100"})
    assert error.field == "onward-P1"
    assert "bedded discharge to assess" in error.message and " P3 " not in error.message


def test_step_up_with_an_interim_is_refused_at_when_full():
    error = refused(demo(), 3, {"interim": "temporary_residential_place"})
    assert error.field == "interim" and "step-up referrals wait at home" in error.message


def test_the_settings_form_refuses_at_its_fields():
    data = demo()
    fields = settings_fields(data) | {"days": "0"}
    with pytest.raises(InputError) as caught:
        parse_scenario(settings_from_fields(fields, data))
    error = settings_refusal(caught.value, fields, names(data))
    assert (error.field, error.message) == (
        "days",
        "The modelled period must be at least 1, got 0",
    )
    # a start moved so that P2's surge months (Dec 2025 - Feb 2026) fall outside the period
    fields = settings_fields(data) | {"start_year": "2030"}
    with pytest.raises(InputError) as caught:
        parse_scenario(settings_from_fields(fields, data))
    error = settings_refusal(caught.value, fields, names(data))
    assert error.field == "start_month" and error.message.startswith("Bedded discharge to assess")


def test_an_interim_option_s_time_to_arrange_longer_than_the_period_is_refused():
    data = demo()
    code = "temporary_residential_place"
    fields = interim_fields(code, data["interim"][code]) | {"arrange_mean": "400"}
    data["interim"][code] = interim_from_fields(fields, data["interim"][code])
    with pytest.raises(InputError) as caught:
        parse_scenario(data)
    error = interim_refusal(caught.value, code)
    assert error.field == "arrange_mean" and "longer than the modelled period" in error.message


def test_a_new_service_s_code_is_made_from_its_name():
    assert code_from_name("Community step-up beds", set()) == "Community-step-up-beds"
    assert code_from_name("2 hour response", {"s-2-hour-response"}) == "s-2-hour-response-2"


def test_a_copy_is_not_changed_by_the_forms():
    data = demo()
    before = copy.deepcopy(data)
    through_the_forms(data)
    assert data == before
