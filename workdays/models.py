from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day whose status the disclosure office sets by hand.

    Used for years the chinesecalendar package does not know yet (the State Council publishes
    the next year's holidays each November) and to correct the package. An entry always wins
    over the package; a day without an entry follows the package, or Monday to Friday for a
    year the package does not know."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working day (e.g. a make-up working day)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("type of day"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("For example “National Day” or “make-up working day for Spring Festival”."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()
