from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from citizen_services.permissions import handled_units

from .deadlines import unpublished_reports


class AnnualReportDeadlinesPanel(Component):
    """Dashboard: last year's annual reports of the user's units not yet published."""

    name = "annual_report_deadlines"
    order = 96
    template_name = "annual_reports/admin/deadlines_panel.html"
    title = _("Annual reports not yet published")

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {
            "title": self.title,
            "today": today,
            "entries": unpublished_reports(handled_units(self.user), today=today),
        }
