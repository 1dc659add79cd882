from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_unit(context):
    """The unit whose site is being browsed (the site's root page), for header and footer."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.simple_tag
def page_ancestors(page):
    """The page's ancestors, the tree's root first: those its routing loaded already
    (unit_sites.routing), else from the database."""
    known = getattr(page, "_gongkai_ancestors", None)
    return known if known is not None else page.get_ancestors()
