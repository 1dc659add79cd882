from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.health import healthz
from search import views as search_views
from security.account import GongkaiAccountView
from unit_sites.sitemaps import CanonicalSiteSitemap

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before Wagtail's own account view: a name without a family name is enough (security/).
    path("admin/account/", GongkaiAccountView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": CanonicalSiteSitemap}}),
    path("search/", search_views.search, name="search"),
    path("citizen/", include("citizen_services.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
