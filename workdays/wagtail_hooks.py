from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .calendar import calendar_warnings
from .models import CalendarDay, HolidayArrangement


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("Working-day calendar")
    menu_name = "working-day-calendar"
    add_to_settings_menu = True
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None  # a small table: filter in the database, no search index
    ordering = ["-date"]


register_snippet(CalendarDayViewSet)


class HolidayArrangementViewSet(SnippetViewSet):
    """Where the office records that a year's arrangement is entered: from then on deadlines
    in that year are no longer provisional (暂定)."""

    model = HolidayArrangement
    icon = "date"
    menu_label = _("Official holiday arrangements")
    menu_name = "holiday-arrangements"
    add_to_settings_menu = True
    list_display = ["year", "notice", "published_on"]
    search_backend_name = None
    ordering = ["-year"]


register_snippet(HolidayArrangementViewSet)


class CalendarWarningPanel(Component):
    """Tells the people who keep the calendar, on their dashboard, that a year is missing."""

    order = 50

    def __init__(self, messages):
        self.messages = messages

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="help-block help-warning" aria-labelledby="workdays-warning">'
            '<h2 id="workdays-warning">{}</h2>{}</section>',
            _("Working-day calendar incomplete"),
            format_html_join("", "<p>{}</p>", ((message,) for message in self.messages)),
        )


@hooks.register("construct_homepage_panels")
def add_calendar_warning_panel(request, panels):
    if not request.user.has_perm("workdays.change_calendarday"):
        return
    messages = calendar_warnings()
    if messages:
        panels.insert(0, CalendarWarningPanel(messages))
