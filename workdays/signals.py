"""`calendar_changed`: sent when the working-day calendar changes, so that apps storing
deadlines (citizen_services) recompute them. This app imports none of them.

Sent with `since`: the earliest date whose status may have changed. A deadline before it
cannot have moved (counting runs forward and stops at the deadline)."""

import datetime

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import CalendarDay, HolidayArrangement

calendar_changed = Signal()


def _send(since):
    # In the same transaction as the change: the deadlines move with it or not at all.
    calendar_changed.send(sender=CalendarDay, since=since)


@receiver(pre_save, sender=CalendarDay)
def remember_previous_date(sender, instance, **kwargs):
    instance._previous_date = (
        CalendarDay.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_day_changed(sender, instance, **kwargs):
    previous = getattr(instance, "_previous_date", None)
    _send(min(filter(None, [instance.date, previous])))


@receiver(post_save, sender=HolidayArrangement)
@receiver(post_delete, sender=HolidayArrangement)
def arrangement_changed(sender, instance, **kwargs):
    # The days are unchanged, but what is provisional is not: stored copies (notices) follow.
    _send(datetime.date(instance.year, 1, 1))
