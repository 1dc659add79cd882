from django import template
from django.utils.html import format_html
from wagtail.models import Site

from unit_sites import structure

from ..conf import search_config

register = template.Library()


def scope_unit_for(page, request):
    """The unit a page belongs to when that unit is a section of the site (not the site's
    root): its search should stay within that unit."""
    config = search_config()
    if page is None or config.unit_model is None or not getattr(page, "path", None):
        return None
    site = Site.find_for_request(request) if request else None
    unit = structure.nearest(config.unit_model, page)
    if unit is None or (site is not None and unit.pk == site.root_page_id):
        return None
    return unit


@register.simple_tag(takes_context=True)
def search_scope_field(context):
    """A hidden `unit` field for the header search form on a unit's section."""
    config = search_config()
    request = context.get("request")
    if request is not None and request.GET.get(config.unit_field or "") and "query" in context:
        slug = request.GET.get(config.unit_field)  # already on the search page, scoped
    else:
        unit = scope_unit_for(context.get("page"), request)
        slug = unit.slug if unit else ""
    if not slug or not config.unit_field:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', config.unit_field, slug)
