"""Where cached pages live: Django's default cache (Redis in production), keyed so that a purge
never has to find or delete anything.

A page's entry is keyed by the request (site, path, query string) and carries three
generation tokens: one for the whole platform, one for the site, one for the path on that
site. A lookup reads the current tokens and the entry in one round trip and serves the entry
only when it carries those tokens. A purge replaces a token with a new random value, which
makes every entry built under the old one unusable at once (they are replaced or expire on
their own). Generations are read *before* the page is rendered and stored with it: a request
that rendered the old content while a publish committed stores it with an outdated
generation, and it is never served. So no page is served stale, whatever the timing.

With a per-process cache (local memory), a purge in one process cannot reach the others:
there, an epoch file under GONGKAI_VAR_DIR (its inode changes on every purge; reading it is one
stat(), no query) counts as a fourth generation, so any purge empties every process's page
cache.
"""

import hashlib
import uuid
from urllib.parse import unquote, urlsplit

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from unit_sites import structure
from unit_sites.structure import bump_file_epoch, file_epoch

from .conf import page_cache_setting

PREFIX = "pagecache"
GLOBAL_KEY = f"{PREFIX}:gen"


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def site_gen_key(site_id):
    return f"{PREFIX}:gen:s{site_id}"


def path_gen_key(site_id, path):
    return f"{PREFIX}:gen:p{site_id}:{_digest(path)}"


def _new_token():
    return uuid.uuid4().hex[:12]


# --- the process-wide epoch for caches that are not shared between processes -------------


def uses_epoch_file():
    setting = page_cache_setting("EPOCH_FILE")
    return isinstance(caches["default"], LocMemCache) if setting is None else setting


EPOCH_FILE = "page-cache.epoch"


def epoch():
    return file_epoch(EPOCH_FILE) if uses_epoch_file() else ""


def bump_epoch():
    if uses_epoch_file():
        bump_file_epoch(EPOCH_FILE)


# --- sites ----------------------------------------------------------------------------


def _build_site_map():
    from wagtail.models import Site

    sites = {}
    for site_id, hostname in Site.objects.order_by("-is_default_site", "port", "pk").values_list(
        "pk", "hostname"
    ):
        sites.setdefault(hostname.lower(), site_id)
    return sites


def site_map():
    """hostname → site id, for the hostnames of Wagtail's sites only.

    Kept with the platform's structure (unit_sites.structure), whose version every process
    checks: a site renamed, removed or turned into a section is forgotten at once in every
    process, with a per-process cache too (a map kept in that cache for minutes sent a retired
    hostname round in a redirect loop)."""
    return structure.remember("page-cache-sites", _build_site_map)


def site_id_for_host(host, sites=None):
    """The site whose hostname this is, or None. An unknown hostname is never taken for the
    default site, as Wagtail's own routing would: a retired subsite's hostname
    (unit_sites.FormerHostname) must reach its redirect, and a forged Host header must not
    fill or read the default site's cache."""
    sites = site_map() if sites is None else sites
    hostname = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
    return sites.get(hostname)


# --- generations ------------------------------------------------------------------------


def _generation_keys(site_id, path):
    return [GLOBAL_KEY, site_gen_key(site_id), path_gen_key(site_id, path)]


def generations(site_id, path, *, create):
    """The (global, site, path) tokens and the epoch; None when a token is missing and create
    is False."""
    keys = _generation_keys(site_id, path)
    found = cache.get_many(keys)
    if len(found) < len(keys):
        if not create:
            return None
        for key in keys:
            if key not in found:
                cache.add(key, _new_token(), None)
        found = cache.get_many(keys)
        if len(found) < len(keys):  # evicted at once: do not cache this response
            return None
    return (*(found[key] for key in keys), epoch())


def entry_key(site_id, path, query):
    return f"{PREFIX}:page:{_digest('|'.join([str(site_id), path, query]))}"


def lookup(site_id, path, query):
    """(generations, entry) in one round trip: the current generations (None when one is
    missing) and the page stored for this request when it was built under them (else None).
    An entry keeps the generations read before it was rendered: one rendered while a purge
    ran carries the old ones and is never served."""
    keys = _generation_keys(site_id, path)
    key = entry_key(site_id, path, query)
    found = cache.get_many([*keys, key])
    if any(name not in found for name in keys):
        return None, None
    gens = (*(found[name] for name in keys), epoch())
    entry = found.get(key)
    if entry is None or entry[0] != gens:
        return gens, None
    return gens, entry[1]


def keep(site_id, path, query, gens, page, timeout):
    """Keep a page built under `gens` (read before it was rendered)."""
    cache.set(entry_key(site_id, path, query), (gens, page), timeout)


def purge_site(site_id):
    cache.set(site_gen_key(site_id), _new_token(), None)
    bump_epoch()


def purge_everything():
    cache.set(GLOBAL_KEY, _new_token(), None)
    bump_epoch()


def purge_urls(urls):
    """Forget the cached pages at these absolute URLs (every query string of each path)."""
    sites = site_map()
    keys = {}
    for url in urls:
        parts = urlsplit(url)
        site_id = site_id_for_host(parts.netloc, sites)
        if site_id is not None:
            # Entries are keyed by the decoded request.path: /gkml/政策/, not /gkml/%E6%94%BF…/
            keys[path_gen_key(site_id, unquote(parts.path) or "/")] = _new_token()
    if keys:
        cache.set_many(keys, None)
    bump_epoch()
