"""`/api/v2/pages/?search=…` through the same search as the search page: same parsing
(segmentation, synonyms, 文号), same candidates, same ranking, so the API lists results in the
page's order. Register `SearchablePagesAPIViewSet` instead of Wagtail's PagesAPIViewSet."""

from django.conf import settings
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from .conf import search_config
from .engine import run_search


class RankedResults:
    """The ranked matches as the API's paginator expects them: count() and slices."""

    def __init__(self, queryset, pks):
        self.queryset = queryset
        self.model = queryset.model
        self.pks = pks

    def count(self):
        return len(self.pks)

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        pks = self.pks[index] if isinstance(index, slice) else [self.pks[index]]
        objects = self.queryset.model.objects.in_bulk(pks)
        found = [objects[pk] for pk in pks if pk in objects]
        return found if isinstance(index, slice) else found[0]

    def __iter__(self):
        return iter(self[:])


class ChineseSearchFilter(BaseFilterBackend):
    """Wagtail's `?search=` with the public search's query processing and ranking. With
    `?order=…` the matches keep that order instead of relevance."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        model = search_config().model
        if queryset.model is not model and issubclass(model, queryset.model):
            # Citizens search the disclosure items (as on the search page), not every page.
            queryset = model.objects.filter(pk__in=queryset.values("pk"))
        outcome = run_search(request.GET["search"], queryset, with_facets=False)
        if "order" in request.GET:
            return queryset.filter(pk__in=outcome.pks)
        return RankedResults(queryset, outcome.pks)


class BoundedPagination(WagtailPagination):
    """Wagtail's pagination, without handing the database an offset past the last result: an
    offset of 10^30 overflowed SQLite's integers (a 500) and could only ever find nothing."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # validates offset and limit
        if int(request.GET.get("offset", 0)) >= self.total_count:
            return []
        return page


class SearchablePagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = [
        ChineseSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
