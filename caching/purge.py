"""What a change makes stale, and purging it: one URL set for the application's page cache and
for the front-end cache (nginx, a CDN: wagtail.contrib.frontend_cache, WAGTAILFRONTENDCACHE).

A disclosure item is purged exactly: its page, its unit's catalogue (index and class columns,
and their feeds), its unit's home, the portal home when it is (or was) shown there, items that
name it as their successor, the sitemap of its site and the search of every site it is found
on. Any other page (a unit, a catalogue column, a service page) also changes the navigation,
header or footer of its whole site: the application cache forgets those sites entirely
(`sites_affected_by`), the front-end cache its URL set.

Purges run at once and again when the transaction commits (see `_schedule`); the commit purge
runs once per transaction whatever the number of signals.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection, transaction
from wagtail.models import Page, Site

from . import store
from .conf import page_cache_setting

logger = logging.getLogger(__name__)


def _ancestor_paths(page):
    return [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]


def sites_containing(page):
    """Every site the page is below (its own and those of its ancestors: the portal)."""
    return list(
        Site.objects.filter(root_page__path__in=_ancestor_paths(page))
        .select_related("root_page")
        .order_by("-root_page__depth")
    )


def _page_urls(pages):
    urls = set()
    for page in pages:
        url = page.get_full_url()
        if url:
            urls.add(url)
    return urls


def _portal_shows(item, portal):
    """Is (or was, before this change) the item on the portal home page?"""
    from disclosure_pages.portal import HOME_LENGTH, latest_items

    if item.on_portal:
        return True
    latest = list(latest_items(portal).values_list("pk", "publish_date"))
    if item.pk in {pk for pk, _date in latest}:
        return True
    if len(latest) < HOME_LENGTH:
        return True  # the list is short: anything unpublished or moved may have been on it
    # Just unpublished or moved away: it was on the list if it sorts before its last entry
    # (newest publication date first, then the newest id).
    oldest_pk, oldest_date = latest[-1]
    if oldest_date is None or (
        item.publish_date and (item.publish_date, item.pk) >= (oldest_date, oldest_pk)
    ):
        return True
    # A publication date moved back by this publication: an earlier revision had it newer
    # (on the same date as the last entry, a newer id sorts first).
    lookup = "content__publish_date__gte" if item.pk > oldest_pk else "content__publish_date__gt"
    dated = item.revisions.exclude(content__publish_date=None)  # SQLite compares 'null' as text
    if dated.filter(**{lookup: oldest_date.isoformat()}).exists():
        return True
    # A highlight flag cleared by this publication: an earlier revision had it.
    return item.revisions.filter(content__on_portal=True).exists()


def _place_urls(item):
    """What every item in the same catalogue column affects: (the unit's home and catalogue
    pages with their feeds, the portal page or None, the search and sitemap of its sites)."""
    from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage
    from unit_sites.models import UnitPage, unit_for_page

    urls, portal = set(), None
    unit = unit_for_page(item)
    if unit is not None:
        urls |= _page_urls([unit])
        for catalogue in CatalogueIndexPage.objects.child_of(unit):
            columns = list(CatalogueClassPage.objects.child_of(catalogue))
            for url in _page_urls([catalogue, *columns]):
                urls |= {url, f"{url}feed/"}
        portal = UnitPage.objects.ancestor_of(unit, inclusive=True).filter(depth=2).first()
    return urls | _site_urls(item), portal


def _site_urls(page):
    urls = set()
    sites = sites_containing(page)
    for site in sites:
        urls.add(f"{site.root_url}/search/")
    if sites:
        urls.add(f"{sites[0].root_url}/sitemap.xml")
    return urls


def _item_urls(item, memo=None):
    from disclosure_pages.models import DisclosureItem

    column_path = item.path[: -Page.steplen]
    if memo is None or column_path not in memo:
        place = _place_urls(item)
        if memo is not None:
            memo[column_path] = place
    else:
        place = memo[column_path]
    place_urls, portal = place
    urls = set(place_urls)
    if portal is not None:
        portal_urls = _page_urls([portal])
        already = memo is not None and memo.get(("portal", portal.pk))
        if already or _portal_shows(item, portal):
            urls |= portal_urls
            if memo is not None:
                memo[("portal", portal.pk)] = True
    # Items linking to it as their successor (a dead link once it goes).
    urls |= _page_urls(DisclosureItem.objects.live().filter(successor=item))
    return urls


def urls_affected_by(page, memo=None):
    """Absolute URLs of every cached page showing something of `page` (listing pages stand for
    all their query strings). `memo`: see `_batch_memo`."""
    from disclosure_pages.models import DisclosureItem

    page = page.specific_deferred if type(page) is Page else page
    urls = _page_urls([page])
    if isinstance(page, DisclosureItem):
        return urls | _item_urls(page, memo)
    parent = page.get_parent()
    if parent is not None and parent.depth > 1:
        urls |= _page_urls([parent])
    return urls | _site_urls(page)


def sites_affected_by(page):
    """Sites the application cache forgets entirely: none for an item (purged exactly), the
    sites containing any other page (their navigation or header may show it)."""
    from disclosure_pages.models import DisclosureItem

    if isinstance(page, DisclosureItem):
        return set()
    return {site.pk for site in sites_containing(page)}


# --- purging, once per transaction ----------------------------------------------------------

_pending = threading.local()


def _state():
    if not hasattr(_pending, "urls"):
        _pending.urls, _pending.sites, _pending.everything = set(), set(), False
        _pending.memo, _pending.memo_started = {}, 0.0
    return _pending


def _enabled():
    return page_cache_setting("ENABLED") or bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


MEMO_SECONDS = 5


def _batch_memo(page):
    """An import publishes hundreds of items of a few catalogue columns in one transaction:
    what a column implies (its unit's pages, the portal) is computed once per batch. Only
    inside a transaction, for items, forgotten at commit, after MEMO_SECONDS (a rolled-back
    batch never commits) and on any change that is not an item's (columns may have moved)."""
    from disclosure_pages.models import DisclosureItem

    state = _state()
    now = time.monotonic()
    if not isinstance(page, DisclosureItem) or now - state.memo_started > MEMO_SECONDS:
        state.memo, state.memo_started = {}, now
    if not connection.in_atomic_block or not isinstance(page, DisclosureItem):
        return None
    return state.memo


def schedule_page(page):
    """Purge what `page` affects (computed now, while it is where it is)."""
    if not _enabled():
        return
    try:
        urls = urls_affected_by(page, memo=_batch_memo(page))
        sites = sites_affected_by(page)
    except Exception:  # never break a publication; forget everything instead
        logger.exception("Could not compute the pages affected by %s", page.pk)
        schedule_everything()
        return
    _schedule(urls, sites, everything=False)


def schedule_everything():
    if not _enabled():
        return
    _schedule(set(), set(), everything=True)


def _schedule(urls, sites, *, everything):
    """Purge the application cache now, and both caches again when the transaction commits: a
    request rendering in between may have read the database as it was and stored its page
    under the new generation; the second purge makes that entry unreachable. (Now alone would
    leave that window open; at commit alone would show this process's own change late, and
    nothing at all inside a test's transaction.)"""
    _purge_app_cache(urls, sites, everything)
    state = _state()
    state.urls |= urls
    state.sites |= sites
    state.everything = state.everything or everything
    # The first callback to run purges everything pending, later ones find nothing left. (A
    # rolled-back change leaves an extra purge for the next commit: harmless.)
    transaction.on_commit(flush)


def flush():
    state = _state()
    urls, sites, everything = state.urls, state.sites, state.everything
    _pending.__dict__.clear()
    if not (urls or sites or everything):
        return
    purge(urls, sites=sites, everything=everything)


def purge(urls, *, sites=(), everything=False):
    """Purge now: the application cache, then the front-end cache when one is configured."""
    _purge_app_cache(urls, sites, everything)
    if urls:
        purge_frontend_cache(urls)


def _purge_app_cache(urls, sites, everything):
    if everything:
        store.purge_everything()
    for site_id in sites:
        store.purge_site(site_id)
    if urls:
        store.purge_urls(urls)


def purge_frontend_cache(urls):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(sorted(urls))
    except Exception:  # a proxy that is down must not stop a publication
        logger.exception("Front-end cache purge failed")
