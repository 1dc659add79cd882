"""The platform's structure as public requests read it, kept in each process.

Every public request asks the same few questions whose answers change only when the web team
edits the platform: which site answers this hostname, which site is a page's own, which pages
carry a view restriction, what the site's settings are, what the catalogue classes are called.
Asked of the database, that is five to eight queries per request. Here each answer is built
once per process and kept until the structure *version* changes.

The version is one token in Django's cache (shared by every process and server when the cache
is Redis) plus, when that cache is per process (local memory), an epoch file under
GONGKAI_VAR_DIR that every process can see (one stat(), its inode replaced on every bump). A change bumps it when it is saved and again when its
transaction commits, so a process that read the old state in between cannot keep it under the
new version. Each request checks the version once (StructureMiddleware); code running
outside a request checks it on every read. Inside a transaction, what is read is kept for that
transaction (and savepoint) alone: what it has not committed yet, and may roll back, is never
shared.

Apps register what they keep with `remember(name, build)` and bump the version from their own
signals with `bump()`; this module bumps it for sites, settings, view restrictions, aliases,
moves and deletions of pages, and site roots' slugs.
"""

import contextvars
import os
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

VERSION_KEY = "gongkai:structure"
EPOCH_FILE = "structure.epoch"

_memo = {}
_in_transaction = {"key": None, "values": {}}
_seen_version = None
# The request's database connection, set for the duration of a request whose version was
# checked at its start (asked once per read otherwise: a lookup through thread-locals).
_request_db = contextvars.ContextVar("gongkai_structure_request_db", default=None)


def file_epoch(name):
    """The epoch of a file under GONGKAI_VAR_DIR: changes whenever `bump_file_epoch` ran, in
    any process on this machine."""
    try:
        stat = os.stat(settings.VAR_DIR / name)
    except OSError:
        return "0"
    return f"{stat.st_ino}.{stat.st_mtime_ns}"


def bump_file_epoch(name):
    path = settings.VAR_DIR / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}")
        scratch.write_text(uuid.uuid4().hex)
        os.replace(scratch, path)  # a new inode: every process sees the change
    except OSError:  # a read-only var dir: this process still forgets
        pass


def _per_process_cache():
    return isinstance(caches["default"], LocMemCache)


def current_version():
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY, "")
    return f"{token}.{file_epoch(EPOCH_FILE)}" if _per_process_cache() else token


def check_version():
    """Forget everything kept when another process changed the structure."""
    global _seen_version
    version = current_version()
    if version != _seen_version:
        _memo.clear()
        _seen_version = version


def remember(name, build):
    """The value kept under `name`, built by `build()` when missing. Inside a transaction,
    kept for that transaction (and savepoint) only: what it has not committed yet, and may
    roll back, is never shared."""
    db = _request_db.get()
    if db is None:
        check_version()
        db = connections[DEFAULT_DB_ALIAS]
    memo = _memo if not db.in_atomic_block else _transaction_memo(db)
    try:
        return memo[name]
    except KeyError:
        pass
    value = memo[name] = build()
    return value


def _transaction_memo(db):
    key = (db.atomic_blocks[0], tuple(db.savepoint_ids))
    if _in_transaction["key"] != key:
        _in_transaction["key"], _in_transaction["values"] = key, {}
    return _in_transaction["values"]


def forget():
    _memo.clear()
    _in_transaction["key"] = None


def bump():
    """The structure changed: every process forgets what it keeps, now and at commit."""
    _bump_now()
    transaction.on_commit(_bump_now)


def _bump_now():
    forget()
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if _per_process_cache():
        bump_file_epoch(EPOCH_FILE)


class StructureMiddleware:
    """Check the structure version once at the start of each request, then find the request's
    site from memory (Wagtail's Site.find_for_request asks the database every time). After the
    page cache, whose hits need neither."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check_version()
        token = _request_db.set(connections[DEFAULT_DB_ALIAS])
        try:
            site_for_request(request)
            return self.get_response(request)
        finally:
            _request_db.reset(token)


# --- sites ---------------------------------------------------------------------------------

SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")
MAX_HOSTNAMES = 1000  # hostnames remembered per process (any Host header can be asked)


def _sites():
    """Every site with its root's place in the tree, from one query."""
    from wagtail.models import Site

    fields = (*SITE_FIELDS, "root_page__path", "root_page__content_type_id")
    return {row["id"]: row for row in Site.objects.values(*fields)}


def sites():
    return remember("sites", _sites)


class _RootOnDemand(dict):
    """A site's fields cache that gives its root page, specific, when first asked (a copy of
    the one kept in memory; the site itself came from memory too)."""

    def __init__(self, row):
        super().__init__()
        self._row = row

    def __missing__(self, key):
        if key != "root_page":
            raise KeyError(key)
        from django.contrib.contenttypes.models import ContentType

        model = ContentType.objects.get_for_id(self._row["root_page__content_type_id"])
        self[key] = page_copy(model.model_class(), self._row["root_page_id"])
        return self[key]


