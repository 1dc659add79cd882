from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page, Site


def search(request):
    """Search the live, public pages of the current site (Chinese-aware search: see issue 5)."""
    query = request.GET.get("q", "").strip()[:200]
    site = Site.find_for_request(request)
    results = Page.objects.none()
    if query and site:
        results = Page.objects.live().public().in_site(site).search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "results": page, "site": site})
