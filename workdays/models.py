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


class HolidayArrangement(models.Model):
    """The office's record that the State Council's holiday arrangement for a year is entered.

    Until a year has one (or the chinesecalendar package knows the year), deadlines in it are
    counted on the holidays fixed by law alone (`workdays.statutory`) and shown as provisional
    (暂定). The days themselves are `CalendarDay` entries."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(
        _("notice"),
        max_length=200,
        help_text=_(
            "The State Council General Office's notice that announced the arrangement, with its "
            "document number."
        ),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("official holiday arrangement")
        verbose_name_plural = _("official holiday arrangements")

    def __str__(self):
        return f"{self.year} {self.notice}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.year
            and not CalendarDay.objects.filter(
                date__year=self.year, kind=CalendarDay.Kind.HOLIDAY
            ).exists()
        ):
            raise ValidationError(
                {
                    "year": _(
                        "Enter the holidays and make-up working days of %(year)s in the "
                        "working-day calendar first, then record the arrangement."
                    )
                    % {"year": self.year}
                }
            )
