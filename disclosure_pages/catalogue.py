"""The public catalogue listing: filters, sort, counts and pagination of a unit's items.

Used by the catalogue pages' `get_context` (and the feeds), so templates only render. Every
listing runs a constant number of queries however many items a unit has: counts are grouped
in the database (and cached per unit until its published items change), the page of items is
one query with its foreign keys joined in.
"""

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from unit_sites import structure

from .models import CatalogueClassPage, CatalogueNode, DisclosureItem, DisclosureTag, Validity
from .models.catalogue import catalogue_nodes

PAGE_SIZE = 20
TOP_TAGS = 30
FACETS_CACHE_SECONDS = 6 * 3600  # a safety net: publishing bumps the version at once

SORTS = {
    # value: (label, ordering)
    "date": (_("Newest first"), (F("publish_date").desc(nulls_last=True), "-pk")),
    "title": (_("Title"), ("title", "-pk")),
    "written": (_("Date written"), (F("written_date").desc(nulls_last=True), "-pk")),
}
DEFAULT_SORT = "date"


def public_items():
    """Live items outside any private section: what citizens may see."""
    return structure.public(DisclosureItem.objects.live())


def unit_items(unit):
    return public_items().filter(unit=unit)


@dataclass
class Filters:
    """The valid part of the GET parameters; anything unknown or malformed is dropped."""

    class_code: str = ""
    kind: str = ""
    year: int | None = None
    tag: str = ""
    validity: str = ""
    sort: str = DEFAULT_SORT
    ignored: list = field(default_factory=list)  # parameter names whose values were dropped

    @property
    def active(self):
        return bool(self.class_code or self.kind or self.year or self.tag or self.validity)


def parse_filters(params, *, class_codes, kind_codes):
    """Read filters from a QueryDict, keeping only values that can match something."""
    filters = Filters()

    def take(name, valid):
        value = params.get(name, "").strip()
        # NUL never matches and PostgreSQL refuses it in a query parameter.
        if value and "\x00" not in value and valid(value):
            return value
        if value:
            filters.ignored.append(name)
        return ""

    filters.class_code = take("class", lambda v: v in class_codes)
    filters.kind = take("kind", lambda v: v in kind_codes)
    year = take("year", lambda v: v.isdigit() and len(v) == 4)
    filters.year = int(year) if year else None
    filters.tag = take("tag", lambda v: len(v) <= 100)
    filters.validity = take("validity", lambda v: v in Validity.values)
    filters.sort = take("sort", lambda v: v in SORTS) or DEFAULT_SORT
    return filters


def apply_filters(items, filters):
    if filters.class_code:
        items = items.filter(catalogue_class__code=filters.class_code)
    if filters.kind:
        items = items.filter(key_kind__code=filters.kind)
    if filters.year:
        items = items.filter(publish_date__year=filters.year)
    if filters.tag:
        items = items.filter(tags__name=filters.tag)
    if filters.validity:
        items = items.filter(validity=filters.validity)
    return items


@dataclass
class ClassEntry:
    column: CatalogueClassPage
    count: int

    @property
    def not_applicable(self):
        return self.column.not_applicable


@dataclass
class KindEntry:
    node: CatalogueNode
    count: int


def _facets_version(unit_id):
    return cache.get_or_set(f"catalogue:version:{unit_id}", time.time_ns, None)


def forget_facets(unit_id):
    """Called when a unit's published items change (signals.py): its counts are rebuilt."""
    cache.set(f"catalogue:version:{unit_id}", time.time_ns(), None)


def _facets(unit, column, scope, all_items):
    """Counts by class and kind, years and top topics: grouped scans over all of a unit's
    items, so cached per unit and version (a publish, unpublish or move bumps the version)."""
    key = f"catalogue:facets:{unit.pk}:{column.pk if column else 0}:{_facets_version(unit.pk)}"

    def compute():
        return {
            "class_counts": dict(
                all_items.order_by().values_list("catalogue_class").annotate(n=Count("pk"))
            ),
            "kind_counts": dict(scope.order_by().values_list("key_kind").annotate(n=Count("pk"))),
            "years": [d.year for d in scope.dates("publish_date", "year", order="DESC")],
            "tags": list(
                DisclosureTag.objects.filter(content_object__in=scope.values("pk"))
                .values_list("tag__name", flat=True)
                .annotate(n=Count("pk"))
                .order_by("-n", "tag__name")[:TOP_TAGS]
            ),
        }

    return cache.get_or_set(key, compute, FACETS_CACHE_SECONDS)


class KnownCountPaginator(Paginator):
    """A paginator told the count it would otherwise COUNT(*) over every item."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count


def catalogue_listing(request, *, unit, catalogue, column=None):
    """Everything a catalogue page shows: class and kind navigation with counts, the filter
    options, and one page of matching items. `column` narrows it to one class page."""
    nodes = catalogue_nodes()
    columns = structure.page_copies(
        f"columns:{catalogue.pk}",
        lambda: structure.public(CatalogueClassPage.objects.child_of(catalogue).live()),
    )
    for page in [*columns, column] if column is not None else columns:
        if page.node_id in nodes:  # the taxonomy from memory, not one join or query per page
            CatalogueClassPage.node.field.set_cached_value(page, nodes[page.node_id])
    all_items = unit_items(unit)
    scope = all_items
    kinds = [node for node in nodes.values() if node.level == CatalogueNode.Level.KEY_KIND]
    if column is not None:
        scope = scope.filter(catalogue_class_id=column.node_id)
        kinds = [node for node in kinds if node.path.startswith(column.node.path)]
    kinds.sort(key=lambda node: (node.article8_item is None, node.article8_item or 0))
    facets = _facets(unit, column, scope, all_items)
    class_counts, kind_counts = facets["class_counts"], facets["kind_counts"]
    classes = [ClassEntry(c, class_counts.get(c.node_id, 0)) for c in columns]

    filters = parse_filters(
        request.GET,
        class_codes={c.node.code for c in columns} if column is None else set(),
        kind_codes={k.code for k in kinds},
    )
    # Only what catalogue_listing.html shows (a theme overriding it that reads other fields
    # costs a query per item); class names come from memory (catalogue_class_name).
    items = apply_filters(scope, filters).only(
        "title",
        "url_path",
        "index_number",
        "doc_number",
        "written_date",
        "publish_date",
        "validity",
        "catalogue_class_id",
    )
    items = items.order_by(*SORTS[filters.sort][1])
    known_count = None
    if not filters.active:
        known_count = class_counts.get(column.node_id, 0) if column else sum(class_counts.values())
    page = KnownCountPaginator(items, PAGE_SIZE, known_count=known_count).get_page(
        request.GET.get("page")
    )

    return {
        "classes": classes,
        "kinds": [KindEntry(k, kind_counts.get(k.pk, 0)) for k in kinds],
        "filters": filters,
        "items": page,
        "total": sum(class_counts.values()),
        "years": facets["years"],
        "tags": facets["tags"],
        "validities": Validity.choices,
        "sorts": [(value, label) for value, (label, _ordering) in SORTS.items()],
        "show_class_filter": column is None,
    }
