import pytest
from django.core.exceptions import ValidationError

from unit_sites.validators import credit_code_check_char, make_credit_code, validate_credit_code


def test_known_real_code_is_valid():
    validate_credit_code("91350100M000100Y43")  # a published example code


def test_check_char_matches_the_standard():
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y44", "credit_code_checksum"),
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100I43", "credit_code_charset"),  # I is not used in credit codes
        ("", "credit_code_length"),
    ],
)
def test_bad_codes_are_refused(code, error_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error_code


def test_make_credit_code_produces_valid_codes():
    for serial in range(50):
        validate_credit_code(make_credit_code(f"11230400{serial:08d}0"))
