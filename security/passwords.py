"""Password strength by estimation (zxcvbn, Dropbox's estimator) instead of hand rules.

Rules such as "three kinds of characters" pass `P@ssw0rd1234`, which every cracking list tries
early; zxcvbn estimates how many guesses an attacker needs (dictionaries, leet speak, keyboard
patterns, dates, repeats, the account's own names) and we require a score of at least
`min_score` (4 by default: more than 10^10 guesses, which survives an offline attack on a
stolen slow hash; 3 still lets `Admin@123456` through). Words of the platform itself
(PLATFORM_WORDS, plus GONGKAI_PASSWORD_WORDS) count as known to the attacker. Django's own validators (length, common passwords, all
digits, similarity) still run beside it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

PLATFORM_WORDS = ["gongkai", "zhengwu", "zhengfu", "xinxi", "wagtail", "admin"]

# zxcvbn's cost grows with the length; nothing past this adds strength worth estimating.
MAX_ESTIMATED_LENGTH = 100


def user_inputs(user):
    """What an attacker who knows the platform and the account would try first."""
    values = [*PLATFORM_WORDS, *getattr(settings, "GONGKAI_PASSWORD_WORDS", [])]
    if user is None:
        return values
    for name in ("username", "first_name", "last_name", "email"):
        value = getattr(user, name, "") or ""
        values.append(value)
        if name == "email" and "@" in value:
            values.append(value.split("@", 1)[0])
    return [value for value in values if value]


class StrengthValidator:
    """Refuse passwords zxcvbn scores below `min_score` (0–4)."""

    def __init__(self, min_score=4):
        self.min_score = min_score

    def validate(self, password, user=None):
        result = zxcvbn(password[:MAX_ESTIMATED_LENGTH], user_inputs=user_inputs(user))
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it follows a well-known pattern "
                    "(a common word with digits or symbols swapped in, a keyboard row, a date, "
                    "a repeat, or your own name). Use several unrelated words or a random "
                    "string."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self):
        return _(
            "Your password must be hard to guess: avoid common words with digits or symbols "
            "swapped in, keyboard rows, dates and your own name."
        )
