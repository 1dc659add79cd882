from django import template

from ..models import ApplicationPage, ComplaintPage, WithheldInfoPage

register = template.Library()

_KEYS = {ApplicationPage: "application", ComplaintPage: "complaint", WithheldInfoPage: "withheld"}


@register.simple_tag
def citizen_pages(unit):
    """The unit's live citizen-service pages, by kind: {"application": page, …} (from the
    unit's workspaces, which its navigation has read already)."""
    if unit is None:
        return {}
    pages = (page.specific_deferred for page in unit.live_workspaces)
    return {_KEYS[type(page)]: page for page in pages if type(page) in _KEYS}
