"""Routing a public URL to its page from memory and at most two queries, whatever its depth.

Wagtail's `Page.route` walks the path one segment at a time, two queries per segment (the child
by slug, then its specific row): an item page four levels below the portal costs nine queries
before anything is rendered. A site root (every site's root is a UnitPage) instead takes the
whole chain of pages named by the path (and its own ancestors, for breadcrumbs) from the
structure pages kept in memory (unit_sites.structure: every page but the items) and, for an
item, from one indexed query on `url_path` (see migration 0003) and the specific row of the
page it lands on.

The result is the page Wagtail's walk would reach: a routable page on the way (a catalogue's
`feed/`) still answers its own sub-paths first, a page class with some other `route` of its own
gets the rest of the path as Wagtail would hand it over, and a path that names no page ends in
Wagtail's own 404.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from . import structure

# What the pages on the way are asked for (parents, breadcrumbs, routable checks); the page
# landed on is loaded whole. Fewer columns: a cheaper query to build and to read.
CHAIN_FIELDS = (
    "path",
    "depth",
    "numchild",
    "url_path",
    "slug",
    "title",
    "live",
    "content_type",
    "locale",
    "alias_of",
    "seo_title",
    "show_in_menus",
)


def _answers_itself(page, remaining):
    """Whether a routable page on the way claims the rest of the path as its own sub-path."""
    if not page.live:
        return False
    try:
        page.specific_class.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:  # Resolver404 too: not one of its routes
        return False
    return True


def _specific(page, parent, ancestors):
    """The page's specific instance, knowing its parent (as Wagtail's walk leaves it) and its
    ancestors (for breadcrumbs: `page_ancestors` in gongkai_tags). A structure page comes
    from memory (unit_sites.structure), an item from its own query."""
    model = page.specific_class
    specific = None
    if model is not None and getattr(model, "structure_page", True) and not page.alias_of_id:
        specific = structure.page_copy(model, page.pk)
    if specific is None:
        specific = page.specific
    specific._cached_parent_obj = parent
    specific._gongkai_ancestors = ancestors
    return specific


def _structure_pages():
    """Every page but the items (the structure pages that unit_sites.structure keeps), by
    url_path and by tree path: a route through units, catalogues and columns needs no query."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import get_page_models

    items = [model for model in get_page_models() if not getattr(model, "structure_page", True)]
    item_types = ContentType.objects.get_for_models(*items).values() if items else []
    pages = Page.objects.exclude(content_type__in=item_types).only(*CHAIN_FIELDS)
    kept = [(page.url_path, page.path, structure.snapshot(page)) for page in pages]
    return (
        {url_path: values for url_path, _path, values in kept},
        {path: values for _url_path, path, values in kept},
    )


def _chain(prefixes, above):
    """The pages named by the path's prefixes and the root's ancestors: from memory, and from
    one query for what memory does not hold (items, or names that match nothing)."""
    by_url_path, by_path = structure.remember("route-pages", _structure_pages)
    found = [structure.revive(by_url_path[prefix]) for prefix in prefixes if prefix in by_url_path]
    found += [structure.revive(by_path[path]) for path in above if path in by_path]
    missing_prefixes = [prefix for prefix in prefixes if prefix not in by_url_path]
    missing_above = [path for path in above if path not in by_path]
    if missing_prefixes or missing_above:
        found += Page.objects.filter(
            Q(url_path__in=missing_prefixes) | Q(path__in=missing_above)
        ).only(*CHAIN_FIELDS)
    return found


class PathRouteMixin:
    """For a site's root page: route a whole path from memory and at most one query on the
    pages' `url_path`."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{component}/" for component in path_components[:count])
            for count in range(1, len(path_components) + 1)
        ]
        above = [self.path[:end] for end in range(Page.steplen, len(self.path), Page.steplen)]
        chain, ancestors = {}, []
        for page in sorted(_chain(prefixes, above), key=lambda page: page.path):
            if page.path in above:
                ancestors.append(page)
            else:
                chain[page.url_path] = page
        ancestors.append(self)
        parent = self
        for position, prefix in enumerate(prefixes):
            page = chain.get(prefix)
            remaining = path_components[position + 1 :]
            if page is None or page.path[: -Page.steplen] != parent.path:
                # No page of that name (or a url_path out of step with the tree): Wagtail's
                # own walk from here, which ends in its 404 when there is nothing.
                return Page.route(parent.specific, request, path_components[position:])
            if not remaining:
                return _specific(page, parent, ancestors).route(request, [])
            route = page.specific_class.route
            if route is RoutablePageMixin.route:
                if _answers_itself(page, remaining):
                    return _specific(page, parent, ancestors).route(request, remaining)
            elif route is not Page.route and not issubclass(page.specific_class, PathRouteMixin):
                # A route of its own
                return _specific(page, parent, ancestors).route(request, remaining)
            page._cached_parent_obj = parent
            ancestors = [*ancestors, page]
            parent = page
        raise AssertionError("unreachable: the last prefix returns")