def site_from_row(row):
    """A Site instance of its own (requests may change it) without a query."""
    from wagtail.models import Site

    site = Site(**{field: row[field] for field in SITE_FIELDS})
    site._state.adding = False
    site._state.db = "default"
    site._state.fields_cache = _RootOnDemand(row)
    return site


def site_root_paths():
    """Wagtail's Site.get_site_root_paths(), from memory."""
    from wagtail.models import Site

    return remember("site-root-paths", Site.get_site_root_paths)


def _site_ids_by_host():
    return {}


def site_for_hostname(hostname, port):
    """Wagtail's choice of site for a hostname and port (wagtail.models.sites), remembered."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    chosen = remember("site-by-host", _site_ids_by_host)
    key = (hostname, port)
    if key not in chosen:
        try:
            site_id = get_site_for_hostname(hostname, port).pk
        except Site.DoesNotExist:
            site_id = None
        if len(chosen) >= MAX_HOSTNAMES:
            chosen.clear()
        chosen[key] = site_id
    row = sites().get(chosen[key])
    return site_from_row(row) if row else None


def site_for_request(request):
    """Site.find_for_request, answered from memory: sets what Wagtail keeps on the request."""
    from django.http.request import split_domain_port

    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = site_for_hostname(hostname, request.get_port())
    return request._wagtail_site


def canonical_site_for(page):
    """The site a page is published on: the one whose root is its nearest ancestor (the
    default site first among sites sharing a root)."""
    candidates = [row for row in sites().values() if page.path.startswith(row["root_page__path"])]
    if not candidates:
        return None
    row = max(candidates, key=lambda row: (len(row["root_page__path"]), row["is_default_site"]))
    return site_from_row(row)


# --- structure pages -----------------------------------------------------------------------
#
# Units, their catalogues and columns, citizen-service pages: the pages every public page
# names (navigation, breadcrumbs, contact blocks) and that change only when the web team
# publishes them. Saving any page but an item (a page class may declare `structure_page =
# False`) bumps the version (unit_sites.signals). `page_copy` and `page_copies` keep each
# page's field values and give every caller an instance of its own, free to change and save;
# a list only ever read (a catalogue's columns, the directory) may be kept as instances with
# `remember` and shared, which says so where it is built.


def snapshot(instance):
    """An instance's loaded field values (deferred fields stay deferred), to keep in memory."""
    fields = [f for f in instance._meta.concrete_fields if f.attname in instance.__dict__]
    return (
        type(instance),
        [field.attname for field in fields],
        [getattr(instance, field.attname) for field in fields],
    )


def revive(kept):
    """A fresh instance of a kept snapshot, the caller's own to change."""
    model, names, values = kept
    return model.from_db("default", names, list(values))


def page_copy(model, pk):
    """The page `pk` of `model` (its specific class), from memory; None when missing."""

    def load():
        page = model._default_manager.filter(pk=pk).first()
        return snapshot(page) if page is not None else None

    kept = remember(f"page:{model._meta.label_lower}:{pk}", load)
    return revive(kept) if kept is not None else None


def page_copies(name, queryset_factory):
    """The pages of a query (evaluated once, kept under `name`), as fresh instances."""
    kept = remember(name, lambda: [snapshot(page) for page in queryset_factory()])
    return [revive(values) for values in kept]


def unit_path_ids(model):
    """Tree path → pk of every page of `model` (the unit model), from memory."""
    return remember(
        f"paths:{model._meta.label_lower}", lambda: dict(model.objects.values_list("path", "pk"))
    )


def nearest(model, page):
    """The nearest page of `model` at or above `page` (its unit), from memory; None if none."""
    from wagtail.models import Page

    paths = unit_path_ids(model)
    for end in range(len(page.path), 0, -Page.steplen):
        pk = paths.get(page.path[:end])
        if pk is not None:
            return page_copy(model, pk)
    return None


# --- view restrictions ---------------------------------------------------------------------


def _restriction_paths():
    from wagtail.models import Page, PageViewRestriction

    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
    return tuple({*restricted, *aliases})


def _restricted_paths():
    from wagtail.models import PageViewRestriction

    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def public(queryset):
    """Wagtail's `queryset.public()` (no page at or below a restricted page), with the
    restricted pages read from memory instead of queried each time."""
    private = Q()
    for path in remember("restricted", _restricted_paths):
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def may_be_restricted(page):
    """Whether the page or an ancestor has a view restriction or is an alias (whose source's
    restrictions apply). False means Wagtail would find no restriction at all."""
    return any(page.path.startswith(path) for path in remember("restrictions", _restriction_paths))


class ViewRestrictionsMixin:
    """Wagtail asks every page it serves for its view restrictions (two queries: ancestors,
    restrictions). Nearly no public page has any: say so from memory."""

    def get_view_restrictions(self):
        if not may_be_restricted(self):
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
