from wagtail import hooks

from unit_sites.structure import may_be_restricted

from .conf import page_cache_setting
from .middleware import mark_cacheable


@hooks.register("before_serve_page")
def mark_public_page_cacheable(page, request, serve_args, serve_kwargs):
    """Only live pages reach this hook (drafts and previews never do). A page stays uncached
    when it or an ancestor is restricted (login, password, groups) or an alias, or when its
    type serves citizens' forms."""
    if not page_cache_setting("ENABLED"):
        return None
    if page._meta.label_lower in page_cache_setting("SKIP_PAGE_TYPES"):
        return None
    if may_be_restricted(page):
        return None
    mark_cacheable(request)
    return None
