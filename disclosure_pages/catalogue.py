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
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from unit_sites import structure
from unit_sites.models import linker

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
    """A class column in the navigation and the class filter. `column` is its page, kept in
    memory and shared: read it, never change it."""

    column: CatalogueClassPage
    count: int
    url: str = ""
    current: bool = False  # the page shown, or the class filtered on

    @property
    def not_applicable(self):
        return self.column.not_applicable


@dataclass(slots=True)
class ListingItem:
    """One item as a listing shows it: its values, its link and labels, not a page instance
    (building twenty page instances and linking each cost more than the rest of the query).
    A theme that overrides catalogue_listing.html gets these fields."""

    FIELDS = (
        "pk",
        "title",
        "url_path",
        "index_number",
        "doc_number",
        "written_date",
        "publish_date",
        "validity",
        "catalogue_class_id",
    )

    pk: int
    title: str
    url: str
    index_number: str
    doc_number: str
    written_date: str  # ISO dates, "" when unknown
    publish_date: str
    validity: str
    validity_label: str  # shown when the item is no longer simply valid; "" when it is
    class_name: str

    @classmethod
    def rows(cls, values, url_for_path, nodes):
        labels = dict(Validity.choices)
        return [
            cls(
                pk=pk,
                title=title,
                url=url_for_path(url_path),
                index_number=index_number,
                doc_number=doc_number,
                written_date=written.isoformat() if written else "",
                publish_date=published.isoformat() if published else "",
                validity=validity,
                validity_label=""
                if validity == Validity.VALID
                else str(labels.get(validity, validity)),
                class_name=nodes[class_id].name if class_id in nodes else "",
            )
            for (
                pk,
                title,
                url_path,
                index_number,
                doc_number,
                written,
                published,
                validity,
                class_id,
            ) in values
        ]


@dataclass
class KindEntry:
    """A key kind (Art. 8) in the navigation (a link filtering on it) and the kind filter."""

    node: CatalogueNode
    count: int
    url: str = ""  # this page, filtered on the kind
    current: bool = False
    label: str = ""  # the name, shortened for the filter's options


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


def _columns(catalogue, nodes):
    """The catalogue's public class columns, kept in memory and shared by every request:
    only read (ClassEntry.column)."""
    columns = list(structure.public(CatalogueClassPage.objects.child_of(catalogue).live()))
    for page in columns:
        _attach_node(page, nodes)
    return columns


def _attach_node(page, nodes):
    if page.node_id in nodes:  # the taxonomy from memory, not one join or query per page
        CatalogueClassPage.node.field.set_cached_value(page, nodes[page.node_id])


def catalogue_listing(request, *, unit, catalogue, column=None):
    """Everything a catalogue page shows: class and kind navigation with counts, the filter
    options, and one page of matching items. `column` narrows it to one class page."""
    nodes = catalogue_nodes()
    columns = structure.remember(f"columns:{catalogue.pk}", lambda: _columns(catalogue, nodes))
    if column is not None:
        _attach_node(column, nodes)
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
    items = apply_filters(scope, filters).order_by(*SORTS[filters.sort][1])
    known_count = None
    if not filters.active:
        known_count = class_counts.get(column.node_id, 0) if column else sum(class_counts.values())
    page = KnownCountPaginator(
        items.values_list(*ListingItem.FIELDS), PAGE_SIZE, known_count=known_count
    ).get_page(request.GET.get("page"))
    url_for_path = linker(request)
    page.object_list = ListingItem.rows(page.object_list, url_for_path, nodes)

    for entry in classes:
        entry.url = url_for_path(entry.column.url_path)
        entry.current = entry.column.pk == getattr(column, "pk", None) or (
            entry.column.node.code == filters.class_code
        )
    # Each kind's link: this page's query with the kind set, back to the first page (what
    # {% querystring kind=… page=None %} gives, without copying the query once per kind).
    query = request.GET.copy()
    query.pop("page", None)
    labels = structure.remember("kind-labels", _kind_labels)
    kind_entries = []
    for kind in kinds:
        query["kind"] = kind.code
        kind_entries.append(
            KindEntry(
                kind,
                kind_counts.get(kind.pk, 0),
                url=f"?{query.urlencode()}",
                current=kind.code == filters.kind,
                label=labels.get(kind.pk, kind.name),
            )
        )
    # The filter form's other options as (value, label, selected): the template only prints.
    return {
        "classes": classes,
        "kinds": kind_entries,
        "filters": filters,
        "items": page,
        "total": sum(class_counts.values()),
        "pagination": _pagination(page, request.GET),
        # Years as text: an int would be localized (number_format) each time it is printed.
        "year_options": [(str(y), str(y), y == filters.year) for y in facets["years"]],
        "tag_options": [(tag, tag, tag == filters.tag) for tag in facets["tags"]],
        "validity_options": [
            (value, label, value == filters.validity) for value, label in Validity.choices
        ],
        "sort_options": [
            (value, label, value == filters.sort) for value, (label, _order) in SORTS.items()
        ],
        "show_class_filter": column is None,
    }


def _pagination(page, params):
    """The pager's links: previous, next and the page numbers with ellipses, as
    (label, url, current); an ellipsis has no url. Links keep the other parameters."""
    if page.paginator.num_pages <= 1:
        return None
    query = params.copy()

    def url(number):
        query["page"] = number
        return f"?{query.urlencode()}"

    ellipsis = page.paginator.ELLIPSIS
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "links": [
            (str(number), None, False)
            if number == ellipsis
            else (str(number), url(number), number == page.number)
            for number in page.paginator.get_elided_page_range(page.number)
        ],
    }


def _kind_labels():
    """Key kinds' names shortened for the filter's options (|truncatechars:24), once."""
    return {pk: Truncator(node.name).chars(24) for pk, node in catalogue_nodes().items()}
