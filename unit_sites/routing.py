"""Routing a public URL to its page in two queries, whatever its depth.

Wagtail's `Page.route` walks the path one segment at a time, two queries per segment (the child
by slug, then its specific row): an item page four levels below the portal costs nine queries
before anything is rendered. A site root (every site's root is a UnitPage) instead loads the
whole chain of pages named by the path (and its own ancestors, for breadcrumbs) in one indexed
query on `url_path` (see migration 0003) and the specific row of the page it lands on.

The result is the page Wagtail's walk would reach: a routable page on the way (a catalogue's
`feed/`) still answers its own sub-paths first, a page class with some other `route` of its own
gets the rest of the path as Wagtail would hand it over, and a path that names no page ends in
Wagtail's own 404.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

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
    ancestors (for breadcrumbs: `page_ancestors` in gongkai_tags)."""
    specific = page.specific
    specific._cached_parent_obj = parent
    specific._gongkai_ancestors = ancestors
    return specific


class PathRouteMixin:
    """For a site's root page: route a whole path from one query on the pages' `url_path`."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{component}/" for component in path_components[:count])
            for count in range(1, len(path_components) + 1)
        ]
        above = [self.path[:end] for end in range(Page.steplen, len(self.path), Page.steplen)]
        found = Page.objects.filter(Q(url_path__in=prefixes) | Q(path__in=above)).only(
            *CHAIN_FIELDS
        )
        chain, ancestors = {}, []
        for page in sorted(found, key=lambda page: page.path):
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
