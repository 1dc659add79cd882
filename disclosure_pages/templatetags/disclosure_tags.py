from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """The full address of a link, for the printed page (where a link cannot be followed)."""
    request = context.get("request")
    if not url or request is None:
        return url or ""
    return request.build_absolute_uri(url)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
