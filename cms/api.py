"""Wagtail API v2: host-scoped, live pages only (Wagtail filters out drafts itself)."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from search.api import SearchablePagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
# `?search=` runs the public search (Chinese segmentation, synonyms, 文号, same order as /search/)
api_router.register_endpoint("pages", SearchablePagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
