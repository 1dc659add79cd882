"""Password rules beyond Django's own validators (which already speak Chinese)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password):
    """Which of the four classes (lower case, upper case, digits, symbols) the password uses."""
    classes = set()
    for char in password:
        if char.isdigit():
            classes.add("digit")
        elif char.isalpha() and char.isupper():
            classes.add("upper")
        elif char.isalpha() and char.islower():
            classes.add("lower")
        elif not char.isalpha() and not unicodedata.category(char).startswith("Z"):
            classes.add("symbol")
        # Letters without case (Chinese characters) count as no class: they are easy to guess
        # from a name or a unit.
    return classes


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                ngettext(
                    "This password must use at least %(min)d kind of character: lower-case "
                    "letters, upper-case letters, digits, symbols.",
                    "This password must use at least %(min)d of these kinds of characters: "
                    "lower-case letters, upper-case letters, digits, symbols.",
                    self.min_classes,
                )
                % {"min": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Your password must use at least %(min)d of: lower-case letters, upper-case "
            "letters, digits, symbols."
        ) % {"min": self.min_classes}
