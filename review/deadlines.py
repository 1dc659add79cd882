"""Art. 9 deadlines: an item is due 20 working days after the information was formed or
changed, counted on the official calendar (workdays). Shown to each user for the items of
their units, and sent as a daily reminder."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from workdays.calendar import WorkingCalendar

PUBLICATION_LIMIT_WORKING_DAYS = 20
WARN_WITHIN_WORKING_DAYS = 5


@dataclass
class Deadline:
    item: object
    due: datetime.date
    working_days_left: int  # negative: overdue by that many working days

    @property
    def overdue(self):
        return self.working_days_left < 0


def pending_items(queryset):
    """Items whose information is not yet public: never published, or changed since."""
    return queryset.filter(
        Q(first_published_at__isnull=True) | Q(live=True, has_unpublished_changes=True)
    )


def deadlines(items, today=None, within=WARN_WITHIN_WORKING_DAYS):
    """Deadlines of `items` that are overdue or due within `within` working days, soonest first."""
    today = today or timezone.localdate()
    items = list(items)
    if not items:
        return []
    calendar = WorkingCalendar.load(first=min(min(item.formed_date for item in items), today))
    result = []
    for item in items:
        due = calendar.add_working_days(item.formed_date, PUBLICATION_LIMIT_WORKING_DAYS)
        left = calendar.working_days_between(today, due)
        if left <= within:
            result.append(Deadline(item=item, due=due, working_days_left=left))
    return sorted(result, key=lambda deadline: deadline.due)


def items_for_user(user):
    """Disclosure items of the units the user works in or oversees."""
    from disclosure_pages.models import DisclosureItem

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["add", "change", "publish"]
    )
    return DisclosureItem.objects.filter(pk__in=editable.values("pk")).select_related("unit")


def deadlines_for_user(user, today=None):
    return deadlines(pending_items(items_for_user(user)), today=today)
