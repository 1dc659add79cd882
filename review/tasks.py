"""Background jobs of the review app (django-tasks: inline by default, queued in production)."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from disclosure_pages.models import DisclosureItem
from unit_sites.models import UnitPage, UnitRole

from .deadlines import deadlines, pending_items


def recipients_for(unit):
    """The unit's editors and reviewers, and the offices above it."""
    ancestors = UnitPage.objects.ancestor_of(unit, inclusive=True)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            groups__unit_role__unit=unit,
            groups__unit_role__role__in=[UnitRole.EDITOR, UnitRole.REVIEWER],
        )
        .union(
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__unit_role__unit__in=ancestors,
                groups__unit_role__role=UnitRole.OFFICE,
            )
            .exclude(email="")
        )
    )


@task()
def send_deadline_reminders(today=None):
    """Email each person the items of their units that are overdue or due within 5 working days."""
    today = today or timezone.localdate()
    items = pending_items(DisclosureItem.objects.select_related("unit"))
    per_user = defaultdict(list)
    by_unit = defaultdict(list)
    for deadline in deadlines(items, today=today):
        if deadline.item.unit_id:
            by_unit[deadline.item.unit].append(deadline)
    for unit, unit_deadlines in by_unit.items():
        for user in recipients_for(unit):
            per_user[user].extend(unit_deadlines)
    for user, user_deadlines in per_user.items():
        lines = [
            f"- {d.item.title}（{d.item.unit.display_name}）"
            + _("due %(due)s%(overdue)s")
            % {"due": d.due.isoformat(), "overdue": _(", overdue") if d.overdue else ""}
            for d in sorted(user_deadlines, key=lambda d: d.due)
        ]
        send_mail(
            _("Disclosure items due for publication"),
            _(
                "These items must be published within 20 working days of being formed or changed (Art. 9):"
            )
            + "\n"
            + "\n".join(lines)
            + f"\n\n{settings.WAGTAILADMIN_BASE_URL}/admin/",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    return len(per_user)
