from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from workdays.calendar import add_working_days

from .choices import ComplaintStatus, Status
from .models import Complaint, InformationRequest
from .permissions import handled_units

WARN_WITHIN_WORKING_DAYS = 5


class CitizenDeadlinesPanel(Component):
    """Dashboard: applications and complaints of the user's units that are overdue or due
    within 5 working days."""

    name = "citizen_deadlines"
    order = 95
    template_name = "citizen_services/admin/deadlines_panel.html"
    title = _("Applications and complaints due")

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        horizon = add_working_days(today, WARN_WITHIN_WORKING_DAYS)
        units = handled_units(self.user)
        running = [s for s in Status.open() if s != Status.AWAITING_CLARIFICATION]
        requests = (
            InformationRequest.objects.filter(
                unit__in=units, status__in=running, due_date__lte=horizon
            )
            .select_related("unit")
            .order_by("due_date")[:50]
        )
        complaints = (
            Complaint.objects.filter(
                unit__in=units, status=ComplaintStatus.OPEN, due_date__lte=horizon
            )
            .select_related("unit")
            .order_by("due_date")[:50]
        )
        return {
            "title": self.title,
            "today": today,
            "requests": requests,
            "complaints": complaints,
        }
