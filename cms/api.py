"""Wagtail API v2: host-scoped, live pages only (Wagtail filters out drafts itself)."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from review.documents import public_documents, public_images
from search.api import BoundedPagination, SearchablePagesAPIViewSet


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Only documents that a live page publishes (files of items in review stay private)."""

    pagination_class = BoundedPagination

    def get_queryset(self):
        return public_documents(super().get_queryset())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Only images that a live page publishes: an image uploaded for an item in review, or
    into any unit's collection, is not listed (nor its download URL) before it is public."""

    pagination_class = BoundedPagination

    def get_queryset(self):
        return public_images(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
# `?search=` runs the public search (Chinese segmentation, synonyms, 文号, same order as /search/)
api_router.register_endpoint("pages", SearchablePagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
