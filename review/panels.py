from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .deadlines import deadlines_for_user


class DeadlinesPanel(Component):
    """Dashboard: the user's items overdue or due within 5 working days (Art. 9)."""

    name = "deadlines"
    order = 90
    template_name = "review/deadlines_panel.html"
    title = _("Publication deadlines (Art. 9)")

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"deadlines": deadlines_for_user(self.user), "title": self.title}
