import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SEPARATORS = re.compile(r"[\s,，、;；/|]+")


class Synonym(models.Model):
    """A term citizens type and the words documents use for it (社保 → 社会保险).

    Applied when a query is read: a query word that is a term (or, both ways, one of its
    expansions) also finds documents with any of the others. Edited by the disclosure office."""

    term = models.CharField(_("term"), max_length=50, unique=True)
    expansions = models.CharField(
        _("expansions"),
        max_length=500,
        help_text=_("Words that mean the same, separated by commas or spaces."),
    )
    two_way = models.BooleanField(
        _("two-way"),
        default=True,
        help_text=_("Searching for an expansion also finds the term."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return f"{self.term} → {'、'.join(self.expansion_list)}"

    @property
    def expansion_list(self):
        seen = []
        for word in SEPARATORS.split(self.expansions or ""):
            if word and word != self.term and word not in seen:
                seen.append(word)
        return seen

    def clean(self):
        super().clean()
        self.term = (self.term or "").strip()
        if SEPARATORS.search(self.term):
            raise ValidationError({"term": _("A term is one word, without spaces or commas.")})
        if not self.expansion_list:
            raise ValidationError({"expansions": _("Give at least one other word.")})
        self.expansions = ", ".join(self.expansion_list)
