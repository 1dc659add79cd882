"""A system check that warns before deadlines start being counted on a guessed calendar.

Tagged `database` because it reads the calendar table: Django runs it in `migrate` and in
`check --database default`, not in every management command."""

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.database)
def check_calendar_is_known(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from .calendar import calendar_warnings

    try:
        messages = calendar_warnings()
    except DatabaseError:  # table not migrated yet: `migrate` runs checks before migrating
        return []
    return [checks.Warning(message, id="workdays.W001") for message in messages]
