from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..calendar import is_provisional, known_years

register = template.Library()


@register.simple_tag(takes_context=True)
def provisional_note(context, day):
    """“（暂定，以国务院公布的放假安排为准）” after a date counted on a year whose holiday
    arrangement is not announced yet; nothing otherwise. One query per rendered page."""
    if day is None:
        return ""
    cache = context.render_context
    if "workdays_known_years" not in cache:
        cache["workdays_known_years"] = known_years()
    if not is_provisional(day, cache["workdays_known_years"]):
        return ""
    return format_html(
        '<span class="provisional-date">（{}）</span>',
        _("provisional: subject to the holiday arrangement announced by the State Council"),
    )
