from django.core.cache import cache
from wagtail import hooks
from wagtail.models import PageViewRestriction

from . import store
from .conf import page_cache_setting
from .middleware import mark_cacheable


def restricted_paths():
    """Tree paths of every page with a view restriction, cached: checking each page would cost
    two queries per request. Saving a restriction purges everything, which changes the epoch
    (per-process caches) and is followed by a delete of this key (shared caches)."""
    key = f"{store.PREFIX}:restricted:{store.epoch()}"
    paths = cache.get(key)
    if paths is None:
        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, 300)
    return paths


def forget_restricted_paths():
    cache.delete(f"{store.PREFIX}:restricted:{store.epoch()}")


@hooks.register("before_serve_page")
def mark_public_page_cacheable(page, request, serve_args, serve_kwargs):
    """Only live pages reach this hook (drafts and previews never do). A page stays uncached
    when it or an ancestor is restricted (login, password, groups) or when its type serves
    citizens' forms."""
    if not page_cache_setting("ENABLED"):
        return None
    if page._meta.label_lower in page_cache_setting("SKIP_PAGE_TYPES"):
        return None
    if any(page.path.startswith(path) for path in restricted_paths()):
        return None
    mark_cacheable(request)
    return None
