"""One sitemap per site, listing only the pages published on that site.

The tree nests (a subsite's pages are also below the portal's root), so Wagtail's sitemap of
the portal would also list every subsite's pages, with their subsite URLs. Search engines
ignore (or penalise) URLs of other hosts in a sitemap; each host lists its own pages instead.
"""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Site

from . import structure


class CanonicalSiteSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        root = site.root_page
        pages = structure.public(root.get_descendants(inclusive=True).live())
        # Subtrees of sites rooted below this one belong to those sites (see canonical_site_for).
        nested_roots = (
            Site.objects.filter(
                root_page__path__startswith=root.path, root_page__depth__gt=root.depth
            )
            .values_list("root_page__path", flat=True)
            .distinct()
        )
        for path in nested_roots:
            pages = pages.exclude(path__startswith=path)
        return pages.order_by("path").defer_streamfields().specific()
