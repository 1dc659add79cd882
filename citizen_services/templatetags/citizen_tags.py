from django import template

from ..models import ApplicationPage, ComplaintPage, WithheldInfoPage

register = template.Library()

_KEYS = {ApplicationPage: "application", ComplaintPage: "complaint", WithheldInfoPage: "withheld"}


@register.simple_tag
def citizen_pages(unit):
    """The unit's live citizen-service pages, by kind: {"application": page, …} (one query)."""
    if unit is None:
        return {}
    pages = unit.get_children().live().type(*_KEYS).specific(defer=True)
    return {_KEYS[type(page)]: page for page in pages}
