from django import template
from django.utils.html import format_html
from wagtail.models import Site

from ..conf import search_config

register = template.Library()


def scope_unit_for(page, request, known_unit=None):
    """The unit a page belongs to when that unit is a section of the site (not the site's
    root): its search should stay within that unit. `known_unit` is the page's own unit when
    the caller has it already (pages put theirs in their context as `unit`)."""
    config = search_config()
    if page is None or config.unit_model is None or not getattr(page, "path", None):
        return None
    site = Site.find_for_request(request) if request else None
    if isinstance(page, config.unit_model):
        unit = page
    elif isinstance(known_unit, config.unit_model) and page.path.startswith(known_unit.path):
        unit = known_unit
    else:
        units = config.unit_model.objects.ancestor_of(page, inclusive=True).order_by("-depth")
        unit = units.only("pk", "slug", "title", "depth").first()
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
        unit = scope_unit_for(context.get("page"), request, context.get("unit"))
        slug = unit.slug if unit else ""
    if not slug or not config.unit_field:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', config.unit_field, slug)
