"""Validation of the 18-character unified social credit code (统一社会信用代码, GB 32100-2015)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: digits and capital letters without I, O, Z, S, V.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip()
    if len(code) != 18:
        raise ValidationError(
            _("The organisation code must be 18 characters long."), code="credit_code_length"
        )
    if any(char not in CREDIT_CODE_CHARSET for char in code):
        raise ValidationError(
            _(
                "The organisation code may only contain digits and capital letters "
                "other than I, O, Z, S and V."
            ),
            code="credit_code_charset",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The organisation code's check character is wrong; please check the code."),
            code="credit_code_checksum",
        )


def make_credit_code(first17: str) -> str:
    """Complete 17 characters into a valid credit code (for demo data and tests)."""
    return first17 + credit_code_check_char(first17)
