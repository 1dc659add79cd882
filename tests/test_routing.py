"""A site root routes a whole path from memory and at most two queries (unit_sites/routing.py),
and lands exactly where Wagtail's segment-by-segment walk lands, for every page of the demo,
routable sub-paths, drafts and names that do not exist."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.factories import add_item
from unit_sites.routing import PathRouteMixin

pytestmark = pytest.mark.django_db


def walk(root, path_components):
    """Where Wagtail's own Page.route lands (every site root walking segment by segment)."""
    from unittest import mock

    def wagtail_route(self, request, components):
        return Page.route(self, request, components)

    with mock.patch.object(PathRouteMixin, "route", wagtail_route):
        return outcome(root, path_components)


def outcome(root, path_components):
    request = RequestFactory().get("/" + "".join(f"{c}/" for c in path_components))
    try:
        result = root.route(request, path_components)
    except Http404:
        return "404"
    page, args, kwargs = result
    view_args = ()
    if args:  # a routable page's (view, args, kwargs)
        view, sub_args, sub_kwargs = args
        view_args = (view.__name__, tuple(sub_args), tuple(sorted(sub_kwargs.items())))
    return (page.pk, type(page).__name__, view_args, tuple(sorted(kwargs.items())))


def paths_under(site):
    root = site.root_page
    for page in Page.objects.descendant_of(root).order_by("path"):
        yield page.url_path[len(root.url_path) :].strip("/").split("/")


@pytest.fixture
def items():
    """Items on a section of the portal (fgw), on a subsite (xiangyang) and under a Chinese
    slug, beside the demo's units, catalogues and citizen pages."""
    from disclosure_pages.models import NewsPage, PolicyDocumentPage

    return [
        add_item(NewsPage, "fgw"),
        add_item(PolicyDocumentPage, "xiangyang"),
        add_item(NewsPage, "fgw", slug="政策解读"),
    ]


def test_every_demo_path_routes_where_wagtails_walk_routes(items):
    compared = 0
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.specific
        for components in paths_under(site):
            for path in (
                components,
                [*components, "feed"],  # a catalogue's Atom feed, a 404 elsewhere
                [*components, "no-such-page"],
                [*components, "no-such-page", "deeper"],
            ):
                assert outcome(root, path) == walk(root, path), "/".join(path)
                compared += 1
    assert compared > 1000  # the demo's every page on every site, four ways


def test_drafts_and_unknown_names_are_not_found():
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    draft = Page.objects.live().descendant_of(root).filter(depth=root.depth + 4).first()
    Page.objects.filter(pk=draft.pk).update(live=False)
    components = draft.url_path[len(root.url_path) :].strip("/").split("/")
    assert outcome(root, components) == "404"
    assert outcome(root, ["no-such-unit"]) == "404"


def route_counting_queries(root, page):
    components = page.url_path[len(root.url_path) :].strip("/").split("/")
    root.route(RequestFactory().get("/"), components)  # the structure pages, once per version
    with CaptureQueriesContext(connection) as queries:
        landed, _args, _kwargs = root.route(RequestFactory().get("/"), components)
    assert landed.pk == page.pk
    return landed, len(queries)


def test_structure_pages_route_from_memory_and_items_in_two_queries():
    from disclosure_pages.models import NewsPage

    root = Site.objects.get(is_default_site=True).root_page.specific
    column = Page.objects.live().descendant_of(root).filter(depth=root.depth + 3).first()
    landed, queries = route_counting_queries(root, column)
    assert queries == 0
    assert landed.title == column.title and type(landed) is column.specific_class

    item = add_item(NewsPage, "fgw")
    assert item.depth == root.depth + 4
    landed, queries = route_counting_queries(root, item)
    assert queries == 2  # the item's page row, then its specific row
    assert type(landed) is NewsPage
    # The parent came with the chain: asking for it costs nothing.
    parent_pk = item.get_parent().pk
    with CaptureQueriesContext(connection) as queries:
        assert landed.get_parent().pk == parent_pk
    assert len(queries) == 0


def test_a_new_structure_page_routes_at_once():
    """Memory is renewed when a structure page is saved (unit_sites.signals)."""
    root = Site.objects.get(is_default_site=True).root_page.specific
    unit = Page.objects.live().child_of(root).first()
    components = [unit.slug, "new-page"]
    assert outcome(root, components) == "404"  # and memory now holds the structure pages
    new_page = unit.add_child(instance=Page(title="新栏目", slug="new-page"))
    assert outcome(root, components)[0] == new_page.pk
    new_page.unpublish()  # memory said live: it must be renewed, or the page is still served
    assert outcome(root, components) == "404"


def test_a_url_path_out_of_step_with_the_tree_falls_back_to_the_walk():
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    item = Page.objects.live().descendant_of(root).filter(depth=root.depth + 4).first()
    components = item.url_path[len(root.url_path) :].strip("/").split("/")
    Page.objects.filter(pk=item.pk).update(url_path="/stale/")
    assert outcome(root, components) == walk(root, components)
    assert outcome(root, components)[0] == item.pk


HOSTS = ("localhost", "luobei.localhost")


def test_links_are_wagtails_own(items):
    """CanonicalUrlMixin computes page URLs from memory: the same as Wagtail's, for every page
    of the demo on every site, a page with a Chinese slug included."""
    from unit_sites.models import url_for_path

    requests = [RequestFactory().get("/", HTTP_HOST=host) for host in HOSTS]
    compared = 0
    for page in Page.objects.live().specific():
        if type(page).get_url_parts is Page.get_url_parts:
            continue  # not one of ours
        wagtails = Page.get_url_parts(page, request=None)
        assert page.get_url_parts() == wagtails, page.url_path
        for request in requests:  # as listings link their rows: relative or a full URL
            assert url_for_path(page.url_path, request) == Page.get_url(page, request)
        compared += 1
    assert compared > 100
    assert items[2].get_url().endswith("/fgw/gkml/gzdt/%E6%94%BF%E7%AD%96%E8%A7%A3%E8%AF%BB/")
