import pytest

from placeplan.core.codes import check_ods_code, hwb_area_kind
from placeplan.core.errors import InputError
from placeplan.core.money import format_pence


@pytest.mark.parametrize(
    "code,kind",
    [
        ("E06000016", "unitary authority"),
        ("E10000018", "county"),
        ("E08000025", "metropolitan district"),
        ("E09000001", "London borough"),
    ],
)
def test_hwb_gss_codes(code, kind):
    assert hwb_area_kind(code) == kind


@pytest.mark.parametrize("code", ["E0600001", "X06000016", "e06000016x", "E07000129", "E12000004"])
def test_bad_or_unknown_gss_codes_are_refused(code):
    with pytest.raises(InputError) as caught:
        hwb_area_kind(code)
    assert caught.value.field == "gss_code"


def test_ods_codes_by_kind():
    assert check_ods_code("qk1", "icb") == "QK1"
    assert check_ods_code("RWE", "nhs_trust") == "RWE"
    assert check_ods_code("04V", "ccg") == "04V"
    for code, kind in (("RWE", "icb"), ("QK1", "nhs_trust"), ("X", "vcse"), ("TOOLONG1", "other")):
        with pytest.raises(InputError) as caught:
            check_ods_code(code, kind)
        assert caught.value.field == "ods_code"


def test_money_formats_pence_without_float_error():
    # £56m is 5.6 billion pence: past 32 bits, exact in Python ints.
    assert format_pence(5_600_000_000) == "£56,000,000.00"
    assert format_pence(-1) == "-£0.01"
    assert format_pence(10_000_000_050, whole_pounds=True) == "£100,000,000"
